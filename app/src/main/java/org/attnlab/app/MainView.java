package org.attnlab.app;

import java.nio.file.Path;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.attnlab.app.attention.AttentionGridView;
import org.attnlab.app.attention.HeadDetailView;
import org.attnlab.app.attention.HeatmapView;
import org.attnlab.app.common.Banner;
import org.attnlab.app.common.FileDialogs;
import org.attnlab.app.common.Icons;
import org.attnlab.app.common.Styles;
import org.attnlab.app.probe.PredictionsView;
import org.attnlab.app.probe.ProbeView;
import org.attnlab.app.training.CurvesView;
import org.attnlab.app.training.SetupView;
import org.attnlab.app.training.StatusBar;
import org.attnlab.app.training.TrainingViewModel;
import org.attnlab.app.training.TransportBar;

/**
 * The main window's layout: menu and transport on top, setup on the left, the probe, the
 * attention grid and the curves in the middle, the selected head and the predictions on the
 * right, the status bar at the bottom. Keyboard: Space play/pause, Right step, R reset.
 */
public final class MainView extends BorderPane {
    private final MainViewModel vm;
    private final Supplier<FileDialogs> dialogs;
    private final TabPane views = new TabPane();
    private final VBox top = new VBox();
    private final java.util.Map<String, Node> banners = new java.util.LinkedHashMap<>();

    /**
     * @param vm      the window's view model
     * @param dialogs the file dialogs to use (tests swap them)
     */
    public MainView(MainViewModel vm, Supplier<FileDialogs> dialogs) {
        this.vm = vm;
        this.dialogs = dialogs;
        TrainingViewModel training = vm.training();

        setTop(top);
        top.getChildren().addAll(menuBar(), new TransportBar(training));

        SetupView setup = new SetupView(training);
        ScrollPane left = new ScrollPane(setup);
        left.setFitToWidth(true);
        left.setFitToHeight(true);
        left.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        left.prefWidthProperty().bind(Bindings.max(250, Bindings.min(300, widthProperty().multiply(0.22))));
        left.setMinWidth(240);
        left.getStyleClass().add(Styles.SIDEBAR);
        setLeft(left);

        ProbeView probe = new ProbeView(vm.probe());
        AttentionGridView grid = new AttentionGridView(vm.attention());
        grid.setExporter(this::exportHeatmap);
        VBox.setVgrow(grid, Priority.ALWAYS);
        Node gridTitle = title("Attention of every head on the probe \u00b7 rows: queries, columns: keys");
        CurvesView curves = new CurvesView(training);
        curves.setPrefHeight(230);
        curves.setMinHeight(170);
        curves.setMinWidth(0);
        VBox trainingView = new VBox(8, gridTitle, grid, curves);
        trainingView.setMinWidth(0);
        grid.showingProperty().bind(addView("Training", trainingView).selectedProperty());
        // views inside the model (residual stream, logit lens, positions, step-through) are added here
        org.attnlab.app.inside.InsideViews.install(this, vm, dialogs);
        // views for interventions (ablation, patching, history, linear attention) are added here
        org.attnlab.app.interventions.InterventionViews.install(this, vm);
        VBox.setVgrow(views, Priority.ALWAYS);
        VBox center = new VBox(8, probe, views);
        center.setMinWidth(0);
        probe.setMinWidth(0);
        center.setPadding(new Insets(10, 10, 6, 10));
        center.getStyleClass().add(Styles.PANEL);
        setCenter(center);

        HeadDetailView detail = new HeadDetailView(vm.attention());
        detail.setExporter(this::exportHeatmap);
        PredictionsView predictions = new PredictionsView(vm.probe());
        VBox.setVgrow(detail, Priority.ALWAYS);
        VBox.setVgrow(predictions, Priority.SOMETIMES);
        predictions.setPrefHeight(250);
        predictions.setMinHeight(170);
        VBox right = new VBox(detail, predictions);
        right.prefWidthProperty().bind(Bindings.max(300, Bindings.min(430, widthProperty().multiply(0.3))));
        right.setMinWidth(280);
        setRight(right);

        setBottom(new StatusBar(training));
        // a problem while training (e.g. divergence) is explained across the window, not in a dialog
        training.failedProperty().addListener((o, was, failed) -> {
            if (failed) {
                showBanner("problem", Banner.of("problem", training.statusProperty().get(),
                        Banner.button("Dismiss", "problemDismiss", () -> showBanner("problem", null))));
            }
        });

        vm.noticeProperty().addListener((o, a, n) -> {
            if (n != null) {
                Alert alert = new Alert(Alert.AlertType.ERROR, n.text());
                alert.setTitle(n.title());
                alert.setHeaderText(n.title());
                if (window() != null) {
                    alert.initOwner(window());
                }
                alert.show();
            }
        });
    }

    /**
     * Adds a view as a tab of the centre (below the probe). The first view added is shown first;
     * Ctrl+1..9 select the tabs in order.
     *
     * @param name    the tab's label
     * @param content the view
     * @return the tab (its {@code id} is {@code "view-" + name} in lower case with dashes)
     */
    public Tab addView(String name, Node content) {
        Tab tab = new Tab(name, content);
        tab.setClosable(false);
        tab.setId("view-" + name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
        views.getTabs().add(tab);
        return tab;
    }

    /**
     * Shows a banner below the transport bar (e.g. "restore your last session?"), replacing the
     * previous one of the same kind; {@code null} removes it. Banners of different kinds stack.
     *
     * @param kind what the banner is about, e.g. {@code autosave} or {@code problem}
     */
    public void showBanner(String kind, Node node) {
        Node old = node == null ? banners.remove(kind) : banners.put(kind, node);
        if (old != null) {
            top.getChildren().remove(old);
        }
        if (node != null) {
            top.getChildren().add(node);
        }
    }

    /** @return the name of the open view (tab) */
    public String currentViewName() {
        Tab t = views.getSelectionModel().getSelectedItem();
        return t == null ? null : t.getText();
    }

    /** Opens the view (tab) of that name, if there is one. */
    public void selectView(String name) {
        for (Tab t : views.getTabs()) {
            if (t.getText().equals(name)) {
                views.getSelectionModel().select(t);
                return;
            }
        }
    }

    /** @return the centre's tabs, one per view */
    public TabPane views() {
        return views;
    }

    private static Node title(String text) {
        javafx.scene.control.Label l = new javafx.scene.control.Label(text);
        l.getStyleClass().add(Styles.PANEL_TITLE);
        return l;
    }

    /** Space plays or pauses, Right steps, R resets: unless the user is typing in a text field. */
    public void installShortcuts(Scene scene) {
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.isShortcutDown() && !e.isAltDown() && e.getCode().isDigitKey()) {
                int index = e.getCode().getCode() - KeyCode.DIGIT1.getCode();
                if (index >= 0 && index < views.getTabs().size()) {
                    views.getSelectionModel().select(index);
                    e.consume();
                }
                return;
            }
            if (e.isShortcutDown() || e.isAltDown() || scene.getFocusOwner() instanceof TextInputControl) {
                return;
            }
            TrainingViewModel t = vm.training();
            if (e.getCode() == KeyCode.SPACE) {
                t.togglePlay();
            } else if (e.getCode() == KeyCode.RIGHT) {
                t.stepOnce();
            } else if (e.getCode() == KeyCode.R) {
                t.reset();
            } else {
                return;
            }
            e.consume();
        });
    }

    private MenuBar menuBar() {
        MenuItem open = new MenuItem("Open checkpoint\u2026", Icons.icon(Icons.OPEN));
        open.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        open.setOnAction(e -> dialogs.get().openCheckpoint(window()).ifPresent(vm::open));
        MenuItem save = new MenuItem("Save checkpoint\u2026", Icons.icon(Icons.SAVE));
        save.setAccelerator(KeyCombination.keyCombination("Shortcut+S"));
        save.setOnAction(e -> dialogs.get().saveCheckpoint(window(), vm.suggestedCheckpointName()).ifPresent(vm::save));
        Menu recent = new Menu("Recent files");
        vm.recentFiles().addListener((ListChangeListener<Path>) c -> fillRecent(recent));
        fillRecent(recent);
        MenuItem export = new MenuItem("Export view as PNG\u2026", Icons.icon(Icons.IMAGE));
        export.setAccelerator(KeyCombination.keyCombination("Shortcut+E"));
        export.setOnAction(e -> dialogs.get().savePng(window(), vm.suggestedPngName("view"))
                .ifPresent(p -> vm.exportPng(getScene().snapshot(null), p)));
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(e -> window().hide());
        Menu file = new Menu("File", null, open, save, recent, new SeparatorMenuItem(), export,
                new SeparatorMenuItem(), quit);

        TrainingViewModel t = vm.training();
        MenuItem play = new MenuItem("Play / pause\t(Space)");
        play.setOnAction(e -> t.togglePlay());
        MenuItem step = new MenuItem("Step one\t(Right arrow)");
        step.setOnAction(e -> t.stepOnce());
        MenuItem reset = new MenuItem("Reset\t(R)");
        reset.setOnAction(e -> t.reset());
        MenuItem probe = new MenuItem("New probe example");
        probe.setOnAction(e -> vm.probe().regenerate());
        Menu training = new Menu("Training", null, play, step, reset, new SeparatorMenuItem(), probe);
        return new MenuBar(file, training);
    }

    private void fillRecent(Menu recent) {
        recent.getItems().clear();
        for (Path p : vm.recentFiles()) {
            MenuItem item = new MenuItem(p.getFileName() + "  \u2014  " + p.getParent());
            item.setMnemonicParsing(false);
            item.setOnAction(e -> vm.open(p));
            recent.getItems().add(item);
        }
        recent.setDisable(recent.getItems().isEmpty());
    }

    private void exportHeatmap(HeatmapView heatmap) {
        String what = heatmap.getUserData() == null ? "heatmap" : heatmap.getUserData().toString();
        dialogs.get().savePng(window(), vm.suggestedPngName(what))
                .ifPresent(p -> vm.exportPng(heatmap.render(720), p));
    }

    private Window window() {
        return getScene() == null ? null : getScene().getWindow();
    }
}
