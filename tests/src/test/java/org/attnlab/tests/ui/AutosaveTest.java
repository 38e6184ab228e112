package org.attnlab.tests.ui;

import static org.attnlab.tests.ui.Ui.fx;
import static org.attnlab.tests.ui.Ui.fxRun;
import static org.attnlab.tests.ui.Ui.waitUntil;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.prefs.Preferences;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.attnlab.app.AttnLabApp;
import org.attnlab.app.common.RecentFiles;
import org.attnlab.app.session.Autosave;
import org.attnlab.app.session.AutosaveController;
import org.attnlab.app.training.TrainingSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The session is saved when the window closes and every few seconds, and offered back at the
 * next start: Restore brings back the model, its step, the probe and the open view; a broken
 * session file is named in the banner and nothing else happens.
 */
@Tag("ui")
class AutosaveTest {
    private static final String PREFS_NODE = "org/attnlab/tests/autosave-" + ProcessHandle.current().pid();
    /** What the build set (off): restored after each test so later test classes do not autosave into the home folder. */
    private static final String OUTER_DIR = System.getProperty(Autosave.DIR_PROPERTY);
    private final FxRobot robot = new FxRobot();
    private AttnLabApp app;

    @TempDir
    Path dir;

    private AttnLabApp open() throws Exception {
        System.setProperty(AttnLabApp.PRESET_PROPERTY, "flipflop16");
        System.setProperty(RecentFiles.NODE_PROPERTY, PREFS_NODE);
        System.setProperty(Autosave.DIR_PROPERTY, dir.toString());
        Stage stage = FxToolkit.registerPrimaryStage();
        app = (AttnLabApp) FxToolkit.setupApplication(AttnLabApp.class);
        waitUntil("the first snapshot", 20, () -> app.viewModel().lastSnapshot() != null);
        return app;
    }

    private void close() throws Exception {
        FxToolkit.cleanupApplication(app);
        app = null;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (app != null) {
            close();
        }
        if (OUTER_DIR == null) {
            System.clearProperty(Autosave.DIR_PROPERTY);
        } else {
            System.setProperty(Autosave.DIR_PROPERTY, OUTER_DIR);
        }
        System.clearProperty(AutosaveController.INTERVAL_PROPERTY);
        System.clearProperty(AttnLabApp.PRESET_PROPERTY);
        System.clearProperty(RecentFiles.NODE_PROPERTY);
        Preferences.userRoot().node(PREFS_NODE).removeNode();
    }

    private TabPane tabs() {
        return robot.lookup(".tab-pane").queryAs(TabPane.class);
    }

    private static long stepOf(AttnLabApp a) {
        TrainingSnapshot s = a.viewModel().lastSnapshot();
        return s == null ? -1 : s.step();
    }

    @Test
    void closingSavesTheSessionAndTheNextStartRestoresIt() throws Exception {
        open();
        for (int i = 0; i < 7; i++) {
            fxRun(() -> app.viewModel().training().stepOnce());
        }
        waitUntil("seven steps", 20, () -> stepOf(app) == 7);
        app.viewModel().session().regenerateProbe();
        waitUntil("a new probe", 10, () -> app.viewModel().lastSnapshot().probe().probeId() > 1);
        int[] probe = fx(() -> app.viewModel().lastSnapshot().probe().tokenIds().clone());
        fxRun(() -> tabs().getSelectionModel().select(2));
        String view = fx(() -> tabs().getSelectionModel().getSelectedItem().getText());
        close();                                              // the window closes: the session is saved

        Autosave store = new Autosave(dir);
        Autosave.Session saved = store.read().orElseThrow();
        assertEquals(7, saved.step());
        assertArrayEquals(probe, saved.probe());
        assertEquals(view, saved.view());

        open();                                               // the next start offers it back
        waitUntil("the restore banner", 10, () -> robot.lookup("#autosave").tryQuery().isPresent());
        String text = fx(() -> robot.lookup("#autosaveMessage").queryAs(Label.class).getText());
        assertTrue(text.contains("step 7"), text);
        assertEquals(0, stepOf(app), "nothing is restored before the user says so");
        robot.clickOn("#autosaveRestore");
        waitUntil("the model at step 7 with its probe and view", 20, () -> stepOf(app) == 7
                && java.util.Arrays.equals(app.viewModel().lastSnapshot().probe().tokenIds(), probe)
                && view.equals(tabs().getSelectionModel().getSelectedItem().getText()));
        assertFalse(robot.lookup("#autosave").tryQuery().isPresent(), "the banner is gone");
        Ui.screenshot(fx(() -> app.viewModel() == null ? null : robot.lookup(".tab-pane").query().getScene()),
                "autosave-restored");
    }

    @Test
    void theSessionIsSavedPeriodicallyWhileTraining() throws Exception {
        System.setProperty(AutosaveController.INTERVAL_PROPERTY, "1");
        open();
        fxRun(() -> app.viewModel().training().play());
        Autosave store = new Autosave(dir);
        waitUntil("an autosave while training", 30, () -> Files.isRegularFile(store.sessionFile()));
        fxRun(() -> app.viewModel().training().pause());
        long first = store.read().orElseThrow().step();
        assertTrue(first > 0, "saved at step " + first);
        // a later autosave follows the model
        fxRun(() -> app.viewModel().training().play());
        waitUntil("a later autosave", 30, () -> {
            try {
                return store.read().orElseThrow().step() > first;
            } catch (Exception e) {
                return false;
            }
        });
        fxRun(() -> app.viewModel().training().pause());
    }

    @Test
    void aBrokenSessionFileIsNamedAndNothingElseHappens() throws Exception {
        Files.writeString(dir.resolve(Autosave.SESSION), "{\"format\":\"attnlab-session\",\"version\":1,\"saved_at\":");
        open();
        waitUntil("the banner names the problem", 10, () -> robot.lookup("#autosave").tryQuery().isPresent());
        String text = fx(() -> robot.lookup("#autosaveMessage").queryAs(Label.class).getText());
        assertTrue(text.contains("session.json") && text.contains("not JSON"), text);
        assertFalse(text.contains("\n"), text);
        Ui.screenshot(fx(() -> robot.lookup(".tab-pane").query().getScene()), "autosave-broken");
        fxRun(() -> app.viewModel().training().stepOnce());
        waitUntil("training works", 20, () -> stepOf(app) == 1);
        robot.clickOn("#autosaveDismiss");
        waitUntil("the banner is gone", 5, () -> robot.lookup("#autosave").tryQuery().isEmpty());
        assertFalse(Files.exists(dir.resolve(Autosave.SESSION)), "dismissed: the broken file is removed");
    }
}
