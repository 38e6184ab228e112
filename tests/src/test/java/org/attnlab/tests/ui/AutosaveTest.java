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
import java.util.function.UnaryOperator;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import org.attnlab.app.AppConfig;
import org.attnlab.app.session.Autosave;
import org.attnlab.app.training.TrainingSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The session is saved when the window closes and every few seconds, and offered back at the
 * next start: Restore brings back the model, its step, the probe and the open view; a broken
 * session file is named in the banner and nothing else happens.
 */
@Tag("ui")
class AutosaveTest {
    private final FxRobot robot = new FxRobot();
    private AppWindow app;

    @TempDir
    Path dir;

    /** Opens the window autosaving into the test's folder (the first time; later: again, as at the next start). */
    private AppWindow open(UnaryOperator<AppConfig> more) throws Exception {
        if (app == null) {
            app = AppWindow.open("autosave", c -> more.apply(c.withAutosave(dir)));
        } else {
            app.start();
        }
        return app;
    }

    private AppWindow open() throws Exception {
        return open(c -> c);
    }

    /** Closes the window as quitting does: the session is saved. */
    private void close() {
        app.close();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (app != null) {
            app.dispose();
        }
    }

    private TabPane tabs() {
        return robot.lookup(".tab-pane").queryAs(TabPane.class);
    }

    private static long stepOf(AppWindow a) {
        TrainingSnapshot s = a.vm().lastSnapshot();
        return s == null ? -1 : s.step();
    }

    @Test
    void closingSavesTheSessionAndTheNextStartRestoresIt() throws Exception {
        open();
        for (int i = 0; i < 7; i++) {
            fxRun(() -> app.vm().training().stepOnce());
        }
        waitUntil("seven steps", 20, () -> stepOf(app) == 7);
        app.vm().session().regenerateProbe();
        waitUntil("a new probe", 10, () -> app.vm().lastSnapshot().probe().probeId() > 1);
        int[] probe = fx(() -> app.vm().lastSnapshot().probe().tokenIds().clone());
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
                && java.util.Arrays.equals(app.vm().lastSnapshot().probe().tokenIds(), probe)
                && view.equals(tabs().getSelectionModel().getSelectedItem().getText()));
        assertFalse(robot.lookup("#autosave").tryQuery().isPresent(), "the banner is gone");
        Ui.screenshot(fx(() -> app.vm() == null ? null : robot.lookup(".tab-pane").query().getScene()),
                "autosave-restored");
    }

    @Test
    void theSessionIsSavedPeriodicallyWhileTraining() throws Exception {
        open(c -> c.withAutosaveSeconds(1));
        fxRun(() -> app.vm().training().play());
        Autosave store = new Autosave(dir);
        waitUntil("an autosave while training", 30, () -> Files.isRegularFile(store.sessionFile()));
        fxRun(() -> app.vm().training().pause());
        long first = store.read().orElseThrow().step();
        assertTrue(first > 0, "saved at step " + first);
        // a later autosave follows the model
        fxRun(() -> app.vm().training().play());
        waitUntil("a later autosave", 30, () -> {
            try {
                return store.read().orElseThrow().step() > first;
            } catch (Exception e) {
                return false;
            }
        });
        fxRun(() -> app.vm().training().pause());
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
        fxRun(() -> app.vm().training().stepOnce());
        waitUntil("training works", 20, () -> stepOf(app) == 1);
        robot.clickOn("#autosaveDismiss");
        waitUntil("the banner is gone", 5, () -> robot.lookup("#autosave").tryQuery().isEmpty());
        assertFalse(Files.exists(dir.resolve(Autosave.SESSION)), "dismissed: the broken file is removed");
    }
}
