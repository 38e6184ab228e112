package org.attnlab.app.training;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import org.attnlab.app.common.Format;
import org.attnlab.app.common.Styles;

/**
 * Step, steps per second, loss, held-out metric, and what is going on. The figures change with
 * every snapshot, so they are laid out here by hand as layout roots (unmanaged): a new text
 * re-lays out only its label, not the whole window.
 */
public final class StatusBar extends Region {
    private static final double GAP = 24;
    private static final double[] WIDTHS = {190, 130, 140, 230};
    /** The figures' font size (px) that {@link #WIDTHS} are measured for. */
    private static final double BASE_FIGURE_PX = 15;
    /** The narrowest the message may get beside the figures before it takes a row of its own. */
    private static final double MIN_MESSAGE = 260;
    private double messageHeight;
    private final Label[] figures;
    private final Label message = new Label();

    /** @param vm the training view model */
    public StatusBar(TrainingViewModel vm) {
        getStyleClass().add(Styles.STATUS_BAR);
        setPadding(new Insets(6, 12, 6, 12));

        Label step = figure(Styles.STEP_LABEL);
        step.textProperty().bind(vm.stepTextProperty());
        Label speed = figure(Styles.SPEED_LABEL);
        speed.textProperty().bind(Bindings.createStringBinding(
                () -> Format.rate(vm.stepsPerSecondProperty().get()) + " steps/s", vm.stepsPerSecondProperty()));
        Label loss = figure(Styles.LOSS_LABEL);
        loss.textProperty().bind(Bindings.createStringBinding(
                () -> "loss " + Format.loss(vm.trainLossProperty().get()), vm.trainLossProperty()));
        Label metric = figure(Styles.METRIC_LABEL);
        metric.textProperty().bind(vm.metricTextProperty());
        figures = new Label[] {step, speed, loss, metric};

        message.setId(Styles.MESSAGE_LABEL);
        message.setManaged(false);
        message.setAlignment(Pos.CENTER_RIGHT);
        message.textProperty().bind(Bindings.createStringBinding(
                () -> vm.announcementProperty().get().isEmpty() ? vm.statusProperty().get()
                        : vm.announcementProperty().get(), vm.announcementProperty(), vm.statusProperty()));
        vm.failedProperty().addListener((o, a, b) -> {
            message.getStyleClass().remove(Styles.INLINE_ERROR);
            if (b) {
                message.getStyleClass().add(Styles.INLINE_ERROR);
            }
        });
        message.setWrapText(true);
        // a message that needs another line (or one less) lays the bar out again; other texts never do
        message.textProperty().addListener((o, a, b) -> {
            double w = message.getWidth();
            if (w > 0 && Math.abs(Math.max(rowHeight(), message.prefHeight(w)) - messageHeight) > 0.5) {
                requestLayout();
            }
        });
        // a new font size (Ctrl+Plus) changes the figures' widths
        figures[0].fontProperty().addListener((o, a, b) -> requestLayout());
        getChildren().addAll(figures);
        getChildren().add(message);
    }

    private static Label figure(String id) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add(Styles.STATUS_FIGURE);
        l.setManaged(false);
        l.setAlignment(Pos.CENTER_LEFT);
        return l;
    }

    /**
     * The figures' widths at the current font size: {@link #WIDTHS} hold at the theme's 15 px
     * figures and grow with a larger font (classroom mode), so a figure's text is never cut.
     */
    private double k() {
        double size = figures[0].getFont().getSize();
        return Math.max(1, size / BASE_FIGURE_PX);
    }

    /**
     * Where each figure and the message go in a bar {@code width} wide: left to right, a figure that
     * no longer fits starting a new row; the message takes the rest of the last row, or a row of its
     * own when that leaves it less than {@link #MIN_MESSAGE} (at a large font scale on a narrow window).
     *
     * @return {x, y} of each figure, then x, y and width of the message, then the total height
     */
    private double[] place(double width) {
        double k = k(), gap = GAP * k, x0 = snappedLeftInset(), right = width - snappedRightInset();
        double rowH = rowHeight(), x = x0, y = snappedTopInset();
        double[] out = new double[figures.length * 2 + 4];
        for (int i = 0; i < figures.length; i++) {
            double w = WIDTHS[i] * k;
            if (x > x0 && x + w > right) {
                x = x0;
                y += rowH;
            }
            out[2 * i] = x;
            out[2 * i + 1] = y;
            x += w + gap;
        }
        double rest = right - x;
        if (rest < MIN_MESSAGE * k && message.getText() != null && !message.getText().isEmpty()) {
            x = x0;
            y += rowH;
            rest = right - x0;
        }
        int m = figures.length * 2;
        out[m] = x;
        out[m + 1] = y;
        out[m + 2] = Math.max(0, rest);
        double messageH = Math.max(rowH, message.prefHeight(Math.max(1, rest)));
        out[m + 3] = y + messageH + snappedBottomInset();
        return out;
    }

    private double rowHeight() {
        double h = 0;
        for (Node n : figures) {
            h = Math.max(h, n.prefHeight(-1));
        }
        return Math.max(h, 24);
    }

    /** Fixed sizes: a label's new text never needs its parent to lay out again (unless the message needs more lines). */
    @Override
    protected void layoutChildren() {
        double[] p = place(getWidth());
        double rowH = rowHeight();
        for (int i = 0; i < figures.length; i++) {
            figures[i].resizeRelocate(snapPositionX(p[2 * i]), snapPositionY(p[2 * i + 1]), WIDTHS[i] * k(), rowH);
        }
        int m = figures.length * 2;
        messageHeight = Math.max(rowH, message.prefHeight(Math.max(1, p[m + 2])));
        message.resizeRelocate(snapPositionX(p[m]), snapPositionY(p[m + 1]), p[m + 2], messageHeight);
    }

    @Override
    public javafx.geometry.Orientation getContentBias() {
        return javafx.geometry.Orientation.HORIZONTAL;
    }

    @Override
    protected double computePrefHeight(double width) {
        double w = width > 0 ? width : getWidth() > 0 ? getWidth() : computePrefWidth(-1);
        return place(w)[figures.length * 2 + 3];
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected double computePrefWidth(double height) {
        double k = k(), w = snappedLeftInset() + snappedRightInset() + GAP * k * figures.length;
        for (double x : WIDTHS) {
            w += x * k;
        }
        return w + 200 * k;
    }
}
