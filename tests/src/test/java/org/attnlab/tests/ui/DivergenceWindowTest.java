package org.attnlab.tests.ui;

import static org.attnlab.tests.ui.Ui.fx;
import static org.attnlab.tests.ui.Ui.fxRun;
import static org.attnlab.tests.ui.Ui.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.scene.control.Label;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.model.Param;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

/**
 * A learning rate far too high makes training diverge: the window pauses at once, keeps the
 * last good model, explains in a banner what happened and what to try, shows no dialog and
 * stays responsive; a lower learning rate then trains again.
 */
@Tag("ui")
class DivergenceWindowTest {
    private static final FxRobot robot = new FxRobot();
    private static AppWindow app;

    @BeforeAll
    static void open() throws Exception {
        app = AppWindow.open("diverge");
    }

    @AfterAll
    static void close() throws Exception {
        app.dispose();
    }

    private static TrainingSnapshot latest() {
        return app.vm().lastSnapshot();
    }

    @Test
    void aDivergingRunPausesKeepsTheLastGoodModelAndExplains() {
        fxRun(() -> {
            app.vm().training().settings().learningRateProperty().set(1e200);
            app.vm().training().reset();
        });
        waitUntil("the new model", 20, () -> latest().step() == 0
                && latest().spec().training().adamw().lr() == 1e200);
        fxRun(() -> app.vm().training().play());
        waitUntil("the run stops with an explanation", 30, () -> latest().error() != null && !latest().running());

        String status = fx(() -> app.vm().training().statusProperty().get());
        assertTrue(status.contains("diverged") && status.contains("lower learning rate"), status);
        waitUntil("the banner explains it", 5, () -> robot.lookup("#problem").tryQuery().isPresent());
        String banner = fx(() -> robot.lookup("#problemMessage").queryAs(Label.class).getText());
        assertEquals(status, banner);
        assertFalse(robot.lookup(".dialog-pane").tryQuery().isPresent(), "no dialog");
        assertFalse(fx(() -> app.vm().training().runningProperty().get()), "paused");

        long stoppedAt = latest().step();
        assertEquals(stoppedAt, app.roundTrip().step(), "training stays paused: the thread answers without a step");
        assertEquals(stoppedAt, latest().step(), "and the window shows that");
        for (Param p : latest().probe().model().all()) {           // the last good model, not NaN
            for (int i = 0; i < p.size(); i++) {
                assertTrue(Double.isFinite(p.value().data[i]), p.name() + "[" + i + "]");
            }
        }
        Ui.screenshot(fx(() -> robot.lookup("#problem").query().getScene()), "diverged-banner");

        // what the banner says to try works: a sane learning rate trains again and the banner goes
        fxRun(() -> {
            app.vm().training().settings().learningRateProperty().set(3e-3);
            app.vm().training().reset();
        });
        waitUntil("a fresh model", 20, () -> latest().error() == null && latest().step() == 0);
        fxRun(() -> app.vm().training().play());
        waitUntil("it trains past 20 steps", 30, () -> latest().step() > 20);
        fxRun(() -> app.vm().training().pause());
        assertTrue(Double.isFinite(latest().trainLoss()));
        robot.clickOn("#problemDismiss");
        waitUntil("the banner is dismissed", 5, () -> robot.lookup("#problem").tryQuery().isEmpty());
    }
}
