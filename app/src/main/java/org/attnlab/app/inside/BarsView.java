package org.attnlab.app.inside;

import java.util.List;
import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import org.attnlab.app.common.CanvasRegion;

/**
 * Horizontal bars of signed values around a zero line, one labelled row each (direct logit
 * attribution: red bars push the token's logit up, blue bars down). {@link #values()} returns what is drawn.
 */
public final class BarsView extends CanvasRegion {
    private static final double ROW = 15;
    private List<String> labels = List.of();
    private double[] values = new double[0];

    public BarsView() {
        getStyleClass().add("bars-view");
        setMinHeight(40);
    }

    /**
     * @param labels one per bar
     * @param values the bars' values (kept)
     * @throws IllegalArgumentException if the lengths differ
     */
    public void setData(List<String> labels, double[] values) {
        if (labels.size() != values.length) {
            throw new IllegalArgumentException(labels.size() + " labels for " + values.length + " values");
        }
        this.labels = List.copyOf(labels);
        this.values = values;
        requestLayout();
        redraw();
    }

    /** @return the labels */
    public List<String> labels() {
        return labels;
    }

    /** @return a copy of the values */
    public double[] values() {
        return values.clone();
    }

    @Override
    protected double computePrefHeight(double width) {
        return Math.max(40, labels.size() * ROW + 8);
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected double computePrefWidth(double height) {
        return 320;
    }

    @Override
    protected void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth(), h = canvas.getHeight();
        g.clearRect(0, 0, w, h);
        if (values.length == 0 || w < 60) {
            return;
        }
        double max = 1e-12;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        double left = 118, right = 52, mid = left + (w - left - right) / 2, half = (w - left - right) / 2;
        g.setFont(Font.font("System", 12));
        g.setTextBaseline(VPos.CENTER);
        for (int i = 0; i < values.length; i++) {
            double y = 4 + i * ROW, v = values[i], len = v / max * half;
            g.setFill(v >= 0 ? Color.web("#b2182b") : Color.web("#2166ac"));
            g.fillRect(v >= 0 ? mid : mid + len, y + 2, Math.abs(len), ROW - 4);
            g.setFill(Color.web("#334155"));
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(labels.get(i), left - 6, y + ROW / 2);
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(String.format(Locale.ROOT, "%+.2f", v), w - right + 4, y + ROW / 2);
        }
        g.setStroke(Color.web("#64748b"));
        g.setLineWidth(1);
        g.strokeLine(Math.round(mid) + 0.5, 2, Math.round(mid) + 0.5, 4 + values.length * ROW);
    }
}
