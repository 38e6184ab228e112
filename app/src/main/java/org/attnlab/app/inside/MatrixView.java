package org.attnlab.app.inside;

import java.util.List;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseEvent;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;
import org.attnlab.app.common.CanvasRegion;
import org.attnlab.app.common.ColorMap;

/**
 * A labelled matrix of numbers drawn on a canvas: rows x cols cells coloured by value, either
 * weights in [0, 1] on the heatmaps' colour map ({@link Scale#UNIT}) or signed values on a
 * diverging blue-white-red map symmetric around 0 ({@link Scale#SIGNED}, scaled to the largest
 * |value|). Optional text in each cell (e.g. the logit lens's top token), outlined cells, and a
 * selected column. Non-finite values ({@code -Infinity} where masked) are grey.
 * {@link #values()} returns what is drawn, so tests can read it.
 */
public final class MatrixView extends CanvasRegion {
    /** How values map to colours. */
    public enum Scale {
        /** weights in [0, 1] on {@link ColorMap}. */ UNIT,
        /** signed values, white at 0, blue negative, red positive, at +-max|value|. */ SIGNED
    }

    /** Told which cell was clicked or hovered ({@code -1, -1} when the mouse leaves). */
    @FunctionalInterface
    public interface CellListener {
        void cell(int row, int col);
    }

    private static final Color LABEL = Color.web("#334155");
    private static final Color MASKED = Color.web("#e2e8f0");
    private double[] values = new double[0];
    private int rows, cols;
    private List<String> rowLabels = List.of(), colLabels = List.of();
    private String[] texts;
    private boolean[] outlined;
    private Scale scale = Scale.UNIT;
    private double max = 1;
    private int selectedCol = -1, selectedRow = -1;
    private double x0, y0, cw, ch;
    private double maxCell = 48;
    private CellListener onClick, onHover;

    public MatrixView() {
        getStyleClass().add("matrix-view");
        setMinSize(40, 40);
        org.attnlab.app.common.CanvasStyle.redrawOnChange(this, this::redraw);   // font scale, projector colours
        addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            int[] rc = cellAt(e.getX(), e.getY());
            if (rc != null && onClick != null && e.getButton() == javafx.scene.input.MouseButton.PRIMARY) {
                onClick.cell(rc[0], rc[1]);
            }
        });
        addEventHandler(MouseEvent.MOUSE_MOVED, e -> {
            int[] rc = cellAt(e.getX(), e.getY());
            if (onHover != null) {
                onHover.cell(rc == null ? -1 : rc[0], rc == null ? -1 : rc[1]);
            }
        });
        addEventHandler(MouseEvent.MOUSE_EXITED, e -> {
            if (onHover != null) {
                onHover.cell(-1, -1);
            }
        });
    }

    /**
     * Shows a matrix.
     *
     * @param v         row-major {@code [r * c]} values (kept, not copied)
     * @param rowLabels one per row, or empty
     * @param colLabels one per column, or empty
     * @param s         the colour scale
     * @throws IllegalArgumentException if sizes disagree
     */
    public void setData(double[] v, int r, int c, List<String> rowLabels, List<String> colLabels, Scale s) {
        if (v.length != r * c || (!rowLabels.isEmpty() && rowLabels.size() != r)
                || (!colLabels.isEmpty() && colLabels.size() != c)) {
            throw new IllegalArgumentException("a " + r + " x " + c + " matrix needs " + r * c + " values and matching labels");
        }
        values = v;
        rows = r;
        cols = c;
        this.rowLabels = rowLabels;
        this.colLabels = colLabels;
        scale = s;
        max = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                max = Math.max(max, Math.abs(x));
            }
        }
        texts = null;
        outlined = null;
        redraw();
    }

    /** @param t one short text per cell (row-major) drawn in it when it fits, or null */
    public void setCellTexts(String[] t) {
        texts = t;
        redraw();
    }

    /** @param o per cell (row-major) whether to outline it (e.g. the correct answer), or null */
    public void setOutlined(boolean[] o) {
        outlined = o;
        redraw();
    }

    /** Marks a column and a row (-1 for none) with a frame. */
    public void setSelected(int row, int col) {
        selectedRow = row;
        selectedCol = col;
        redraw();
    }

    /** @param px the largest cell side in pixels (default 48) */
    public void setMaxCell(double px) {
        maxCell = px;
        redraw();
    }

    /** @param l told about primary clicks on cells */
    public void setOnCellClicked(CellListener l) {
        onClick = l;
    }

    /** @param l told about the cell under the mouse */
    public void setOnCellHovered(CellListener l) {
        onHover = l;
    }

    /** @return a copy of the values drawn, row-major */
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

    /** @return the text of cell (r, c), or null */
    public String cellText(int r, int c) {
        return texts == null ? null : texts[r * cols + c];
    }

    /** @return the row labels */
    public List<String> rowLabels() {
        return rowLabels;
    }

    /** @return the column labels */
    public List<String> colLabels() {
        return colLabels;
    }

    /** @return the colour of a signed value v on a scale of +-m: blue below 0, red above (ColorBrewer RdBu) */
    static Color diverging(double v, double m) {
        if (!Double.isFinite(v)) {
            return MASKED;
        }
        double f = m <= 0 ? 0 : Math.max(-1, Math.min(1, v / m));
        Color end = f < 0 ? Color.web("#2166ac") : Color.web("#b2182b");
        return Color.WHITE.interpolate(end, Math.sqrt(Math.abs(f)));
    }

    private Color color(double v) {
        if (scale == Scale.SIGNED) {
            return diverging(v, max);
        }
        return Double.isFinite(v) ? ColorMap.color(v) : MASKED;
    }

    private int[] cellAt(double x, double y) {
        if (cw <= 0 || x < x0 || y < y0) {
            return null;
        }
        int c = (int) ((x - x0) / cw), r = (int) ((y - y0) / ch);
        return r < rows && c < cols ? new int[] {r, c} : null;
    }

    @Override
    protected double computePrefWidth(double height) {
        return 80 + cols * Math.min(maxCell, 28);
    }

    @Override
    protected double computePrefHeight(double width) {
        return 30 + rows * Math.min(maxCell, 28);
    }

    private static int longest(List<String> l) {
        int m = 0;
        for (String s : l) {
            m = Math.max(m, s.length());
        }
        return m;
    }

    @Override
    protected void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth(), h = canvas.getHeight();
        g.clearRect(0, 0, w, h);
        if (rows == 0 || cols == 0 || w < 4 || h < 4) {
            return;
        }
        double k = org.attnlab.app.common.CanvasStyle.scale();    // text follows the window's font scale
        double font = 12 * k, maxCell = this.maxCell * k;
        double left = rowLabels.isEmpty() ? 0 : Math.min(w * 0.35, longest(rowLabels) * font * 0.62 + 10);
        boolean colText = !colLabels.isEmpty();
        double top = colText ? font * 1.5 + 2 : 0;
        cw = Math.min(maxCell, (w - left) / cols);
        ch = Math.min(maxCell, (h - top) / rows);
        if (colText && cw < 10 * k) {
            top = 0;
            ch = Math.min(maxCell, h / rows);
            colText = false;
        }
        if (cw >= 3) {
            cw = Math.floor(cw);
            ch = Math.floor(ch);
        }
        x0 = left;
        y0 = top;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                g.setFill(color(values[r * cols + c]));
                g.fillRect(x0 + c * cw, y0 + r * ch, cw, ch);
            }
        }
        g.setTextBaseline(VPos.CENTER);
        g.setFill(LABEL);
        g.setFont(Font.font("System", font));
        if (!rowLabels.isEmpty() && ch >= 9 * k) {
            g.setTextAlign(TextAlignment.RIGHT);
            for (int r = 0; r < rows; r++) {
                g.setFont(Font.font("System", r == selectedRow ? FontWeight.BOLD : FontWeight.NORMAL, Math.min(font, ch)));
                g.fillText(rowLabels.get(r), x0 - 5, y0 + (r + 0.5) * ch);
            }
        }
        if (colText) {
            g.setTextAlign(TextAlignment.CENTER);
            double size = Math.min(font, Math.max(8 * k, cw * 0.8));
            for (int c = 0; c < cols; c++) {
                g.setFont(Font.font("System", c == selectedCol ? FontWeight.BOLD : FontWeight.NORMAL, size));
                String s = colLabels.get(c);
                if (s.length() * size * 0.6 <= cw + 4 || c == selectedCol) {
                    g.fillText(s, x0 + (c + 0.5) * cw, top / 2);
                }
            }
        }
        if (texts != null && cw >= 14 * k && ch >= 11 * k) {
            g.setTextAlign(TextAlignment.CENTER);
            double size = Math.min(13 * k, ch * 0.6);
            g.setFont(Font.font("System", FontWeight.BOLD, size));
            boolean fit = true;
            for (String s : texts) {
                fit &= s == null || s.length() * size * 0.62 <= cw;
            }
            for (int r = 0; fit && r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    String s = texts[r * cols + c];
                    if (s == null || s.length() * size * 0.62 > cw) {
                        continue;
                    }
                    Color bg = color(values[r * cols + c]);
                    g.setFill(bg.getBrightness() < 0.6 || (bg.getSaturation() > 0.5 && bg.getBrightness() < 0.8)
                            ? Color.WHITE : LABEL);
                    g.fillText(s, x0 + (c + 0.5) * cw, y0 + (r + 0.5) * ch);
                }
            }
        }
        if (outlined != null) {
            g.setStroke(Color.web("#15803d"));
            g.setLineWidth(2);
            for (int i = 0; i < outlined.length; i++) {
                if (outlined[i]) {
                    g.strokeRect(x0 + (i % cols) * cw + 1, y0 + (i / cols) * ch + 1, cw - 2, ch - 2);
                }
            }
        }
        g.setStroke(Color.web("#f59e0b"));
        g.setLineWidth(2);
        if (selectedCol >= 0 && selectedCol < cols) {
            g.strokeRect(x0 + selectedCol * cw, y0, cw, ch * rows);
        }
        if (selectedRow >= 0 && selectedRow < rows) {
            g.strokeRect(x0, y0 + selectedRow * ch, cw * cols, ch);
        }
    }
}
