package org.attnlab.tests.ui;

import static org.attnlab.tests.ui.Ui.fx;
import static org.attnlab.tests.ui.Ui.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import javafx.scene.input.KeyCode;
import org.attnlab.app.common.Styles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

/** The keyboard shortcuts work wherever the focus is, except in a text field: after clicking a toolbar button too. */
@Tag("ui")
class ShortcutFocusTest {
    private static final FxRobot robot = new FxRobot();
    private static AppWindow app;

    @BeforeAll
    static void open() throws Exception {
        app = AppWindow.open("keys");
    }

    @AfterAll
    static void close() throws Exception {
        app.dispose();
    }

    private static long step() {
        return app.vm().lastSnapshot().step();
    }

    @Test
    void rightArrowStepsAfterClickingTheStepButton() {
        robot.clickOn("#" + Styles.STEP_BUTTON);
        waitUntil("one step", 10, () -> step() == 1);
        assertEquals("#" + Styles.STEP_BUTTON, "#" + fx(() -> app.vm() == null ? null
                : robot.lookup("#" + Styles.STEP_BUTTON).query().getScene().getFocusOwner().getId()));
        robot.type(KeyCode.RIGHT);
        waitUntil("Right takes a step with the Step button focused", 10, () -> step() == 2);
        robot.type(KeyCode.RIGHT);
        waitUntil("and another", 10, () -> step() == 3);
    }
}
