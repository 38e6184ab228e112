package org.attnlab.tests.ui;

import static org.attnlab.tests.ui.Ui.fx;
import static org.attnlab.tests.ui.Ui.fxRun;
import static org.attnlab.tests.ui.Ui.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.prefs.Preferences;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.paint.Color;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.attnlab.app.AttnLabApp;
import org.attnlab.app.classroom.ClassroomMode;
import org.attnlab.app.common.RecentFiles;
import org.attnlab.app.lessons.LessonProgress;
import org.attnlab.app.lessons.LessonsUi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * Classroom mode on a 1280 x 720 projector: F11 full screen, Ctrl+Plus / Ctrl+Minus / Ctrl+0 scale
 * every text (the lesson's and the window's), the projector theme switches colours, F5 turns it all
 * on and lets the arrow keys step the lesson, Ctrl+H leaves only the current view. Screenshots:
 * target/screenshots/classroom*.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClassroomModeTest {
    private static final String NODE = "org/attnlab/tests/ui-classroom-" + ProcessHandle.current().pid();
    private static AttnLabApp app;
    private static Stage stage;
    private static final FxRobot robot = new FxRobot();

    @BeforeAll
    static void open() throws Exception {
        System.setProperty(RecentFiles.NODE_PROPERTY, NODE);
        System.setProperty(LessonProgress.NODE_PROPERTY, NODE + "/lessons");
        stage = FxToolkit.registerPrimaryStage();
        app = (AttnLabApp) FxToolkit.setupApplication(AttnLabApp.class);
        waitUntil("the first snapshot", 20, () -> app.viewModel().lastSnapshot() != null);
        fxRun(() -> {
            stage.setWidth(1280);
            stage.setHeight(720);
        });
    }

    @AfterAll
    static void close() throws Exception {
        fxRun(() -> stage.setFullScreen(false));
        FxToolkit.cleanupApplication(app);
        System.clearProperty(RecentFiles.NODE_PROPERTY);
        System.clearProperty(LessonProgress.NODE_PROPERTY);
        Preferences.userRoot().node(NODE).removeNode();
    }

    private static LessonsUi ui() {
        return fx(() -> LessonsUi.of(stage.getScene()));
    }

    private static void key(KeyCode... codes) {
        robot.press(codes).release(codes);
    }

    private static double statusFontSize() {
        return fx(() -> {
            Label l = (Label) stage.getScene().lookup("#stepLabel");
            return l.getFont().getSize();
        });
    }

    private static double lessonTextSize() {
        return fx(() -> ((Text) stage.getScene().lookup("#lessonText").lookup(".lesson-run")).getFont().getSize());
    }

    @Test
    @Order(1)
    void fontScaleChangesEveryText() {
        fxRun(() -> ui().showingProperty().set(true));
        waitUntil("the lesson text", 5, () -> stage.getScene().lookup("#lessonText") != null);
        double status = statusFontSize(), lesson = lessonTextSize();
        key(KeyCode.CONTROL, KeyCode.EQUALS);
        key(KeyCode.CONTROL, KeyCode.EQUALS);
        double s = fx(() -> ui().classroom().fontScaleProperty().get());
        assertEquals(ClassroomMode.STEP * ClassroomMode.STEP, s, 1e-9);
        waitUntil("the window's text grows", 5, () -> Math.abs(statusFontSize() - status * s) < 0.6);
        waitUntil("the lesson's text grows", 5, () -> Math.abs(lessonTextSize() - lesson * s) < 0.6);
        key(KeyCode.CONTROL, KeyCode.MINUS);
        assertEquals(ClassroomMode.STEP, fx(() -> ui().classroom().fontScaleProperty().get()), 1e-9);
        key(KeyCode.CONTROL, KeyCode.DIGIT0);
        assertEquals(1.0, fx(() -> ui().classroom().fontScaleProperty().get()), 1e-9);
        waitUntil("back to the theme's size", 5, () -> Math.abs(statusFontSize() - status) < 0.01);
        for (int i = 0; i < 20; i++) {
            key(KeyCode.CONTROL, KeyCode.EQUALS);
        }
        assertEquals(ClassroomMode.MAX_SCALE, fx(() -> ui().classroom().fontScaleProperty().get()), 1e-9, "clamped");
        key(KeyCode.CONTROL, KeyCode.DIGIT0);
    }

    @Test
    @Order(2)
    void projectorThemeSwitchesColours() {
        Color before = fx(() -> (Color) ((Label) stage.getScene().lookup("#lessonPosition")).getTextFill());
        key(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.T);
        assertTrue(fx(() -> stage.getScene().getStylesheets().stream().anyMatch(c -> c.endsWith("projector.css"))));
        waitUntil("hints turn near-black", 5, () -> {
            Color c = (Color) ((Label) stage.getScene().lookup("#lessonPosition")).getTextFill();
            return c.getBrightness() < 0.2;
        });
        assertTrue(before.getBrightness() > 0.3, "a muted hint in the normal theme: " + before);
        key(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.T);
        assertFalse(fx(() -> stage.getScene().getStylesheets().stream().anyMatch(c -> c.endsWith("projector.css"))));
    }

    @Test
    @Order(3)
    void f5ClassroomModeStepsWithTheArrowKeys() {
        fxRun(() -> ui().lessons().goTo(0));
        key(KeyCode.F5);
        assertTrue(fx(() -> ui().classroomProperty().get()));
        assertEquals(1.4, fx(() -> ui().classroom().fontScaleProperty().get()), 1e-9);
        assertTrue(fx(() -> ui().classroom().projectorProperty().get()));
        assertNull(fx(() -> ((BorderPane) stage.getScene().getRoot()).getLeft()), "presenter layout: no sidebar");
        long step = fx(() -> app.viewModel().lastSnapshot().step());
        // out of any text field (there the arrows move the caret, as they should), as a presenter would be
        fxRun(() -> stage.getScene().getRoot().requestFocus());
        waitUntil("no text field has the focus", 5,
                () -> !(stage.getScene().getFocusOwner() instanceof javafx.scene.control.TextInputControl));
        key(KeyCode.RIGHT);
        waitUntil("Right steps the lesson", 5, () -> ui().lessons().stepIndexProperty().get() == 1);
        assertEquals(step, fx(() -> app.viewModel().lastSnapshot().step()), "not the training");
        key(KeyCode.LEFT);
        waitUntil("Left steps back", 5, () -> ui().lessons().stepIndexProperty().get() == 0);
        waitUntil("the lesson's model is open", 30, () -> app.viewModel().lastSnapshot().step() == 600);
        Ui.screenshot(stage.getScene(), "classroom-1280x720");
    }

    @Test
    @Order(4)
    void ctrlHLeavesOnlyTheCurrentView() {
        BorderPane root = fx(() -> (BorderPane) stage.getScene().getRoot());
        assertNotNull(fx(root::getRight));
        assertNotNull(fx(root::getBottom));
        key(KeyCode.CONTROL, KeyCode.H);
        assertNull(fx(root::getLeft));
        assertNull(fx(root::getRight));
        assertNull(fx(root::getBottom));
        assertNotNull(fx(root::getCenter));
        Ui.screenshot(stage.getScene(), "classroom-only-view");
        key(KeyCode.CONTROL, KeyCode.H);
        assertNull(fx(root::getLeft), "the presenter layout still keeps the sidebar away");
        assertNotNull(fx(() -> stage.getScene().lookup("#lessonPanel")), "the lesson panel comes back");
        assertNotNull(fx(root::getBottom));
    }

    @Test
    @Order(5)
    void f11FullScreen() {
        key(KeyCode.F11);
        waitUntil("full screen", 5, () -> stage.isFullScreen());
        key(KeyCode.F11);
        waitUntil("windowed", 5, () -> !stage.isFullScreen());
        key(KeyCode.F5);
        assertFalse(fx(() -> ui().classroomProperty().get()));
        assertNotNull(fx(() -> ((BorderPane) stage.getScene().getRoot()).getLeft()), "the sidebar is back");
        assertEquals(1.0, fx(() -> ui().classroom().fontScaleProperty().get()), 1e-9);
    }
}
