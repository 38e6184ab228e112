package org.attnlab.app;

import java.util.function.Consumer;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.attnlab.app.attention.AttentionGridView;
import org.attnlab.app.attention.HeatmapView;
import org.attnlab.app.common.Styles;
import org.attnlab.app.training.ControlLocks.Control;
import org.attnlab.app.training.CurvesView;
import org.attnlab.app.training.TrainingViewModel;
import org.attnlab.app.window.Contribution;
import org.attnlab.app.window.Feature;
import org.attnlab.app.window.Shortcut;
import org.attnlab.app.window.ViewTab;
import org.attnlab.app.window.WindowContext;

/**
 * Training: the "Training" tab (the attention grid of every head on the probe, the loss and metric
 * curves), the Training menu, and the keys Space (play / pause), Right (one step), R (reset),
 * each doing nothing while a lesson locks its control.
 */
final class TrainingFeature implements Feature {
    /** The tab's name. */
    static final String VIEW = "Training";
    private final Consumer<HeatmapView> exportHeatmap;
    private final Runnable newProbe;

    /**
     * @param exportHeatmap exports a heatmap as PNG (as the head detail's context menu does)
     * @param newProbe      draws a new probe example
     */
    TrainingFeature(Consumer<HeatmapView> exportHeatmap, Runnable newProbe) {
        this.exportHeatmap = exportHeatmap;
        this.newProbe = newProbe;
    }

    @Override
    public Contribution install(WindowContext window) {
        TrainingViewModel t = window.training();
        AttentionGridView grid = new AttentionGridView(window.attention());
        grid.setExporter(exportHeatmap);
        VBox.setVgrow(grid, Priority.ALWAYS);
        Label gridTitle = new Label("Attention of every head on the probe \u00b7 rows: queries, columns: keys");
        gridTitle.getStyleClass().add(Styles.PANEL_TITLE);
        CurvesView curves = new CurvesView(t);
        curves.setPrefHeight(230);
        curves.setMinHeight(170);
        curves.setMinWidth(0);
        VBox content = new VBox(8, gridTitle, grid, curves);
        content.setMinWidth(0);
        ViewTab tab = ViewTab.of(VIEW, content);
        grid.showingProperty().bind(tab.showing());
        return Contribution.builder()
                .view(tab)
                .menu(menu(t))
                .shortcut(Shortcut.plain(KeyCode.SPACE, unlessLocked(t, Control.PLAY, t::togglePlay)))
                .shortcut(Shortcut.plain(KeyCode.RIGHT, unlessLocked(t, Control.STEP, t::stepOnce)))
                .shortcut(Shortcut.plain(KeyCode.R, unlessLocked(t, Control.RESET, t::reset)))
                .build();
    }

    /** A locked control's key is taken and does nothing (it does not reach a focused button either). */
    private static Runnable unlessLocked(TrainingViewModel t, Control c, Runnable action) {
        return () -> {
            if (!t.locks().isLocked(c)) {
                action.run();
            }
        };
    }

    private Menu menu(TrainingViewModel t) {
        MenuItem play = new MenuItem("Play / pause\t(Space)");
        play.setOnAction(e -> t.togglePlay());
        MenuItem step = new MenuItem("Step one\t(Right arrow)");
        step.setOnAction(e -> t.stepOnce());
        MenuItem reset = new MenuItem("Reset\t(R)");
        reset.setOnAction(e -> t.reset());
        MenuItem probe = new MenuItem("New probe example");
        probe.setOnAction(e -> newProbe.run());
        return new Menu("Training", null, play, step, reset, new SeparatorMenuItem(), probe);
    }
}
