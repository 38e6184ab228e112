package org.attnlab.app.attention;

import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.attnlab.app.common.ContextMenus;
import org.attnlab.app.common.Icons;
import org.attnlab.app.common.Styles;
import org.attnlab.app.training.ProbeResult;

/**
 * The selected head, large and labelled with the probe's tokens; hovering a cell shows the
 * query token, the key token and the weight; a colour legend below.
 */
public final class HeadDetailView extends VBox {
    private final AttentionViewModel vm;
    private final HeatmapView heatmap = new HeatmapView();
    private Consumer<HeatmapView> exporter = m -> { };

    /** @param vm the attention view model */
    public HeadDetailView(AttentionViewModel vm) {
        this.vm = vm;
        getStyleClass().add(Styles.PANEL);
        setSpacing(6);
        setPadding(new Insets(8, 10, 8, 10));
        Label title = new Label();
        title.getStyleClass().add(Styles.PANEL_TITLE);
        title.textProperty().bind(vm.titleProperty());
        Label axes = new Label("rows: query tokens \u00b7 columns: key tokens they attend to");
        axes.getStyleClass().add(Styles.HINT);
        heatmap.setId(Styles.HEAD_DETAIL);
        heatmap.setPrefSize(410, 410);
        heatmap.setMinSize(200, 200);
        VBox.setVgrow(heatmap, Priority.ALWAYS);
        heatmap.setHoverListener((q, k) -> vm.hover(vm.selectedLayerProperty().get(), vm.selectedHeadProperty().get(),
                q, k));
        MenuItem export = new MenuItem("Export heatmap as PNG\u2026", Icons.icon(Icons.IMAGE));
        export.setOnAction(e -> exporter.accept(heatmap));
        ContextMenu menu = new ContextMenu(export);
        ContextMenus.install(heatmap, menu);
        Label hover = new Label();
        hover.setId(Styles.HOVER_LABEL);
        hover.getStyleClass().add(Styles.HOVER_READOUT);
        hover.setWrapText(true);
        hover.setMinHeight(40);
        hover.textProperty().bind(vm.hoverTextProperty());
        getChildren().addAll(title, axes, heatmap, new ColorLegend(), hover);
        vm.probeProperty().addListener((o, a, p) -> show());
        vm.selectedLayerProperty().addListener((o, a, b) -> show());
        vm.selectedHeadProperty().addListener((o, a, b) -> show());
    }

    /** @param exporter asked to export the heatmap (context menu) */
    public void setExporter(Consumer<HeatmapView> exporter) {
        this.exporter = exporter;
    }

    /** @return the large heatmap */
    public HeatmapView heatmap() {
        return heatmap;
    }

    private void show() {
        ProbeResult p = vm.probeProperty().get();
        double[] pattern = vm.pattern(vm.selectedLayerProperty().get(), vm.selectedHeadProperty().get());
        if (p != null && pattern != null) {
            heatmap.setData(pattern, p.length(), p.length(), p.tokens(), p.tokens());
            heatmap.setUserData("L" + vm.selectedLayerProperty().get() + "H" + vm.selectedHeadProperty().get());
        }
    }
}
