package org.attnlab.tests.ui;

import static org.attnlab.tests.ui.Ui.fx;
import static org.attnlab.tests.ui.Ui.fxRun;
import static org.attnlab.tests.ui.Ui.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.attnlab.app.lessons.LessonPanel;
import org.attnlab.app.lessons.LessonsFeature;
import org.attnlab.lessons.Lesson;
import org.attnlab.lessons.Step;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testfx.api.FxRobot;

/**
 * The lesson panel in the window: F1 opens it beside the views, Next / Back and Page Down / Page
 * Up step through the course, a prediction reveals its answer only after a choice, progress is
 * still there after the window is closed and opened again, "Train it yourself" trains the
 * lesson's model live. Screenshot: target/screenshots/lesson-panel*.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("ui")
class LessonPanelTest {
    private static AppWindow app;
    private static Stage stage;
    private static final FxRobot robot = new FxRobot();

    @BeforeAll
    static void open() throws Exception {
        app = AppWindow.open("lessons-panel");
        stage = app.stage();
    }

    @AfterAll
    static void close() throws Exception {
        app.dispose();
    }

    private static LessonsFeature ui() {
        return fx(app::lessons);
    }

    private static Step step() {
        return fx(() -> ui().lessons().stepProperty().get());
    }

    private static String text(String id) {
        return fx(() -> ((Label) stage.getScene().lookup(id)).getText());
    }

    @Test
    @Order(1)
    void f1OpensTheFirstLessonBesideTheViews() {
        assertNull(fx(() -> stage.getScene().lookup("#lessonPanel")), "hidden at start");
        robot.press(KeyCode.F1).release(KeyCode.F1);
        waitUntil("the lesson panel is shown", 5, () -> stage.getScene().lookup("#lessonPanel") != null);
        Lesson first = fx(() -> ui().lessons().lessons().get(0));
        assertSame(first, fx(() -> ui().lessons().lessonProperty().get()));
        assertEquals(0, step().index());
        assertEquals(first.steps().get(0).title(), text("#lessonStepTitle"));
        assertTrue(fx(() -> stage.getScene().lookup("#lessonText").lookupAll(".lesson-math").size()) > 0,
                "the first step's formulas are typeset");
        assertTrue(fx(() -> ((Button) stage.getScene().lookup("#lessonBack")).isDisabled()), "nothing before the course");
        waitUntil("the step's checkpoint is open", 30, () -> app.vm().lastSnapshot().step() == 600);
        assertTrue(fx(() -> app.vm().recentFiles().stream().noneMatch(p -> p.toString().contains("attnlab-lessons"))),
                "a lesson's own checkpoint is not one of the user's recent files: " + fx(() -> app.vm().recentFiles()));
        Ui.screenshot(stage.getScene(), "lesson-panel");
    }

    @Test
    @Order(2)
    void nextAndBackWithButtonsAndClickerKeys() {
        robot.clickOn("#lessonNext");
        assertEquals(1, step().index());
        assertEquals(step().title(), text("#lessonStepTitle"));
        robot.press(KeyCode.PAGE_DOWN).release(KeyCode.PAGE_DOWN);
        assertEquals(2, step().index());
        robot.press(KeyCode.PAGE_UP).release(KeyCode.PAGE_UP);
        assertEquals(1, step().index());
        robot.clickOn("#lessonBack");
        assertEquals(0, step().index());
        int n = fx(() -> ui().lessons().lessonProperty().get().steps().size());
        for (int i = 0; i < n; i++) {
            robot.press(KeyCode.PAGE_DOWN).release(KeyCode.PAGE_DOWN);
        }
        assertSame(fx(() -> ui().lessons().lessons().get(1)), fx(() -> ui().lessons().lessonProperty().get()),
                "Next after a lesson's last step opens the next lesson");
        assertEquals(0, step().index());
        assertTrue(text("#lessonPosition").startsWith("Lesson 2 of 8"), text("#lessonPosition"));
    }

    @Test
    @Order(3)
    void aPredictionRevealsItsAnswerOnlyAfterAChoice() {
        robot.press(KeyCode.PAGE_DOWN).release(KeyCode.PAGE_DOWN);      // lesson 2, step 2 asks
        Step s = step();
        assertNotNull(s.prediction(), s.title());
        assertNull(fx(() -> stage.getScene().lookup("#lessonVerdict")), "no answer before a choice");
        assertFalse(fx(() -> stage.getScene().lookup("#lessonText").getParent().lookupAll("#lessonExplain").size() > 0));
        int wrong = (s.prediction().answer() + 1) % s.prediction().choices().size();
        robot.clickOn("#predictChoice" + wrong);
        waitUntil("the answer is revealed", 5, () -> stage.getScene().lookup("#lessonVerdict") != null);
        assertTrue(text("#lessonVerdict").startsWith("Not quite"), text("#lessonVerdict"));
        assertTrue(text("#lessonVerdict").contains(s.prediction().answerText()));
        Node right = fx(() -> stage.getScene().lookup("#predictChoice" + s.prediction().answer()));
        Node picked = fx(() -> stage.getScene().lookup("#predictChoice" + wrong));
        assertTrue(right.getStyleClass().contains("right"));
        assertTrue(picked.getStyleClass().contains("wrong"));
        assertTrue(fx(() -> right.isDisabled()), "one guess only");
        assertNotNull(fx(() -> stage.getScene().lookup("#lessonExplain")));
        Ui.screenshot(stage.getScene(), "lesson-panel-revealed");
        robot.clickOn("#lessonNext");
        robot.clickOn("#lessonBack");
        assertNull(fx(() -> stage.getScene().lookup("#lessonVerdict")), "coming back asks again");
        robot.clickOn("#predictChoice" + s.prediction().answer());
        assertTrue(text("#lessonVerdict").startsWith("Right"), text("#lessonVerdict"));
    }

    @Test
    @Order(4)
    void progressIsRememberedAfterARestart() throws Exception {
        robot.press(KeyCode.PAGE_DOWN).release(KeyCode.PAGE_DOWN);
        Step before = step();
        String lesson = fx(() -> ui().lessons().lessonProperty().get().id());
        app.close();                           // quit, and start again with the same preferences
        app.start();
        assertNull(fx(() -> stage.getScene().lookup("#lessonPanel")));
        fxRun(() -> ui().showingProperty().set(true));
        assertEquals(lesson, fx(() -> ui().lessons().lessonProperty().get().id()));
        assertEquals(before, step());
        assertTrue(fx(() -> ((LessonPanel) stage.getScene().lookup("#lessonPanel")) != null));
        assertTrue(fx(() -> ((javafx.scene.control.Hyperlink) stage.getScene().lookup("#lessonTocStep0")).getText()
                .endsWith("\u2713")), "steps seen are ticked in the contents");
    }

    @Test
    @Order(5)
    void trainItYourselfTrainsTheLessonsModelLive() {
        waitUntil("the lesson's checkpoint is open", 30, () -> app.vm().lastSnapshot().step() == 600);
        var before = fx(() -> app.vm().lastSnapshot().spec());
        robot.clickOn("#lessonTrain");
        waitUntil("a fresh model trains", 30, () -> app.vm().lastSnapshot().step() > 0
                && app.vm().lastSnapshot().step() < 600 && app.vm().training().runningProperty().get());
        var now = fx(() -> app.vm().lastSnapshot().spec());
        assertEquals(before.config(), now.config());
        assertEquals(before.task().options(), now.task().options());
        fxRun(() -> app.vm().training().pause());
    }

    @Test
    @Order(6)
    void trainItYourselfUsesTheSettingsTheCheckpointWasMadeWith() {
        // lesson 5 opens lego3, made with lr 1e-3, batch 64 and 6000 steps (today's lego6 preset trains with
        // 3e-3 and 256 for 3000 steps: without the step's settings the rerun took an hour)
        fxRun(() -> {
            var vm = ui().lessons();
            vm.open(vm.lessons().stream().filter(l -> l.title().startsWith("LEGO")).findFirst().orElseThrow());
        });
        waitUntil("lego3 is open", 30, () -> app.vm().lastSnapshot().step() == 5600);
        robot.clickOn("#lessonTrain");
        waitUntil("a fresh model trains", 60, () -> app.vm().lastSnapshot().step() > 0
                && app.vm().lastSnapshot().step() < 1000 && app.vm().training().runningProperty().get());
        var s = fx(() -> app.vm().lastSnapshot().spec());
        fxRun(() -> app.vm().training().pause());
        assertEquals("3", s.task().options().get("n_var"));
        assertEquals(64, s.training().batchSize());
        assertEquals(1e-3, s.training().adamw().lr(), 1e-15);
        assertEquals(6000, s.training().steps());
        assertEquals(4, s.config().nLayers(), "the checkpoint's own model, not today's preset's");
    }
}
