package org.attnlab.app.attention;

import java.util.List;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;
import org.attnlab.app.common.CanvasStyle;
import org.attnlab.app.common.ColorMap;

/**
 * Draws a rows x cols matrix of weights in [0, 1] as a heatmap, in two layers: the cells (one
 * pixel per cell written into an image and scaled up without smoothing: one draw call however
 * many cells) and the decoration (row labels = query tokens on the left, column labels = key
 * tokens on top when cells are large enough to read them, and the hovered cell). While training
 * only the cells change, so only that layer is redrawn.
 */
final class HeatmapPainter {
    /** Cells smaller than this (in pixels, times the font scale) get no token labels. */
    static final double MIN_LABEL_CELL = 8;
    private static final Color LABEL = Color.web("#334155");
    private static final Color EMPTY = Color.web("#f1f5f9");
    private static final Color HOVER = Color.web("#f59e0b");

    private WritableImage image;
    private int[] argb = new int[0];

    /**
     * Where the cells go in a w x h area and whether labels fit.
     *
     * @param x0       left of the cells
     * @param y0       top of the cells
     * @param cell     side of one cell in pixels
     * @param fontSize label size, 0 without labels
     */
    record Layout(double w, double h, double x0, double y0, double cell, int rows, int cols, double fontSize) {
        /** @return {row, col} under (x, y), or null outside the cells */
        int[] cellAt(double x, double y) {
            if (cell <= 0 || x < x0 || y < y0) {
                return null;
            }
            int c = (int) ((x - x0) / cell), r = (int) ((y - y0) / cell);
            return r < rows && c < cols ? new int[] {r, c} : null;
        }

        boolean labelled() {
            return fontSize > 0;
        }
    }

    /** @return the layout of a rows x cols matrix in w x h, with labels if asked for and they fit */
    static Layout layout(double w, double h, int rows, int cols, List<String> rowLabels, List<String> colLabels,
                         boolean labels) {
        if (rows == 0 || cols == 0 || w < 2 || h < 2) {
            return new Layout(w, h, 0, 0, 0, rows, cols, 0);
        }
        double cell = Math.min(w / cols, h / rows);
        double left = 0, top = 0, fontSize = 0;
        double scale = CanvasStyle.scale();           // labels follow the window's font scale
        if (labels && cell >= MIN_LABEL_CELL * scale && rowLabels.size() == rows && colLabels.size() == cols) {
            fontSize = Math.min(16 * scale, Math.max(9 * scale, cell * 0.9));
            left = Math.max(longest(rowLabels), 1) * fontSize * 0.62 + 8;
            top = fontSize * 1.35 + 4;
            double labelled = Math.min((w - left) / cols, (h - top) / rows);
            if (labelled >= MIN_LABEL_CELL * scale) {
                cell = labelled;
            } else {
                left = 0;
                top = 0;
                fontSize = 0;
            }
        }
        if (cell >= 3) {
            cell = Math.floor(cell);
        }
        double x0 = left + Math.floor((w - left - cell * cols) / 2), y0 = top + Math.floor((h - top - cell * rows) / 2);
        return new Layout(w, h, x0, y0, cell, rows, cols, fontSize);
    }

    /** Draws the cells layer: the weights, or an empty placeholder. */
    void paintCells(GraphicsContext g, Layout l, double[] values) {
        g.clearRect(0, 0, l.w(), l.h());
        if (l.cell() <= 0) {
            g.setFill(EMPTY);
            g.fillRect(0, 0, l.w(), l.h());
            return;
        }
        int rows = l.rows(), cols = l.cols(), n = rows * cols;
        if (argb.length != n) {
            argb = new int[n];
        }
        for (int i = 0; i < n; i++) {
            argb[i] = ColorMap.argb(i < values.length ? values[i] : Double.NaN);
        }
        if (image == null || (int) image.getWidth() != cols || (int) image.getHeight() != rows) {
            image = new WritableImage(cols, rows);
        }
        image.getPixelWriter().setPixels(0, 0, cols, rows, PixelFormat.getIntArgbInstance(), argb, 0, cols);
        g.setImageSmoothing(false);
        g.drawImage(image, l.x0(), l.y0(), l.cell() * cols, l.cell() * rows);
    }

    /** Draws the decoration layer: labels (when they fit) and the hovered cell (-1, -1 for none). */
    void paintDecoration(GraphicsContext g, Layout l, List<String> rowLabels, List<String> colLabels, int hoverRow,
                         int hoverCol) {
        g.clearRect(0, 0, l.w(), l.h());
        paintLabels(g, l, rowLabels, colLabels, hoverRow, hoverCol);
    }

    /** Draws labels and the hovered cell over whatever {@code g} holds. */
    void paintLabels(GraphicsContext g, Layout l, List<String> rowLabels, List<String> colLabels, int hoverRow,
                     int hoverCol) {
        double cell = l.cell(), x0 = l.x0(), y0 = l.y0();
        if (l.labelled()) {
            Font normal = Font.font("System", l.fontSize());
            Font bold = Font.font("System", FontWeight.BOLD, l.fontSize());
            g.setFill(LABEL);
            g.setTextBaseline(VPos.CENTER);
            g.setTextAlign(TextAlignment.RIGHT);
            for (int r = 0; r < l.rows(); r++) {
                g.setFont(r == hoverRow ? bold : normal);
                g.fillText(rowLabels.get(r), x0 - 4, y0 + (r + 0.5) * cell);
            }
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.BOTTOM);
            for (int c = 0; c < l.cols(); c++) {
                g.setFont(c == hoverCol ? bold : normal);
                g.fillText(colLabels.get(c), x0 + (c + 0.5) * cell, y0 - 3);
            }
        }
        if (hoverRow >= 0 && hoverCol >= 0 && hoverRow < l.rows() && hoverCol < l.cols()) {
            g.setStroke(HOVER);
            g.setLineWidth(2);
            g.strokeRect(x0 + hoverCol * cell, y0 + hoverRow * cell, cell, cell);
        }
    }

    private static int longest(List<String> labels) {
        int m = 0;
        for (String s : labels) {
            m = Math.max(m, s.length());
        }
        return m;
    }
}
