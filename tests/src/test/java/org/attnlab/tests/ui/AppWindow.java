package org.attnlab.tests.ui;

import static org.attnlab.tests.ui.Ui.fx;
import static org.attnlab.tests.ui.Ui.fxRun;
import static org.attnlab.tests.ui.Ui.waitUntil;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.attnlab.app.AppConfig;
import org.attnlab.app.AttnLabWindow;
import org.attnlab.app.MainViewModel;
import org.attnlab.app.common.AnalysisJob;
import org.attnlab.app.common.FileDialogs;
import org.attnlab.app.lessons.LessonsFeature;
import org.attnlab.app.training.TrainingSession;
import org.attnlab.app.training.TrainingSnapshot;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The one start-up and clean-up of the UI tests: opens the real window on TestFX's primary stage
 * through the program's own entry ({@link AttnLabWindow#open}), with the test's configuration:
 * flip-flop at start, no autosave, recent files and lesson progress in preferences nodes of the
 * test's own (removed by {@link #dispose}), and file dialogs that answer with {@link #nextFile}.
 * Waits for the first snapshot.
 */
final class AppWindow {
    /** The file the dialogs answer with next (empty: the user cancels). */
    final AtomicReference<Path> nextFile = new AtomicReference<>();
    final FxRobot robot = new FxRobot();
    private final String prefsNode;
    private final AppConfig config;
    private Stage stage;
    private AttnLabWindow window;

    private AppWindow(String name, UnaryOperator<AppConfig> configure) {
        prefsNode = "org/attnlab/tests/ui-" + name + "-" + ProcessHandle.current().pid();
        FileDialogs dialogs = new FileDialogs() {
            @Override
            public Optional<Path> openCheckpoint(Window owner) {
                return Optional.ofNullable(nextFile.get());
            }

            @Override
            public Optional<Path> saveCheckpoint(Window owner, String suggestedName) {
                return Optional.ofNullable(nextFile.get());
            }

            @Override
            public Optional<Path> savePng(Window owner, String suggestedName) {
                return Optional.ofNullable(nextFile.get());
            }
        };
        config = configure.apply(AppConfig.defaults().withStartPreset(AppConfig.DEFAULT_PRESET).withoutAutosave()
                .withPreferences(prefsNode, prefsNode + "/lessons").withFileDialogs(dialogs));
    }

    /** Opens the window for test class {@code name} with the tests' configuration. */
    static AppWindow open(String name) throws Exception {
        return open(name, c -> c);
    }

    /** Opens the window for test class {@code name} with the tests' configuration changed by {@code configure}. */
    static AppWindow open(String name, UnaryOperator<AppConfig> configure) throws Exception {
        AppWindow w = new AppWindow(name, configure);
        w.start();
        return w;
    }

    /** Opens the window (again, after {@link #close}) with the same configuration and preferences. */
    void start() throws Exception {
        stage = FxToolkit.registerPrimaryStage();
        window = fx(() -> AttnLabWindow.open(stage, config));
        waitUntil("the first snapshot", 20, () -> window.viewModel().lastSnapshot() != null);
    }

    /** Closes the window as the program does when it quits (autosave included); the preferences stay. */
    void close() {
        if (window != null) {
            AttnLabWindow w = window;
            window = null;
            fx(() -> {
                w.close();
                return null;
            }, 30);
        }
    }

    /** Closes the window and removes the test's preferences. */
    void dispose() throws BackingStoreException {
        close();
        Preferences.userRoot().node(prefsNode).removeNode();
    }

    /** @return the open window */
    AttnLabWindow window() {
        return window;
    }

    /** @return the window's view model */
    MainViewModel vm() {
        return window.viewModel();
    }

    /** @return the training thread */
    TrainingSession session() {
        return window.session();
    }

    /** @return the lessons and classroom mode */
    LessonsFeature lessons() {
        return window.feature(LessonsFeature.class);
    }

    /** @return the stage */
    Stage stage() {
        return stage;
    }

    /** @return the window's scene */
    Scene scene() {
        return fx(() -> stage.getScene());
    }

    /** @return the newest snapshot the window shows (call on any thread) */
    TrainingSnapshot last() {
        return fx(() -> window.viewModel().lastSnapshot());
    }

    /** @return the node {@code query} finds (CSS selector, e.g. {@code #stepLabel}) */
    @SuppressWarnings("unchecked")
    <T extends Node> T node(String query) {
        return (T) robot.lookup(query).query();
    }

    /** Opens the tab of node id {@code id} (e.g. {@code view-ablation}). */
    void showTab(String id) {
        fxRun(() -> {
            TabPane tabs = window.view().views();
            Tab tab = tabs.getTabs().stream().filter(t -> id.equals(t.getId())).findFirst().orElseThrow();
            tabs.getSelectionModel().select(tab);
        });
    }

    /** @return the name of the open tab */
    String currentView() {
        return fx(() -> window.view().currentViewName());
    }

    /**
     * Waits until the window shows the training thread's newest snapshot and every analysis the
     * views asked for is on screen (no analysis job waits for its result).
     */
    void settled() {
        waitUntil("the window shows the newest snapshot and its analyses", 60, () -> {
            TrainingSnapshot s = window.session().latest();
            return window.viewModel().lastSnapshot() == s && window.viewModel().snapshotProperty().get() == s
                    && AnalysisJob.busyJobs() == 0;
        });
    }

    /**
     * Waits until the training thread has answered a command sent now (a probe that changes
     * nothing) with a fresh snapshot, and the window shows it: whatever the thread did before it,
     * it has done, and the screen shows it.
     *
     * @return that snapshot
     */
    TrainingSnapshot roundTrip() {
        TrainingSnapshot before = window.session().latest();
        window.session().setProbe(before.probe().tokenIds());
        waitUntil("the training thread answers and the window shows it", 20, () ->
                window.session().latest() != before && window.viewModel().lastSnapshot() == window.session().latest());
        return fx(() -> window.viewModel().lastSnapshot());
    }
}
