package org.attnlab.app.attention;

import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.control.ContextMenu;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.util.Duration;
import org.attnlab.app.common.ContextMenus;
import org.attnlab.app.common.Icons;
import org.attnlab.app.common.Styles;
import org.attnlab.app.training.ProbeResult;

/**
 * Every layer x head as a small heatmap of its attention pattern on the probe example, in a
 * grid (rows: layers, columns: heads) that fills the space it is given. Click a head to show it
 * large; hover a cell for the query, key and weight; right-click to export it as PNG.
 */
public final class AttentionGridView extends Region {
    private static final double ROW_HEADER = 62;
    private static final double COL_HEADER = 24;
    /** The headers' font size (px) that ROW_HEADER and COL_HEADER are sized for. */
    private static final double HEADER_FONT_PX = 13;
    private static final double GAP = 10;

    private final AttentionViewModel vm;
    private HeatmapView[][] maps = new HeatmapView[0][0];
    private Label[] rowHeaders = new Label[0];
    private Label[] colHeaders = new Label[0];
    private Consumer<HeatmapView> exporter = m -> { };
    /** Says so when the grid shows a moment of the training history instead of the live model. */
    private final Label pinnedNote = new Label();
    private final BooleanProperty showing = new SimpleBooleanProperty(this, "showing", true);

    /** @param vm the attention view model */
    public AttentionGridView(AttentionViewModel vm) {
        this.vm = vm;
        setId(Styles.ATTENTION_GRID_ID);
        getStyleClass().add(Styles.ATTENTION_GRID);
        vm.probeProperty().addListener((o, a, p) -> {
            if (showing.get()) {
                show(p);
            }
        });
        // a hidden canvas keeps every drawing command until it is shown again: draw only when seen
        showing.addListener((o, was, now) -> {
            if (now && vm.probeProperty().get() != null) {
                show(vm.probeProperty().get());
            }
        });
        vm.selectedLayerProperty().addListener((o, a, b) -> markSelected());
        vm.selectedHeadProperty().addListener((o, a, b) -> markSelected());
        addEventFilter(MouseEvent.MOUSE_PRESSED, e -> requestFocus());   // out of text fields: shortcuts work
        pinnedNote.setId("attentionPinned");
        pinnedNote.getStyleClass().add(Styles.PINNED_NOTE);
        pinnedNote.setVisible(false);
        pinnedNote.setManaged(false);
        getChildren().add(pinnedNote);
        vm.pinnedProperty().addListener((o, a, p) -> {
            pinnedNote.setVisible(p != null);
            pinnedNote.setText(p == null ? "" : "Step " + String.format(java.util.Locale.ROOT, "%,d", p.step())
                    + " from the training history (History tab) · not the live model");
            pinnedNote.toFront();
            requestLayout();
        });
    }

    /**
     * Whether the grid is on screen (the window binds it to its tab). While it is not, new
     * patterns are not drawn: a JavaFX canvas that is not rendered queues every drawing command
     * it gets (LEGO's 16 heads at 20 frames a second: about 8 MB a second); the newest patterns
     * are drawn when the grid shows again.
     */
    public BooleanProperty showingProperty() {
        return showing;
    }

    /** @param exporter asked to export a heatmap (context menu) */
    public void setExporter(Consumer<HeatmapView> exporter) {
        this.exporter = exporter;
    }

    /** @return the heatmap of head h in layer l */
    public HeatmapView heatmap(int l, int h) {
        return maps[l][h];
    }

    /** @return L, the number of rows of heatmaps shown */
    public int layers() {
        return maps.length;
    }

    /** @return H, the number of heatmaps per row */
    public int heads() {
        return maps.length == 0 ? 0 : maps[0].length;
    }

    private void show(ProbeResult p) {
        if (p == null) {
            return;
        }
        if (p.layers() != layers() || p.heads() != heads()) {
            rebuild(p.layers(), p.heads());
        }
        int t = p.length();
        for (int l = 0; l < p.layers(); l++) {
            for (int h = 0; h < p.heads(); h++) {
                maps[l][h].setData(p.patterns()[l][h], t, t, p.tokens(), p.tokens());
            }
        }
    }

    private void rebuild(int layers, int heads) {
        getChildren().clear();
        maps = new HeatmapView[layers][heads];
        rowHeaders = new Label[layers];
        colHeaders = new Label[heads];
        for (int h = 0; h < heads; h++) {
            colHeaders[h] = header("head " + h);
        }
        for (int l = 0; l < layers; l++) {
            rowHeaders[l] = header("layer " + l);
            rowHeaders[l].setAlignment(Pos.CENTER_RIGHT);
            for (int h = 0; h < heads; h++) {
                maps[l][h] = createHeatmap(l, h);
            }
        }
        getChildren().addAll(colHeaders);
        getChildren().addAll(rowHeaders);
        for (HeatmapView[] row : maps) {
            getChildren().addAll(row);
        }
        getChildren().add(pinnedNote);
        markSelected();
        requestLayout();
    }

    private Label header(String text) {
        Label label = new Label(text);
        label.getStyleClass().add(Styles.GRID_HEADER);
        label.setAlignment(Pos.CENTER);
        return label;
    }

    private HeatmapView createHeatmap(int l, int h) {
        HeatmapView m = new HeatmapView();
        m.setHoverListener((q, k) -> vm.hover(l, h, q, k));
        m.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() == MouseButton.PRIMARY) {
                vm.select(l, h);
            }
        });
        Tooltip tip = new Tooltip("Layer " + l + ", head " + h + ": rows are queries, columns keys. "
                + "Click to show it large; right-click to export.");
        tip.setShowDelay(Duration.millis(600));
        Tooltip.install(m, tip);
        MenuItem large = new MenuItem("Show large", Icons.icon(Icons.ENLARGE));
        large.setOnAction(e -> vm.select(l, h));
        MenuItem export = new MenuItem("Export heatmap as PNG\u2026", Icons.icon(Icons.IMAGE));
        export.setOnAction(e -> exporter.accept(m));
        ContextMenu menu = new ContextMenu(large, export);
        ContextMenus.install(m, menu);
        m.setUserData("L" + l + "H" + h);
        return m;
    }

    private void markSelected() {
        for (int l = 0; l < maps.length; l++) {
            for (int h = 0; h < maps[l].length; h++) {
                boolean on = l == vm.selectedLayerProperty().get() && h == vm.selectedHeadProperty().get();
                maps[l][h].getStyleClass().remove(Styles.SELECTED);
                if (on) {
                    maps[l][h].getStyleClass().add(Styles.SELECTED);
                }
            }
        }
    }

    @Override
    protected void layoutChildren() {
        pinnedNote.autosize();
        pinnedNote.relocate(snappedLeftInset(), snappedTopInset());
        int layers = layers(), heads = heads();
        if (layers == 0) {
            return;
        }
        double x = snappedLeftInset(), y = snappedTopInset();
        double w = getWidth() - x - snappedRightInset(), hgt = getHeight() - y - snappedBottomInset();
        // the headers' room grows with their font (the window's font scale), so "layer 0" is never cut
        double k = Math.max(1, rowHeaders[0].getFont().getSize() / HEADER_FONT_PX);
        double rowHeader = ROW_HEADER * k, colHeader = COL_HEADER * k;
        double size = Math.floor(Math.min((w - rowHeader - GAP * (heads - 1)) / heads,
                (hgt - colHeader - GAP * (layers - 1)) / layers));
        size = Math.max(size, 16);
        double gridW = rowHeader + heads * size + (heads - 1) * GAP;
        double gridH = colHeader + layers * size + (layers - 1) * GAP;
        double x0 = snapPositionX(x + Math.max(0, (w - gridW) / 2) + rowHeader);
        double y0 = snapPositionY(y + Math.max(0, (hgt - gridH) / 2) + colHeader);
        for (int h = 0; h < heads; h++) {
            colHeaders[h].resizeRelocate(x0 + h * (size + GAP), y0 - colHeader, size, colHeader);
        }
        for (int l = 0; l < layers; l++) {
            rowHeaders[l].resizeRelocate(x0 - rowHeader, y0 + l * (size + GAP), rowHeader - 8, size);
            for (int h = 0; h < heads; h++) {
                maps[l][h].resizeRelocate(x0 + h * (size + GAP), y0 + l * (size + GAP), size, size);
            }
        }
    }

    @Override
    protected double computePrefWidth(double height) {
        return 640;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 480;
    }

    @Override
    protected double computeMinWidth(double height) {
        return 200;
    }

    @Override
    protected double computeMinHeight(double width) {
        return 160;
    }
}
