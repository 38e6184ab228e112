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

import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.paint.Color;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.attnlab.app.classroom.ClassroomMode;
import org.attnlab.app.lessons.LessonsFeature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Classroom mode on a 1280 x 720 projector: F11 full screen, Ctrl+Plus / Ctrl+Minus / Ctrl+0 scale
 * every text (the lesson's and the window's), the projector theme switches colours, F5 turns it all
 * on and lets the arrow keys step the lesson, Ctrl+H leaves only the current view (and the
 * lesson). At 1280 x 720 and 1920 x 1080 every font scale the keys reach keeps the lesson's
 * navigation, picker, status bar, tab strip and transport on screen and uncut, with formulas at
 * full size; the projector theme's texts have a contrast of at least 7:1. Screenshots:
 * target/screenshots/classroom*.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("ui")
class ClassroomModeTest {
    private static AppWindow app;
    private static Stage stage;
    private static final FxRobot robot = new FxRobot();

    @BeforeAll
    static void open() throws Exception {
        app = AppWindow.open("classroom");
        stage = app.stage();
        fxRun(() -> {
            stage.setWidth(1280);
            stage.setHeight(720);
        });
    }

    @AfterAll
    static void close() throws Exception {
        fxRun(() -> stage.setFullScreen(false));
        app.dispose();
    }

    private static LessonsFeature ui() {
        return fx(app::lessons);
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
        double fits = fx(() -> ui().classroom().maxFittingScale());
        assertEquals(fits, fx(() -> ui().classroom().fontScaleProperty().get()), 1e-9, "clamped to what fits");
        assertEquals(Math.min(ClassroomMode.MAX_SCALE,
                720 / (ClassroomMode.DESKTOP_FIT_HEIGHT_EM * ClassroomMode.BASE_FONT_PX)),
                fits, 0.05, "at 1280 x 720 the height decides");
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
        long step = fx(() -> app.vm().lastSnapshot().step());
        // out of any text field (there the arrows move the caret, as they should), as a presenter would be
        fxRun(() -> stage.getScene().getRoot().requestFocus());
        waitUntil("no text field has the focus", 5,
                () -> !(stage.getScene().getFocusOwner() instanceof javafx.scene.control.TextInputControl));
        key(KeyCode.RIGHT);
        waitUntil("Right steps the lesson", 5, () -> ui().lessons().stepIndexProperty().get() == 1);
        assertEquals(step, fx(() -> app.vm().lastSnapshot().step()), "not the training");
        key(KeyCode.LEFT);
        waitUntil("Left steps back", 5, () -> ui().lessons().stepIndexProperty().get() == 0);
        waitUntil("the lesson's model is open", 30, () -> app.vm().lastSnapshot().step() == 600);
        Ui.screenshot(stage.getScene(), "classroom-1280x720");
    }

    @Test
    @Order(4)
    void ctrlHLeavesOnlyTheCurrentViewAndInClassroomModeTheLesson() {
        BorderPane root = fx(() -> (BorderPane) stage.getScene().getRoot());
        assertNotNull(fx(root::getRight));
        assertNotNull(fx(root::getBottom));
        key(KeyCode.CONTROL, KeyCode.H);
        assertNull(fx(root::getLeft));
        assertSame(fx(() -> ui().panel()), fx(root::getRight), "presenting: the lesson (text and navigation) stays");
        assertTrue(fx(() -> Fit.problems(stage.getScene(), stage.getScene().lookup("#lessonNext"), "Next",
                stage.getScene().lookup("#lessonBack"), "Back", stage.getScene().lookup("#lessonPanel .lesson-scroll"),
                "text")
                .isEmpty()));
        assertNull(fx(root::getBottom));
        assertNotNull(fx(root::getCenter));
        Ui.screenshot(stage.getScene(), "classroom-only-view");
        key(KeyCode.CONTROL, KeyCode.H);
        assertNotNull(fx(root::getBottom));
        // outside classroom mode Ctrl+H leaves the view alone
        fxRun(() -> ui().classroomProperty().set(false));
        key(KeyCode.CONTROL, KeyCode.H);
        assertNull(fx(root::getLeft));
        assertNull(fx(root::getRight));
        assertNull(fx(root::getBottom));
        key(KeyCode.CONTROL, KeyCode.H);
        assertNotNull(fx(root::getRight));
        fxRun(() -> ui().classroomProperty().set(true));
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

    /** The controls classroom mode must keep on screen: lesson navigation, picker, status bar, tabs, transport. */
    private static java.util.List<String> unreachable() {
        return fx(() -> {
            javafx.scene.Scene sc = stage.getScene();
            sc.getRoot().applyCss();                // measure what will be drawn, not the last pulse's layout
            sc.getRoot().layout();
            javafx.scene.control.TabPane tabs = ((org.attnlab.app.MainView) stage.getScene().getRoot()).views();
            javafx.scene.Node header = tabs.lookup(".tab-header-area");
            javafx.scene.Node selected = tabs.lookupAll(".tab").stream()
                    .filter(n -> n.getPseudoClassStates().contains(javafx.css.PseudoClass.getPseudoClass("selected")))
                    .findFirst().orElse(null);
            javafx.scene.Node picked = ((javafx.scene.control.ComboBox<?>) sc.lookup("#lessonChoice")).getButtonCell();
            java.util.List<String> out = new java.util.ArrayList<>(Fit.problems(sc,
                    sc.lookup("#lessonBack"), "Back", sc.lookup("#lessonNext"), "Next",
                    sc.lookup("#lessonTrain"), "Train it yourself", sc.lookup("#lessonChoice"), "lesson picker",
                    picked, "the lesson picked",
                    sc.lookup("#lessonToc .title"), "lesson contents and position", sc.lookup("#lessonStepTitle"),
                    "step title",
                    sc.lookup("#stepLabel"), "status step", sc.lookup("#speedLabel"), "status speed",
                    sc.lookup("#lossLabel"), "status loss", sc.lookup("#metricLabel"), "status metric",
                    sc.lookup("#messageLabel"), "status message", header, "tab strip", selected, "selected tab",
                    sc.lookup("#playButton"), "Play", sc.lookup("#stepButton"), "Step",
                    sc.lookup("#resetButton"), "Reset"));
            javafx.scene.Node scroll = sc.lookup("#lessonPanel .lesson-scroll");
            double em = ((javafx.scene.control.Label) sc.lookup("#stepLabel")).getFont().getSize();
            if (scroll == null || scroll.getLayoutBounds().getHeight() < 4 * 1.3 * em) {
                out.add("lesson text: under four lines high ("
                        + (scroll == null ? 0 : scroll.getLayoutBounds().getHeight()) + " px)");
            }
            javafx.scene.Node view = tabs.getSelectionModel().getSelectedItem().getContent();
            if (view.getLayoutBounds().getHeight() < 150 || view.getLayoutBounds().getWidth() < 300) {
                out.add("current view: only " + view.getLayoutBounds());
            }
            return out;
        });
    }

    /**
     * @return per displayed formula of the lesson text: its tallest piece's drawn height divided by
     *     the font scale, or -1 if a piece is drawn narrower than it was typeset (shrunk to fit)
     */
    private static java.util.List<Double> displayMathHeights() {
        return fx(() -> {
            java.util.List<Double> out = new java.util.ArrayList<>();
            double s = ui().classroom().fontScaleProperty().get();
            for (javafx.scene.Node box : stage.getScene().getRoot().lookupAll("#lessonText .lesson-display-math")) {
                double tallest = 0;
                for (javafx.scene.Node n : box.lookupAll(".lesson-math")) {
                    javafx.scene.image.ImageView iv = (javafx.scene.image.ImageView) n;
                    double natural = iv.getImage().getWidth() / 2;
                    boolean shrunk = iv.getFitWidth() > 0 && iv.getFitWidth() < natural - 0.5;
                    tallest = shrunk || tallest < 0 ? -1 : Math.max(tallest, iv.getBoundsInLocal().getHeight() / s);
                }
                out.add(tallest);
            }
            return out;
        });
    }

    /** @return whether {@code n} and all its ancestors are visible and it lies in the window */
    private static boolean shown(javafx.scene.Node n) {
        for (javafx.scene.Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible() || p.getOpacity() == 0) {
                return false;
            }
        }
        javafx.geometry.Bounds b = n.localToScene(n.getBoundsInLocal());
        return b.getWidth() > 0 && b.getMaxX() > 0 && b.getMaxY() > 0 && b.getMinX() < stage.getScene().getWidth()
                && b.getMinY() < stage.getScene().getHeight();
    }

    private static double scale() {
        return fx(() -> ui().classroom().fontScaleProperty().get());
    }

    /**
     * At 1280 x 720 and 1920 x 1080, in classroom mode and in the desktop layout with the lessons
     * shown, every font scale Ctrl+Plus / Ctrl+Minus reach keeps everything reachable and the
     * lesson's formulas at full size, in proportion to the scale.
     */
    @Test
    @Order(6)
    void classroomModeFitsAtEveryFontScale() {
        for (boolean classroom : new boolean[] {true, false})
        for (int[] size : new int[][] {{1280, 720}, {1920, 1080}}) {
            fxRun(() -> {
                stage.setX(0);
                stage.setY(0);
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
            });
            waitUntil("the window takes its size", 5, () -> Math.abs(stage.getScene().getWidth() - size[0]) < 40);
            fxRun(() -> ui().lessons().open(ui().lessons().lessons().get(0)));
            fxRun(() -> ui().lessons().goTo(1));
            if (classroom) {
                key(KeyCode.F5);
            } else {
                fxRun(() -> ui().showingProperty().set(true));   // the lessons beside the views, sidebar shown
            }
            assertEquals(classroom, fx(() -> ui().classroomProperty().get()));
            java.util.List<Double> seen = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                double before = scale();
                key(KeyCode.CONTROL, KeyCode.EQUALS);
                if (scale() == before) {
                    break;
                }
            }
            double top = scale();
            assertEquals(fx(() -> ui().classroom().maxFittingScale()), top, 1e-9, "Ctrl+Plus stops where it fits");
            java.util.List<Double> mathAtTop = null;
            for (int i = 0; i < 20 && (seen.isEmpty() || scale() != seen.get(seen.size() - 1)); i++) {
                seen.add(scale());
                WaitForAsyncUtils.waitForFxEvents();
                String tag = (classroom ? "" : "desktop-") + size[0] + "x" + size[1] + "-scale" + String.format(java.util.Locale.ROOT, "%.2f", scale());
                java.util.List<String> problems = new java.util.ArrayList<>(unreachable());
                java.util.List<Double> math = displayMathHeights();
                if (math.isEmpty() || math.contains(-1.0)) {
                    problems.add("a display formula is missing or drawn smaller than typeset: " + math);
                }
                if (mathAtTop == null) {
                    mathAtTop = math;
                } else if (math.size() == mathAtTop.size()) {
                    for (int m = 0; m < math.size(); m++) {
                        if (Math.abs(math.get(m) / mathAtTop.get(m) - 1) > 0.06) {
                            problems.add("formula " + m + " is not typeset in proportion to the font scale: "
                                    + math + " vs " + mathAtTop + " (heights / scale)");
                        }
                    }
                }
                Ui.screenshot(stage.getScene(), "classroom-fit-" + tag);
                assertEquals(java.util.List.of(), problems, "at " + tag);
                key(KeyCode.CONTROL, KeyCode.MINUS);
            }
            assertTrue(top >= (classroom ? 1.75 : 1.3), "large type is possible: " + top);
            if (size[0] == 1920 && classroom) {
                assertEquals(ClassroomMode.MAX_SCALE, top, 1e-9, "the full range at 1920 x 1080");
            }
            assertEquals(ClassroomMode.MIN_SCALE, seen.get(seen.size() - 1), 1e-9, "down to the smallest: " + seen);
            if (classroom) {
                key(KeyCode.F5);
            } else {
                key(KeyCode.CONTROL, KeyCode.DIGIT0);
            }
            assertFalse(fx(() -> ui().classroomProperty().get()));
        }
        fxRun(() -> {
            stage.setWidth(1280);
            stage.setHeight(720);
        });
    }

    /**
     * The projector theme is high contrast: every text shown (labels, buttons, tabs, the lesson's
     * text) has a WCAG contrast of at least 7:1 against what is drawn behind it, and the heatmaps
     * switch to the high-contrast colour map (white to black), back to BuPu without the theme.
     */
    @Test
    @Order(7)
    void projectorThemeTextContrastIsAtLeastSevenToOne() {
        fxRun(() -> ui().lessons().open(ui().lessons().lessons().get(1)));
        key(KeyCode.F5);
        assertTrue(fx(() -> ui().classroom().projectorProperty().get()));
        waitUntil("the lesson text", 5, () -> stage.getScene().lookup("#lessonText") != null);
        WaitForAsyncUtils.waitForFxEvents();
        Ui.screenshot(stage.getScene(), "classroom-projector-theme");
        java.util.List<String> low = new java.util.ArrayList<>();
        int checked = fx(() -> {
            int n = 0;
            for (javafx.scene.Node node : stage.getScene().getRoot().lookupAll("*")) {
                if (!shown(node) || node.isDisabled()) {
                    continue;              // WCAG exempts inactive controls (a disabled Back is meant to recede)
                }
                javafx.scene.paint.Paint fill = null;
                String what = null;
                if (node instanceof javafx.scene.control.Labeled l && l.getText() != null && !l.getText().isBlank()
                        && !(node instanceof javafx.scene.control.TableCell<?, ?>)) {
                    fill = l.getTextFill();
                    what = l.getText();
                } else if (node instanceof Text t && t.getText() != null && !t.getText().isBlank()
                        && t.getStyleClass().stream().anyMatch(c -> c.startsWith("lesson-"))) {
                    fill = t.getFill();
                    what = t.getText();
                }
                if (fill instanceof Color c) {
                    n++;
                    Color bg = Fit.background(node);
                    double ratio = Fit.contrast(c, bg);
                    if (ratio < 7) {
                        low.add(String.format(java.util.Locale.ROOT, "'%s' %s on %s: %.1f:1",
                                what.length() > 30 ? what.substring(0, 30) : what, c, bg, ratio));
                    }
                }
            }
            return n;
        });
        assertTrue(checked > 40, "texts checked: " + checked);
        assertEquals(java.util.List.of(), low, "texts below 7:1 in the projector theme");
        // heatmaps: the high-contrast map, white (0) to near-black (1), lightness falling all the way
        assertTrue(fx(org.attnlab.app.common.ColorMap::isHighContrast));
        double previous = 2;
        for (double w : new double[] {0, 0.05, 0.2, 0.5, 0.8, 1}) {
            double l = Fit.luminance(fx(() -> org.attnlab.app.common.ColorMap.color(w)));
            assertTrue(l < previous, "lightness falls with the weight");
            previous = l;
        }
        assertEquals(1.0, Fit.luminance(fx(() -> org.attnlab.app.common.ColorMap.color(0))), 1e-9);
        assertTrue(previous < 0.005, "weight 1 is near black: " + previous);
        assertTrue(Fit.luminance(fx(() -> org.attnlab.app.common.ColorMap.color(0.2))) < 0.5,
                "a weight of 0.2 is already mid-dark, not pastel");
        double highContrastAt02 = Fit.luminance(fx(() -> org.attnlab.app.common.ColorMap.color(0.2)));
        key(KeyCode.F5);
        assertFalse(fx(org.attnlab.app.common.ColorMap::isHighContrast), "BuPu again without the theme");
        assertTrue(Fit.luminance(fx(() -> org.attnlab.app.common.ColorMap.color(0.2))) > highContrastAt02 + 0.1,
                "BuPu is paler there");
    }

    /**
     * Lesson 1 says to step the Step-through view with the arrow keys; in classroom mode the arrows
     * step the lesson, except while the focus is in the step-through, which then gets them; Page
     * Down / Page Up step the lesson in any case.
     */
    @Test
    @Order(8)
    void inClassroomModeTheArrowsStepTheStepThroughWhileItHasTheFocus() {
        fxRun(() -> ui().classroomProperty().set(true));
        fxRun(() -> ui().lessons().open(ui().lessons().lessons().get(0)));
        fxRun(() -> ui().lessons().goTo(0));
        waitUntil("the step-through is open", 10, () -> "Step-through".equals(
                ((org.attnlab.app.MainView) stage.getScene().getRoot()).currentViewName()));
        org.attnlab.app.inside.StepThroughView view = fx(() -> (org.attnlab.app.inside.StepThroughView)
                stage.getScene().getRoot().lookup("." + org.attnlab.app.common.Styles.OWNS_ARROW_KEYS));
        waitUntil("the forward pass is traced", 30, () -> view.trace() != null);
        assertTrue(fx(() -> ui().lessons().stepProperty().get().markdown().contains("step with the arrow keys")),
                "lesson 1 tells the reader to use the arrows");
        robot.clickOn("#stageExplanation");               // focus the view, as a presenter would
        waitUntil("the view has the focus", 5, view::hasFocus);
        int stage0 = fx(view::stageIndex);
        key(KeyCode.RIGHT);
        waitUntil("Right steps the view", 5, () -> view.stageIndex() == stage0 + 1);
        assertEquals(0, fx(() -> ui().lessons().stepIndexProperty().get()), "not the lesson");
        key(KeyCode.LEFT);
        waitUntil("Left steps the view back", 5, () -> view.stageIndex() == stage0);
        key(KeyCode.PAGE_DOWN);
        waitUntil("Page Down steps the lesson", 5, () -> ui().lessons().stepIndexProperty().get() == 1);
        key(KeyCode.PAGE_UP);
        waitUntil("Page Up steps it back", 5, () -> ui().lessons().stepIndexProperty().get() == 0);
        fxRun(() -> stage.getScene().lookup("#lessonNext").requestFocus());   // a presenter's focus, not in the view
        waitUntil("the focus left the view", 5, () -> !view.hasFocus());
        key(KeyCode.RIGHT);
        waitUntil("without the focus there, Right steps the lesson", 5,
                () -> ui().lessons().stepIndexProperty().get() == 1);
        fxRun(() -> ui().classroomProperty().set(false));
    }

    /**
     * Heatmap token labels and the cell numbers of the inside views are drawn on canvases, which CSS
     * does not reach: they follow the font scale too (larger labels after Ctrl+Plus, back after Ctrl+0).
     */
    @Test
    @Order(9)
    void heatmapLabelsAndCellNumbersFollowTheFontScale() {
        fxRun(() -> {
            ui().classroomProperty().set(false);
            ui().showingProperty().set(false);             // the head detail is on the right again
            ((org.attnlab.app.MainView) stage.getScene().getRoot()).selectView("Training");
        });
        // a heatmap of a fixed size (so that only the font scale differs), as the window's views draw it
        org.attnlab.app.attention.HeatmapView heatmap = fx(() -> {
            org.attnlab.app.attention.HeatmapView h = new org.attnlab.app.attention.HeatmapView();
            java.util.List<String> tokens = java.util.Collections.nCopies(16, "a");
            h.setData(new double[16 * 16], 16, 16, tokens, tokens);
            h.resize(420, 420);
            h.layout();
            return h;
        });
        double at1 = fx(heatmap::labelFontSize);
        assertTrue(at1 > 0, "labelled");
        key(KeyCode.CONTROL, KeyCode.EQUALS);
        key(KeyCode.CONTROL, KeyCode.EQUALS);
        double s = scale();
        assertEquals(ClassroomMode.STEP * ClassroomMode.STEP, s, 1e-9);
        assertEquals(s, fx(() -> org.attnlab.app.common.CanvasStyle.scale()), 1e-9, "canvases get the window's scale");
        double big = fx(heatmap::labelFontSize);
        assertTrue(big >= at1 * s * 0.97, "token labels " + at1 + " px -> " + big + " px at scale " + s);
        for (int i = 0; i < 4; i++) {
            key(KeyCode.CONTROL, KeyCode.EQUALS);          // as large as fits
        }
        WaitForAsyncUtils.waitForFxEvents();
        Ui.screenshot(stage.getScene(), "classroom-heatmap-labels-scaled");
        assertEquals(java.util.List.of(), fx(() -> {
            stage.getScene().getRoot().applyCss();
            stage.getScene().getRoot().layout();
            java.util.List<String> out = new java.util.ArrayList<>();
            for (javafx.scene.Node n : stage.getScene().lookup("#attentionGrid").lookupAll(".grid-header")) {
                String p = Fit.problem(stage.getScene(), n, "grid header");
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
            return out;
        }), "the attention grid's 'layer' and 'head' headers at scale " + scale());
        // the step-through's number grid: its cells (and their numbers) grow with the scale
        fxRun(() -> ((org.attnlab.app.MainView) stage.getScene().getRoot()).selectView("Step-through"));
        javafx.scene.Node grid = fx(() -> stage.getScene().lookup("#stageNumbers"));
        waitUntil("numbers shown", 20, () -> grid.prefHeight(-1) > 0 && grid.getScene() != null);
        double gridBig = fx(() -> grid.prefHeight(600));
        key(KeyCode.CONTROL, KeyCode.DIGIT0);
        assertEquals(1.0, scale(), 1e-9);
        assertEquals(at1, fx(heatmap::labelFontSize), 1e-9, "the labels are back to their size");
        double gridSmall = fx(() -> grid.prefHeight(600));
        assertTrue(gridBig > gridSmall * 1.15, "number grid " + gridSmall + " -> " + gridBig);
    }
}
