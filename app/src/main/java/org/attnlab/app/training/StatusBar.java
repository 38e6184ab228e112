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

    /** Fixed sizes: a label's new text never needs its parent to lay out again. */
    @Override
    protected void layoutChildren() {
        double x = snappedLeftInset(), y = snappedTopInset();
        double h = getHeight() - y - snappedBottomInset(), right = getWidth() - snappedRightInset();
        for (int i = 0; i < figures.length; i++) {
            figures[i].resizeRelocate(snapPositionX(x), y, WIDTHS[i], h);
            x += WIDTHS[i] + GAP;
        }
        message.resizeRelocate(snapPositionX(x), y, Math.max(0, right - x), h);
    }

    @Override
    protected double computePrefHeight(double width) {
        double h = 0;
        for (Node n : getChildren()) {
            h = Math.max(h, n.prefHeight(-1));
        }
        return snappedTopInset() + Math.max(h, 24) + snappedBottomInset();
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected double computePrefWidth(double height) {
        double w = snappedLeftInset() + snappedRightInset() + GAP * figures.length;
        for (double x : WIDTHS) {
            w += x;
        }
        return w + 200;
    }
}
