package org.attnlab.app.interventions;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.attnlab.app.attention.HeatmapView;
import org.attnlab.app.common.Styles;
import org.attnlab.engine.tasks.Vocabulary;
import org.attnlab.engine.train.TrainingHistory;

/** Every layer x head's attention on the probe at one recorded moment, as small heatmaps under a caption. */
final class MomentGrid extends VBox {
    private final Label caption = new Label();
    private final GridPane grid = new GridPane();
    private HeatmapView[][] maps = new HeatmapView[0][0];

    MomentGrid(String id) {
        super(4);
        setId(id);
        caption.setId(id + "Caption");
        caption.getStyleClass().add(Styles.VIEW_HEADING);
        grid.setHgap(6);
        grid.setVgap(6);
        getChildren().addAll(caption, grid);
    }

    /** Shows moment {@code m} (null clears). */
    void show(TrainingHistory.Moment m, String label, Vocabulary vocab) {
        if (m == null) {
            caption.setText(label + ": nothing recorded yet");
            grid.getChildren().clear();
            maps = new HeatmapView[0][0];
            return;
        }
        caption.setText(label);
        if (maps.length != m.layers() || maps[0].length != m.heads()) {
            rebuild(m.layers(), m.heads());
        }
        List<String> tokens = new ArrayList<>();
        for (int id : m.tokens()) {
            tokens.add(id < vocab.size() ? vocab.token(id) : "<" + id + ">");
        }
        for (int l = 0; l < m.layers(); l++) {
            for (int h = 0; h < m.heads(); h++) {
                maps[l][h].setData(m.pattern(l, h), m.length(), m.length(), tokens, tokens);
            }
        }
    }

    /** @return the heatmap of head (l, h) */
    HeatmapView heatmap(int l, int h) {
        return maps[l][h];
    }

    private void rebuild(int layers, int heads) {
        grid.getChildren().clear();
        maps = new HeatmapView[layers][heads];
        double size = Math.max(48, Math.min(120, 250.0 / Math.max(layers, heads)));
        for (int h = 0; h < heads; h++) {
            Label l = new Label("head " + h);
            l.getStyleClass().add(Styles.GRID_HEADER);
            l.setMaxWidth(Double.MAX_VALUE);
            l.setAlignment(Pos.CENTER);
            grid.add(l, h + 1, 0);
        }
        for (int l = 0; l < layers; l++) {
            Label r = new Label("layer " + l);
            r.getStyleClass().add(Styles.GRID_HEADER);
            grid.add(r, 0, l + 1);
            for (int h = 0; h < heads; h++) {
                HeatmapView m = new HeatmapView();
                m.setPrefSize(size, size);
                m.setMinSize(size, size);
                m.setShowLabels(false);
                maps[l][h] = m;
                grid.add(m, h + 1, l + 1);
            }
        }
    }
}
