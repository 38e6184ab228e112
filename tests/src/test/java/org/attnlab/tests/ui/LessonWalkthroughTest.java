package org.attnlab.tests.ui;

import static org.attnlab.tests.ui.Ui.fx;
import static org.attnlab.tests.ui.Ui.fxRun;
import static org.attnlab.tests.ui.Ui.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.attnlab.app.MainViewModel;
import org.attnlab.app.lessons.LessonsFeature;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.attnlab.lessons.Lesson;
import org.attnlab.lessons.Step;
import org.attnlab.lessons.StepSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Opens every lesson and every step in the real window, headless, and fails on any error: a
 * lesson that did not load, a step the window could not apply, a checkpoint that did not open (an
 * alert), a model that is not the step's (task, layers, step of the checkpoint), a view not shown,
 * a highlight not selected, a formula JLaTeXMath could not typeset. One screenshot per lesson
 * (target/screenshots/lesson-NN.png).
 */
@Tag("ui")
class LessonWalkthroughTest {
    private static AppWindow app;
    private static Stage stage;
    private static final AtomicReference<MainViewModel.Notice> notice = new AtomicReference<>();

    @BeforeAll
    static void open() throws Exception {
        app = AppWindow.open("lessons-walk");
        stage = app.stage();
        fxRun(() -> app.vm().noticeProperty().addListener((o, a, n) -> {
            if (n != null) {
                notice.set(n);
            }
        }));
    }

    @AfterAll
    static void close() throws Exception {
        app.dispose();
    }

    @Test
    void everyStepOfEveryLessonOpens() throws Exception {
        LessonsFeature ui = fx(app::lessons);
        assertEquals(List.of(), ui.lessons().library().problems().stream().map(Exception::getMessage).toList());
        List<Lesson> lessons = ui.lessons().lessons();
        assertEquals(8, lessons.size());
        fxRun(() -> ui.showingProperty().set(true));
        int steps = 0;
        for (int li = 0; li < lessons.size(); li++) {
            Lesson lesson = lessons.get(li);
            fxRun(() -> ui.open(lesson));
            for (Step step : lesson.steps()) {
                String where = lesson.file() + " step " + (step.index() + 1) + " '" + step.title() + "'";
                fxRun(() -> ui.lessons().goTo(step.index()));
                assertEquals(step, fx(() -> ui.lessons().stepProperty().get()), where);
                checkStep(ui, step.effective(), where);
                steps++;
            }
            app.settled();                       // the lesson's view shows its model before the picture
            Ui.screenshot(stage.getScene(), String.format("lesson-%02d", li + 1));
        }
        assertTrue(steps >= 8 * 3, "every lesson has steps: " + steps);
    }

    private static void checkStep(LessonsFeature ui, StepSetup s, String where) throws Exception {
        if (s.checkpoint() != null) {
            TrainingCheckpoints.Loaded ck = TrainingCheckpoints.load(Path.of("..", "assets", s.checkpoint()));
            waitUntil(where + ": its checkpoint is open", 30, () -> {
                TrainingSnapshot snap = app.vm().lastSnapshot();
                return notice.get() != null || snap != null && snap.step() == ck.step()
                        && snap.spec().task().options().equals(ck.task().options())
                        && snap.spec().config().equals(ck.checkpoint().config()) && snap.probe() != null
                        && snap.probe().step() == ck.step();
            });
        } else if (s.preset() != null) {
            waitUntil(where + ": its preset is set up", 30, () -> {
                TrainingSnapshot snap = app.vm().lastSnapshot();
                return snap != null && s.preset().equals(snap.spec().name()) && snap.step() == 0;
            });
        }
        assertNull(notice.get(), where + ": " + notice.get());
        Label problem = fx(() -> (Label) stage.getScene().lookup("#lessonProblem"));
        assertEquals("", fx(problem::getText), where);
        assertFalse(fx(() -> app.vm().training().failedProperty().get()), where);
        if (s.view() != null) {
            waitUntil(where + ": view " + s.view(), 5, () -> s.view().equals(
                    ((javafx.scene.control.TabPane) stage.getScene().lookup(".tab-pane")).getSelectionModel()
                            .getSelectedItem().getText()));
        }
        if (s.highlight() != null) {
            waitUntil(where + ": head " + s.highlight() + " selected", 10, () ->
                    app.vm().attention().selectedLayerProperty().get() == s.highlight().layer()
                            && app.vm().attention().selectedHeadProperty().get() == s.highlight().head());
        }
        for (String lock : List.of("task", "preset")) {
            boolean disabled = fx(() -> stage.getScene().lookup("#" + lock + "Choice").isDisabled());
            assertEquals(s.locks().contains(lock), disabled, where + ": " + lock + " locked as the step says");
        }
        List<String> bad = fx(() -> {
            List<String> out = new ArrayList<>();
            for (Node n : stage.getScene().getRoot().lookupAll(".lesson-bad-math")) {
                out.add(((Label) n).getText());
            }
            return out;
        });
        assertEquals(List.of(), bad, where + ": formulas JLaTeXMath could not typeset");
        assertTrue(fx(() -> !stage.getScene().getRoot().lookupAll("#lessonText").isEmpty()), where + ": text shown");
    }
}
