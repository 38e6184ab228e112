package org.attnlab.tests.ui;

import static org.attnlab.tests.ui.Ui.fx;
import static org.attnlab.tests.ui.Ui.fxRun;
import static org.attnlab.tests.ui.Ui.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import javafx.scene.control.ComboBox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

/** The settings sheet shows every value in use, also one outside its offered list (from an opened checkpoint). */
@Tag("ui")
class SettingsSheetTest {
    private static final FxRobot robot = new FxRobot();
    private static AppWindow app;

    @BeforeAll
    static void open() throws Exception {
        app = AppWindow.open("sheet");
    }

    @AfterAll
    static void close() throws Exception {
        app.dispose();
    }

    @Test
    void aLearningRateOutsideTheListIsShownNotBlank() {
        ComboBox<?> lr = fx(() -> robot.lookup("#trainingSheet .combo-box").queryAllAs(ComboBox.class).stream()
                .filter(c -> c.getItems().contains(3e-3)).findFirst().orElseThrow());
        fxRun(() -> app.vm().training().settings().learningRateProperty().set(7e-4));
        waitUntil("the field shows 7e-4", 5, () -> Double.valueOf(7e-4).equals(lr.getValue()));
        assertEquals(Double.valueOf(7e-4), fx(lr::getValue));
        fxRun(() -> app.vm().training().settings().learningRateProperty().set(3e-3));
        waitUntil("and back to a listed value", 5, () -> Double.valueOf(3e-3).equals(lr.getValue()));
    }
}
