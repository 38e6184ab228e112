package org.attnlab.tests.ui;

import static org.attnlab.tests.ui.Ui.fx;
import static org.attnlab.tests.ui.Ui.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.prefs.Preferences;
import javafx.scene.input.KeyCode;
import org.attnlab.app.AttnLabApp;
import org.attnlab.app.common.RecentFiles;
import org.attnlab.app.common.Styles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/** The keyboard shortcuts work wherever the focus is, except in a text field: after clicking a toolbar button too. */
class ShortcutFocusTest {
    private static final String PREFS_NODE = "org/attnlab/tests/keys-" + ProcessHandle.current().pid();
    private static final FxRobot robot = new FxRobot();
    private static AttnLabApp app;

    @BeforeAll
    static void open() throws Exception {
        System.setProperty(AttnLabApp.PRESET_PROPERTY, "flipflop16");
        System.setProperty(RecentFiles.NODE_PROPERTY, PREFS_NODE);
        FxToolkit.registerPrimaryStage();
        app = (AttnLabApp) FxToolkit.setupApplication(AttnLabApp.class);
        waitUntil("the first snapshot", 20, () -> app.viewModel().lastSnapshot() != null);
    }

    @AfterAll
    static void close() throws Exception {
        FxToolkit.cleanupApplication(app);
        System.clearProperty(AttnLabApp.PRESET_PROPERTY);
        System.clearProperty(RecentFiles.NODE_PROPERTY);
        Preferences.userRoot().node(PREFS_NODE).removeNode();
    }

    private static long step() {
        return app.viewModel().lastSnapshot().step();
    }

    @Test
    void rightArrowStepsAfterClickingTheStepButton() {
        robot.clickOn("#" + Styles.STEP_BUTTON);
        waitUntil("one step", 10, () -> step() == 1);
        assertEquals("#" + Styles.STEP_BUTTON, "#" + fx(() -> app.viewModel() == null ? null
                : robot.lookup("#" + Styles.STEP_BUTTON).query().getScene().getFocusOwner().getId()));
        robot.type(KeyCode.RIGHT);
        waitUntil("Right takes a step with the Step button focused", 10, () -> step() == 2);
        robot.type(KeyCode.RIGHT);
        waitUntil("and another", 10, () -> step() == 3);
    }
}
