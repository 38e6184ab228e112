package org.attnlab.app.interventions;

import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import org.attnlab.engine.train.TrainingHistory;

/**
 * The recorded history as curves over the step: training loss (mean over each moment's interval,
 * log scale, left axis) and the held-out headline metric (right axis, 0 to 1), with a cursor at
 * the moment shown (orange), one at the moment compared (teal), and a red marker at each phase
 * change. Click or drag to move the cursor.
 */
final class HistoryChart extends Region {
    private static final Color LOSS = Color.web("#4338ca"), METRIC = Color.web("#059669"), A = Color.web("#f59e0b"),
            B = Color.web("#0d9488"), PHASE = Color.web("#dc2626"), AXIS = Color.web("#94a3b8"),
            TEXT = Color.web("#334155");
    private static final double LEFT = 52, RIGHT = 40, TOP = 22, BOTTOM = 24;

    private final Canvas canvas = new Canvas();
    private List<TrainingHistory.Moment> moments = List.of();
    private List<Integer> phases = List.of();
    private int cursorA = -1, cursorB = -1;
    private IntConsumer onPick = i -> { };

    HistoryChart() {
        setId("historyChart");
        getChildren().add(canvas);
        setPrefHeight(190);
        setMinHeight(150);
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> pick(e.getX()));
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> pick(e.getX()));
    }

    void setOnPick(IntConsumer l) {
        onPick = l;
    }

    void show(List<TrainingHistory.Moment> m, List<Integer> phaseChanges, int a, int b) {
        moments = m;
        phases = phaseChanges;
        cursorA = a;
        cursorB = b;
        draw();
    }

    private void pick(double x) {
        if (moments.isEmpty()) {
            return;
        }
        long step = Math.round(stepAt(x));
        int best = 0;
        for (int i = 0; i < moments.size(); i++) {
            if (Math.abs(moments.get(i).step() - step) < Math.abs(moments.get(best).step() - step)) {
                best = i;
            }
        }
        onPick.accept(best);
    }

    private double x0() {
        return moments.isEmpty() ? 0 : moments.get(0).step();
    }

    private double x1() {
        return moments.isEmpty() ? 1 : Math.max(x0() + 1, moments.get(moments.size() - 1).step());
    }

    private double xOf(double step) {
        return LEFT + (step - x0()) / (x1() - x0()) * (canvas.getWidth() - LEFT - RIGHT);
    }

    private double stepAt(double x) {
        return x0() + (x - LEFT) / (canvas.getWidth() - LEFT - RIGHT) * (x1() - x0());
    }

    @Override
    protected void layoutChildren() {
        double w = snapSizeX(getWidth()), h = snapSizeY(getHeight());
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            draw();
        }
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth(), h = canvas.getHeight();
        g.clearRect(0, 0, w, h);
        if (w < LEFT + RIGHT + 10 || h < TOP + BOTTOM + 10) {
            return;
        }
        double ph = h - TOP - BOTTOM;
        g.setStroke(AXIS);
        g.setLineWidth(1);
        g.strokeRect(LEFT, TOP, w - LEFT - RIGHT, ph);
        g.setFont(Font.font("System", 11));
        g.setFill(TEXT);
        if (moments.isEmpty()) {
            g.fillText("No history yet: train a few steps.", LEFT + 10, TOP + 20);
            return;
        }
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (TrainingHistory.Moment m : moments) {
            if (m.trainLoss() > 0 && Double.isFinite(m.trainLoss())) {
                lo = Math.min(lo, Math.log10(m.trainLoss()));
                hi = Math.max(hi, Math.log10(m.trainLoss()));
            }
        }
        if (!(hi >= lo)) {
            lo = -1;
            hi = 0;
        }
        if (hi - lo < 0.1) {
            hi += 0.05;
            lo -= 0.05;
        }
        double fLo = lo, fHi = hi;
        java.util.function.DoubleUnaryOperator yLoss = v -> TOP + (fHi - Math.log10(v)) / (fHi - fLo) * ph;
        java.util.function.DoubleUnaryOperator yMetric = v -> TOP + (1 - Math.max(0, Math.min(1, v))) * ph;
        // axes labels
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.setFill(LOSS);
        g.fillText(String.format(Locale.ROOT, "%.3g", Math.pow(10, hi)), LEFT - 4, TOP);
        g.fillText(String.format(Locale.ROOT, "%.3g", Math.pow(10, lo)), LEFT - 4, TOP + ph);
        g.setTextAlign(TextAlignment.LEFT);
        g.setFill(METRIC);
        g.fillText("1", w - RIGHT + 4, TOP);
        g.fillText("0", w - RIGHT + 4, TOP + ph);
        g.setFill(TEXT);
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText(String.format(Locale.ROOT, "step %,d", (long) x0()), LEFT, TOP + ph + 4);
        g.setTextAlign(TextAlignment.RIGHT);
        g.fillText(String.format(Locale.ROOT, "step %,d", (long) x1()), w - RIGHT, TOP + ph + 4);
        g.setTextBaseline(VPos.BOTTOM);
        g.setTextAlign(TextAlignment.LEFT);
        g.setFill(LOSS);
        g.fillText("training loss (log)", LEFT, TOP - 4);
        g.setFill(METRIC);
        g.fillText("held-out metric", LEFT + 120, TOP - 4);
        g.setFill(PHASE);
        g.fillText("\u25bc phase change (sharp loss drop)", LEFT + 230, TOP - 4);
        line(g, LOSS, m -> m.trainLoss() > 0 && Double.isFinite(m.trainLoss()) ? yLoss.applyAsDouble(m.trainLoss()) : Double.NaN);
        line(g, METRIC, m -> Double.isFinite(m.metric()) ? yMetric.applyAsDouble(m.metric()) : Double.NaN);
        g.setFill(PHASE);
        for (int i : phases) {
            double x = xOf(moments.get(i).step());
            g.fillPolygon(new double[] {x - 5, x + 5, x}, new double[] {TOP + 1, TOP + 1, TOP + 9}, 3);
            g.setStroke(PHASE.deriveColor(0, 1, 1, 0.35));
            g.strokeLine(x, TOP + 9, x, TOP + ph);
        }
        cursor(g, cursorB, B, ph);
        cursor(g, cursorA, A, ph);
    }

    private void cursor(GraphicsContext g, int i, Color c, double ph) {
        if (i < 0 || i >= moments.size()) {
            return;
        }
        double x = Math.round(xOf(moments.get(i).step())) + 0.5;
        g.setStroke(c);
        g.setLineWidth(2);
        g.strokeLine(x, TOP, x, TOP + ph);
        g.setLineWidth(1);
    }

    private void line(GraphicsContext g, Color c, java.util.function.ToDoubleFunction<TrainingHistory.Moment> y) {
        g.setStroke(c);
        g.setLineWidth(1.6);
        g.beginPath();
        boolean pen = false;
        for (TrainingHistory.Moment m : moments) {
            double v = y.applyAsDouble(m);
            if (Double.isNaN(v)) {
                pen = false;
                continue;
            }
            double x = xOf(m.step());
            if (pen) {
                g.lineTo(x, v);
            } else {
                g.moveTo(x, v);
                pen = true;
            }
        }
        g.stroke();
        g.setLineWidth(1);
    }

    /** @return the index of the moment under the first cursor */
    int cursorA() {
        return cursorA;
    }

    /** @return the phase-change indices marked */
    List<Integer> phases() {
        return phases;
    }
}
