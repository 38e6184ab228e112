package org.attnlab.app.attention;

import java.util.List;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import org.attnlab.app.common.Styles;

/**
 * One attention pattern (or any matrix of weights in [0, 1]) drawn on a {@link Canvas}: rows
 * are query positions, columns key positions, labelled with the probe's tokens when the cells
 * are large enough. Style class {@value Styles#ATTENTION_HEATMAP}. {@link #values()} returns
 * what is drawn, so tests can read the cells.
 */
public final class HeatmapView extends Region {
    /** Called with (row, col) of the cell under the mouse, or (-1, -1) when it leaves. */
    @FunctionalInterface
    public interface HoverListener {
        void hovered(int row, int col);
    }

    private final Canvas cells = new Canvas();
    private final Canvas decoration = new Canvas();
    private final HeatmapPainter painter = new HeatmapPainter();
    private double[] values = new double[0];
    private int rows;
    private int cols;
    private List<String> rowLabels = List.of();
    private List<String> colLabels = List.of();
    private boolean showLabels = true;
    private int hoverRow = -1;
    private int hoverCol = -1;
    private HeatmapPainter.Layout layout;
    private HoverListener hoverListener;

    public HeatmapView() {
        getStyleClass().add(Styles.ATTENTION_HEATMAP);
        getChildren().addAll(cells, decoration);
        setMinSize(16, 16);
        addEventHandler(MouseEvent.MOUSE_MOVED, e -> hover(e.getX() - snappedLeftInset(), e.getY() - snappedTopInset()));
        addEventHandler(MouseEvent.MOUSE_EXITED, e -> setHover(-1, -1));
        org.attnlab.app.common.CanvasStyle.redrawOnChange(this, this::redraw);   // font scale, projector colours
    }

    /**
     * Shows a matrix.
     *
     * @param v         row-major {@code [r * c]} weights in [0, 1]; kept, not copied (pass an array nobody changes)
     * @param rowLabels one per row (query tokens), or empty
     * @param colLabels one per column (key tokens), or empty
     */
    public void setData(double[] v, int r, int c, List<String> rowLabels, List<String> colLabels) {
        if (v.length != r * c) {
            throw new IllegalArgumentException("expected " + r * c + " values, got " + v.length);
        }
        boolean sameFrame = r == rows && c == cols && rowLabels.equals(this.rowLabels)
                && colLabels.equals(this.colLabels);
        this.values = v;
        this.rows = r;
        this.cols = c;
        this.rowLabels = rowLabels;
        this.colLabels = colLabels;
        if (sameFrame && layout != null) {
            painter.paintCells(cells.getGraphicsContext2D(), layout, values);   // training: only the cells change
            return;
        }
        if (hoverRow >= r || hoverCol >= c) {
            hoverRow = -1;
            hoverCol = -1;
        }
        redraw();
    }

    /** @return a copy of the weights drawn, row-major {@code [rows * cols]} */
    public double[] values() {
        return values.clone();
    }

    /** @return the number of rows (query positions) */
    public int rows() {
        return rows;
    }

    /** @return the number of columns (key positions) */
    public int cols() {
        return cols;
    }

    /** @return the size in pixels of the token labels as last drawn, 0 without labels (they follow the font scale) */
    public double labelFontSize() {
        return layout == null ? 0 : layout.fontSize();
    }

    /** @return the row labels (query tokens) */
    public List<String> rowLabels() {
        return rowLabels;
    }

    /** @param show whether to draw token labels (when cells are large enough) */
    public void setShowLabels(boolean show) {
        showLabels = show;
        redraw();
    }

    /** @param l told about the cell under the mouse */
    public void setHoverListener(HoverListener l) {
        hoverListener = l;
    }

    /** Highlights a cell (-1, -1 for none). */
    public void setHover(int row, int col) {
        if (row == hoverRow && col == hoverCol) {
            return;
        }
        hoverRow = row;
        hoverCol = col;
        if (layout != null) {
            painter.paintDecoration(decoration.getGraphicsContext2D(), layout, rowLabels, colLabels, hoverRow, hoverCol);
        }
        if (hoverListener != null) {
            hoverListener.hovered(row, col);
        }
    }

    private void hover(double x, double y) {
        int[] rc = layout == null ? null : layout.cellAt(x, y);
        if (rc == null) {
            setHover(-1, -1);
        } else {
            setHover(rc[0], rc[1]);
        }
    }

    /**
     * Draws the current matrix, labelled, into a fresh image of {@code size} x {@code size}
     * pixels (for export as PNG), on a white background.
     */
    public WritableImage render(double size) {
        Canvas c = new Canvas(size, size);
        GraphicsContext g = c.getGraphicsContext2D();
        HeatmapPainter.Layout l = HeatmapPainter.layout(size, size, rows, cols, rowLabels, colLabels, true);
        HeatmapPainter p0 = new HeatmapPainter();
        p0.paintCells(g, l, values);
        p0.paintLabels(g, l, rowLabels, colLabels, -1, -1);
        SnapshotParameters p = new SnapshotParameters();
        p.setFill(Color.WHITE);
        return c.snapshot(p, null);
    }

    @Override
    protected void layoutChildren() {
        double w = snapSizeX(getWidth() - snappedLeftInset() - snappedRightInset());
        double h = snapSizeY(getHeight() - snappedTopInset() - snappedBottomInset());
        for (Canvas c : new Canvas[] {cells, decoration}) {
            c.relocate(snappedLeftInset(), snappedTopInset());
        }
        if (cells.getWidth() != w || cells.getHeight() != h) {
            for (Canvas c : new Canvas[] {cells, decoration}) {
                c.setWidth(Math.max(0, w));
                c.setHeight(Math.max(0, h));
            }
            redraw();
        }
    }

    @Override
    protected double computePrefWidth(double height) {
        return 120;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 120;
    }

    private void redraw() {
        layout = HeatmapPainter.layout(cells.getWidth(), cells.getHeight(), rows, cols, rowLabels, colLabels, showLabels);
        painter.paintCells(cells.getGraphicsContext2D(), layout, values);
        painter.paintDecoration(decoration.getGraphicsContext2D(), layout, rowLabels, colLabels, hoverRow, hoverCol);
    }

}
