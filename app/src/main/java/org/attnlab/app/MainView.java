package org.attnlab.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.attnlab.app.attention.HeadDetailView;
import org.attnlab.app.attention.HeatmapView;
import org.attnlab.app.common.Banner;
import org.attnlab.app.common.FileDialogs;
import org.attnlab.app.common.Icons;
import org.attnlab.app.common.Styles;
import org.attnlab.app.probe.PredictionsView;
import org.attnlab.app.probe.ProbeView;
import org.attnlab.app.training.SetupView;
import org.attnlab.app.training.StatusBar;
import org.attnlab.app.training.TrainingViewModel;
import org.attnlab.app.training.TransportBar;
import org.attnlab.app.window.ViewTab;

/**
 * The window's frame: the menu bar (File, then the features' menus) and the transport on top,
 * banners below them, the setup sidebar on the left, the probe and the views (tabs the features
 * add) in the middle, the selected head and the predictions on the right, the status bar at the
 * bottom. Ctrl+1..9 select the tabs. Knows no feature: {@link AttnLabWindow} adds their tabs and
 * menus.
 */
public final class MainView extends BorderPane {
    private final MainViewModel vm;
    private final FileDialogs dialogs;
    private final MenuBar menuBar = new MenuBar();
    private final TabPane views = new TabPane();
    private final VBox top = new VBox();
    private final Map<String, Node> banners = new LinkedHashMap<>();

    /**
     * @param vm      the window's view model
     * @param dialogs the file dialogs to use
     */
    public MainView(MainViewModel vm, FileDialogs dialogs) {
        this.vm = vm;
        this.dialogs = dialogs;
        TrainingViewModel training = vm.training();

        setTop(top);
        menuBar.getMenus().add(fileMenu());
        top.getChildren().addAll(menuBar, new TransportBar(training));

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
     * Adds a view as a tab of the centre (below the probe), after the ones added before; Ctrl+1..9
     * select the tabs in order. The view's {@code showing} follows the tab's selection.
     *
     * @param view the view
     * @return the tab (its {@code id} is {@link ViewTab#id()})
     */
    public Tab addView(ViewTab view) {
        Tab tab = new Tab(view.name(), view.content());
        tab.setClosable(false);
        tab.setId(view.id());
        views.getTabs().add(tab);
        view.showing().bind(tab.selectedProperty());
        return tab;
    }

    /** Adds a menu to the menu bar, after the ones added before. */
    public void addMenu(Menu menu) {
        menuBar.getMenus().add(menu);
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

    /** Ctrl+1..9 select the tabs in order. */
    public void installShortcuts(Scene scene) {
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.isShortcutDown() && !e.isAltDown() && e.getCode().isDigitKey()) {
                int index = e.getCode().getCode() - KeyCode.DIGIT1.getCode();
                if (index >= 0 && index < views.getTabs().size()) {
                    views.getSelectionModel().select(index);
                    e.consume();
                }
            }
        });
    }

    /**
     * Asks where to save a PNG of {@code what} (suggesting a name from the run and step), then
     * writes the picture taken after the answer.
     */
    public void exportPng(String what, Supplier<? extends Image> picture) {
        dialogs.savePng(window(), vm.suggestedPngName(what)).ifPresent(p -> vm.exportPng(picture.get(), p));
    }

    /** Exports a heatmap (its context menu) at 720 pixels. */
    public void exportHeatmap(HeatmapView heatmap) {
        String what = heatmap.getUserData() == null ? "heatmap" : heatmap.getUserData().toString();
        exportPng(what, () -> heatmap.render(720));
    }

    private Menu fileMenu() {
        MenuItem open = new MenuItem("Open checkpoint\u2026", Icons.icon(Icons.OPEN));
        open.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        open.setOnAction(e -> dialogs.openCheckpoint(window()).ifPresent(vm::open));
        MenuItem save = new MenuItem("Save checkpoint\u2026", Icons.icon(Icons.SAVE));
        save.setAccelerator(KeyCombination.keyCombination("Shortcut+S"));
        save.setOnAction(e -> dialogs.saveCheckpoint(window(), vm.suggestedCheckpointName()).ifPresent(vm::save));
        Menu recent = new Menu("Recent files");
        vm.recentFiles().addListener((ListChangeListener<Path>) c -> fillRecent(recent));
        fillRecent(recent);
        MenuItem export = new MenuItem("Export view as PNG\u2026", Icons.icon(Icons.IMAGE));
        export.setAccelerator(KeyCombination.keyCombination("Shortcut+E"));
        export.setOnAction(e -> exportPng("view", () -> getScene().snapshot(null)));
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(e -> window().hide());
        return new Menu("File", null, open, save, recent, new SeparatorMenuItem(), export, new SeparatorMenuItem(), quit);
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

    private Window window() {
        return getScene() == null ? null : getScene().getWindow();
    }
}
