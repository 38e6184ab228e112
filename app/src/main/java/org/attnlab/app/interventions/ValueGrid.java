package org.attnlab.app.interventions;

import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * A labelled matrix of signed numbers on a {@link Canvas} with a diverging colour map (red for
 * negative through white at 0 to blue at {@code +scale}, ColorBrewer's "RdBu"), the value printed
 * in each cell when it fits, and marked cells outlined. Rows and columns are labelled. Used for the
 * ablation table, the patching heatmaps and the linear-attention state. {@link #values()} returns
 * what is drawn, so tests can read it.
 */
public final class ValueGrid extends Region {
    private static final Color LABEL = Color.web("#334155");
    private static final Color MARK = Color.web("#f59e0b");
    private static final int[] NEG = {0xb2182b, 0xd6604d, 0xf4a582, 0xfddbc7};
    private static final int[] POS = {0xd1e5f0, 0x92c5de, 0x4393c3, 0x2166ac};

    private final Canvas canvas = new Canvas();
    private double[] values = new double[0];
    private boolean[] marked = new boolean[0];
    private int rows, cols;
    private List<String> rowLabels = List.of(), colLabels = List.of();
    private double scale = 1;
    private String format = "%.2f";
    private double cell, x0, y0;
    private BiConsumer<Integer, Integer> onClick = (r, c) -> { };
    private double maxCell = 56;

    public ValueGrid() {
        getStyleClass().add("value-grid");
        getChildren().add(canvas);
        org.attnlab.app.common.CanvasStyle.redrawOnChange(this, () -> {   // font scale, projector colours
            requestLayout();
            draw();
        });
        canvas.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            int c = (int) Math.floor((e.getX() - x0) / cell), r = (int) Math.floor((e.getY() - y0) / cell);
            if (cell > 0 && r >= 0 && c >= 0 && r < rows && c < cols) {
                onClick.accept(r, c);
            }
        });
    }

    /**
     * Shows a matrix.
     *
     * @param v      row-major [rows * cols]; kept (pass an array nobody changes); NaN draws grey
     * @param scale  the magnitude drawn in full colour (values beyond it saturate), positive
     * @param format how a cell's number is printed, e.g. {@code "%.2f"}
     */
    public void setData(double[] v, int rows, int cols, List<String> rowLabels, List<String> colLabels, double scale,
                        String format) {
        if (v.length != rows * cols) {
            throw new IllegalArgumentException("expected " + rows * cols + " values, got " + v.length);
        }
        this.values = v;
        this.rows = rows;
        this.cols = cols;
        this.rowLabels = rowLabels;
        this.colLabels = colLabels;
        this.scale = scale > 0 && Double.isFinite(scale) ? scale : 1;
        this.format = format;
        if (marked.length != v.length) {
            marked = new boolean[v.length];
        }
        requestLayout();
        draw();
    }

    /** Outlines the cells set in {@code m} (row-major, [rows * cols]). */
    public void setMarked(boolean[] m) {
        marked = m.clone();
        draw();
    }

    /** @param size the largest side of a cell in pixels (cells shrink to fit the width) */
    public void setMaxCell(double size) {
        maxCell = size;
        requestLayout();
    }

    /** @param l called with (row, column) of a clicked cell */
    public void setOnCellClicked(BiConsumer<Integer, Integer> l) {
        onClick = l;
    }

    /** @return a copy of the values drawn */
    public double[] values() {
        return values.clone();
    }

    /** @return the number of rows */
    public int rows() {
        return rows;
    }

    /** @return the number of columns */
    public int cols() {
        return cols;
    }

    /** @return the text printed in cell (r, c) */
    public String cellText(int r, int c) {
        double x = values[r * cols + c];
        return Double.isNaN(x) ? "" : String.format(Locale.ROOT, format, x);
    }

    /** @return the colour of {@code x} on a diverging map of magnitude {@code scale} */
    public static Color color(double x, double scale) {
        if (Double.isNaN(x)) {
            return Color.web("#d0d0d0");
        }
        double t = Math.max(-1, Math.min(1, x / scale));
        int[] ramp = t < 0 ? NEG : POS;
        double a = Math.abs(t);
        // white at 0, then along the ramp (ramp[0] nearest white for POS, ramp[3] for NEG)
        double pos = a * ramp.length;
        int k = Math.min(ramp.length - 1, (int) pos);
        int from = k == 0 ? 0xffffff : ramp(ramp, k - 1, t < 0), to = ramp(ramp, k, t < 0);
        double f = k == 0 ? Math.min(1, pos) : Math.min(1, pos - k);
        return Color.rgb(mix(from >> 16, to >> 16, f), mix(from >> 8, to >> 8, f), mix(from, to, f));
    }

    private static int ramp(int[] r, int i, boolean neg) {
        return neg ? r[r.length - 1 - i] : r[i];
    }

    private static int mix(int a, int b, double f) {
        a &= 0xff;
        b &= 0xff;
        return (int) Math.round(a + (b - a) * f);
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

    @Override
    public javafx.geometry.Orientation getContentBias() {
        return javafx.geometry.Orientation.HORIZONTAL;
    }

    @Override
    protected double computePrefWidth(double height) {
        return labelWidth() + Math.max(1, cols) * maxCell * k() + 8;
    }

    /** The height at which cells are as large as fit the width (at most {@code maxCell} times the font scale). */
    @Override
    protected double computePrefHeight(double width) {
        double w = width < 0 ? computePrefWidth(-1) : width;
        double c = Math.max(4, Math.min(maxCell * k(), Math.floor((w - labelWidth() - 4) / Math.max(1, cols))));
        return 22 * k() + Math.max(1, rows) * c + 4;
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected double computeMaxHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected double computeMinWidth(double height) {
        return 80;
    }

    private double labelWidth() {
        int m = 1;
        for (String s : rowLabels) {
            m = Math.max(m, s.length());
        }
        return (m * 7.5 + 10) * k();
    }

    /** @return the window's font scale: text, cells and margins grow with it */
    private static double k() {
        return org.attnlab.app.common.CanvasStyle.scale();
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth(), h = canvas.getHeight();
        g.clearRect(0, 0, w, h);
        if (rows == 0 || cols == 0 || w < 10 || h < 10) {
            return;
        }
        double k = k(), left = labelWidth(), top = 22 * k;
        cell = Math.floor(Math.min((w - left - 4) / cols, (h - top - 4) / rows));
        cell = Math.max(4, Math.min(cell, maxCell * k()));
        x0 = left;
        y0 = top;
        double fs = Math.max(8 * k, Math.min(13 * k, cell * 0.32));
        g.setFont(Font.font("System", fs));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double x = values[r * cols + c];
                Color col = color(x, scale);
                g.setFill(col);
                g.fillRect(x0 + c * cell, y0 + r * cell, cell - 1, cell - 1);
                if (cell >= 26 * k && !Double.isNaN(x)) {
                    g.setFill(col.getBrightness() < 0.6 ? Color.WHITE : LABEL);
                    g.fillText(cellText(r, c), x0 + (c + 0.5) * cell, y0 + (r + 0.5) * cell);
                }
            }
        }
        g.setStroke(MARK);
        g.setLineWidth(2.5);
        for (int i = 0; i < marked.length && i < rows * cols; i++) {
            if (marked[i]) {
                g.strokeRect(x0 + (i % cols) * cell + 1, y0 + (i / cols) * cell + 1, cell - 3, cell - 3);
            }
        }
        g.setFill(LABEL);
        g.setFont(Font.font("System", FontWeight.NORMAL, 11 * k));
        g.setTextAlign(TextAlignment.RIGHT);
        for (int r = 0; r < rows && r < rowLabels.size(); r++) {
            g.fillText(rowLabels.get(r), x0 - 5, y0 + (r + 0.5) * cell);
        }
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.BOTTOM);
        boolean every = cell >= 14 * k;
        for (int c = 0; c < cols && c < colLabels.size(); c++) {
            if (every || c % 2 == 0) {
                g.fillText(colLabels.get(c), x0 + (c + 0.5) * cell, y0 - 4);
            }
        }
    }
}
