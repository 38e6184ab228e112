package org.attnlab.app.inside;

import java.util.List;
import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;
import org.attnlab.app.common.CanvasRegion;

/**
 * The numbers of one step-through stage: each row of the stage's matrix as a line of cells
 * holding the value (2 decimals) on a light diverging colour (blue negative, red positive),
 * wrapped onto several lines when it is wider than the view; column labels above each line.
 */
public final class NumberGrid extends CanvasRegion {
    /** Cell and header sizes at font scale 1; they grow with the window's font scale. */
    private static final double BASE_CELL_W = 48, BASE_CELL_H = 19, BASE_HEADER = 15;
    private double[] values = new double[0];
    private int rows, cols;
    private List<String> rowLabels = List.of(), colLabels = List.of();

    public NumberGrid() {
        getStyleClass().add("number-grid");
        org.attnlab.app.common.CanvasStyle.redrawOnChange(this, () -> {
            requestLayout();
            redraw();
        });
    }

    private static double k() {
        return org.attnlab.app.common.CanvasStyle.scale();
    }

    /**
     * @param v         row-major {@code [r * c]} (kept)
     * @param rowLabels one per row
     * @param colLabels one per column
     */
    public void setData(double[] v, int r, int c, List<String> rowLabels, List<String> colLabels) {
        values = v;
        rows = r;
        cols = c;
        this.rowLabels = rowLabels;
        this.colLabels = colLabels;
        requestLayout();
        redraw();
    }

    /** @return a copy of the values shown */
    public double[] values() {
        return values.clone();
    }

    /** @return the row labels */
    public List<String> rowLabels() {
        return rowLabels;
    }

    private double left() {
        int m = 0;
        for (String s : rowLabels) {
            m = Math.max(m, s.length());
        }
        return Math.min(160 * k(), (m * 7.5 + 10) * k());
    }

    private int perLine(double width) {
        return Math.max(1, Math.min(cols, (int) ((width - left()) / (BASE_CELL_W * k()))));
    }

    private double heightFor(double width) {
        if (cols == 0) {
            return 20;
        }
        int chunks = (cols + perLine(width) - 1) / perLine(width);
        return chunks * ((BASE_HEADER * k()) + rows * (BASE_CELL_H * k()) + 6);
    }

    /**
     * Horizontal: the height depends on the width (the grid wraps onto more lines when narrower),
     * so a scroll pane fitting it to its width asks for the height at that width; without this it
     * asked at 600 px and cut off the last lines of a wrapped vector.
     */
    @Override
    public javafx.geometry.Orientation getContentBias() {
        return javafx.geometry.Orientation.HORIZONTAL;
    }

    @Override
    protected double computePrefHeight(double width) {
        return heightFor(width < 0 ? 600 : width);
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected double computePrefWidth(double height) {
        return Math.min(900 * k(), left() + cols * (BASE_CELL_W * k()));
    }

    @Override
    protected double computeMinWidth(double height) {
        return 200;
    }

    @Override
    protected void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        g.clearRect(0, 0, w, canvas.getHeight());
        if (cols == 0 || w < 100) {
            return;
        }
        double max = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                max = Math.max(max, Math.abs(v));
            }
        }
        int per = perLine(w);
        double left = left(), y = 0;
        g.setTextBaseline(VPos.CENTER);
        for (int c0 = 0; c0 < cols; c0 += per) {
            int c1 = Math.min(cols, c0 + per);
            g.setFont(Font.font("System", 10.5 * k()));
            g.setFill(Color.web("#64748b"));
            g.setTextAlign(TextAlignment.CENTER);
            for (int c = c0; c < c1; c++) {
                String s = colLabels.get(c);
                g.fillText(s.length() > 7 ? s.substring(0, 7) : s, left + (c - c0 + 0.5) * (BASE_CELL_W * k()), y + (BASE_HEADER * k()) / 2);
            }
            y += (BASE_HEADER * k());
            for (int r = 0; r < rows; r++) {
                g.setFont(Font.font("System", FontWeight.BOLD, 11.5 * k()));
                g.setFill(Color.web("#334155"));
                g.setTextAlign(TextAlignment.RIGHT);
                g.fillText(rowLabels.get(r), left - 6, y + (BASE_CELL_H * k()) / 2);
                g.setFont(Font.font("Monospaced", 11 * k()));
                g.setTextAlign(TextAlignment.CENTER);
                for (int c = c0; c < c1; c++) {
                    double v = values[r * cols + c];
                    double x = left + (c - c0) * (BASE_CELL_W * k());
                    g.setFill(light(v, max));
                    g.fillRect(x + 0.5, y + 0.5, (BASE_CELL_W * k()) - 1, (BASE_CELL_H * k()) - 1);
                    g.setFill(Double.isFinite(v) ? Color.web("#0f172a") : Color.web("#64748b"));
                    g.fillText(text(v), x + (BASE_CELL_W * k()) / 2, y + (BASE_CELL_H * k()) / 2);
                }
                y += (BASE_CELL_H * k());
            }
            y += 6;
        }
    }

    /** @return the value as shown: 2 decimals, or 2 significant digits in scientific notation when large */
    static String text(double v) {
        if (v == Double.NEGATIVE_INFINITY) {
            return "\u2212\u221e";
        }
        if (!Double.isFinite(v)) {
            return "?";
        }
        String s = Math.abs(v) >= 999.5 ? String.format(Locale.ROOT, "%.1e", v) : String.format(Locale.ROOT, "%.2f", v);
        return s.startsWith("-") ? "\u2212" + s.substring(1) : s;
    }

    private static Color light(double v, double max) {
        Color c = MatrixView.diverging(v, max);
        return Double.isFinite(v) ? Color.WHITE.interpolate(c, 0.6) : Color.web("#e2e8f0");
    }
}
