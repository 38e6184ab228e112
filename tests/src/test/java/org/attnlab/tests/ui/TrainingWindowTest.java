package org.attnlab.tests.ui;

import static org.attnlab.tests.ui.Ui.fx;
import static org.attnlab.tests.ui.Ui.fxRun;
import static org.attnlab.tests.ui.Ui.waitUntil;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.attnlab.app.attention.HeatmapView;
import org.attnlab.app.training.TokenPrediction;
import org.attnlab.app.training.TrainingSnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The live training window, driven as a user would: choose LEGO, train with the keyboard and
 * the buttons, watch the step counter, the curves and the attention grid move, type a probe,
 * save and reopen a checkpoint. Runs headless (Monocle); screenshots go to
 * tests/target/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("ui")
class TrainingWindowTest {
    private static final String LEGO_TITLE = "LEGO (chain reasoning)";
    /** lego6 shows one heatmap per layer and head (6 x 4). */
    private static final int LEGO_HEADS = org.attnlab.engine.train.Presets.byName("lego6").config().nLayers()
            * org.attnlab.engine.train.Presets.byName("lego6").config().nHeads();
    private static AppWindow app;
    private static Stage stage;
    private static FxRobot robot;

    @TempDir
    static Path dir;

    @BeforeAll
    static void openWindow() throws Exception {
        // start on another task (flip-flop), so that the test chooses LEGO itself
        app = AppWindow.open("training");
        stage = app.stage();
        robot = app.robot;
        waitUntil("the window shows the first snapshot", 20, () -> !heatmaps().isEmpty());
    }

    @AfterAll
    static void closeWindow() throws Exception {
        app.dispose();
    }

    private static Scene scene() {
        return app.scene();
    }

    private static <T extends Node> T node(String query) {
        return app.node(query);
    }

    private static List<HeatmapView> heatmaps() {
        return new ArrayList<>(robot.lookup("#attentionGrid .attention-heatmap").queryAllAs(HeatmapView.class));
    }

    private static long step() {
        String text = fx(() -> ((Label) node("#stepLabel")).getText());   // "step 1,234 / 3,000"
        return Long.parseLong(text.substring("step ".length(), text.indexOf(" /")).replace(",", ""));
    }

    private static List<TokenPrediction> predictionRows() {
        TableView<TokenPrediction> table = node("#predictionsTable");
        return fx(() -> List.copyOf(table.getItems()));
    }

    /** Waits until the training thread has stopped and the window shows its last step. */
    private static void waitPaused() {
        waitUntil("training pauses and the window shows its last step", 30, () -> {
            var latest = app.session().latest();
            return !app.session().isRunning() && latest != null && !latest.running() && step() == latest.step()
                    && app.vm().lastSnapshot() == latest;
        });
    }

    /** Lays the window out at its current size, as the next pulse would. */
    private static void layOut() {
        fxRun(() -> {
            stage.getScene().getRoot().applyCss();
            stage.getScene().getRoot().layout();
        });
    }

    /** Resizes the window and waits until its scene has that size, laid out. */
    private static void resize(int width, int height) {
        fxRun(() -> {
            stage.setWidth(width);
            stage.setHeight(height);
        });
        waitUntil("the window is " + width + " x " + height, 5, () -> Math.abs(stage.getScene().getWidth() - width) < 40
                && Math.abs(stage.getScene().getHeight() - height) < 40);
        layOut();
    }

    private static void pressKey(KeyCode key) {
        robot.clickOn("#attentionGrid");        // focus away from text fields, as a user would
        robot.type(key);
    }

    @Test
    @Order(1)
    void choosingLegoShowsEveryLayerAndHead() {
        robot.clickOn("#taskChoice");
        robot.clickOn(LEGO_TITLE);
        waitUntil("LEGO is shown: " + LEGO_HEADS + " heads in all layers", 20, () -> heatmaps().size() == LEGO_HEADS
                && stage.getTitle().contains("lego6"));
        ComboBox<?> preset = node("#presetChoice");
        assertEquals("lego6", fx(() -> ((org.attnlab.engine.train.RunSpec) preset.getValue()).name()));
        assertEquals(0, step());
        HeatmapView h = heatmaps().get(0);
        assertEquals(30, fx(h::rows), "LEGO with 6 variables has T = 30 tokens");
        assertEquals(30 * 30, fx(h::values).length);
        Ui.screenshot(scene(), "01-lego-ready");
        // a common projector resolution still shows everything
        resize(1280, 720);
        assertEquals(LEGO_HEADS, heatmaps().size());
        double cell = fx(() -> heatmaps().get(0).getWidth());   // lego6: 6 layers share the height (37 px)
        assertTrue(cell >= 32, "grid heatmaps stay readable at 1280 x 720 (" + cell + " px)");
        Ui.screenshot(scene(), "01b-lego-1280x720");
        resize(1440, 900);
    }

    @Test
    @Order(2)
    void playTrainsAndTheViewsFollow() {
        long before = step();
        double[][] cellsBefore = fx(() -> heatmaps().stream().map(HeatmapView::values).toArray(double[][]::new));
        pressKey(KeyCode.SPACE);
        waitUntil("the step counter passes 8", 120, () -> step() >= 8);
        pressKey(KeyCode.SPACE);
        waitPaused();
        long paused = step();
        assertTrue(paused > before, "step counter advanced from " + before + " to " + paused);
        // paused means paused: the training thread answers a later command without another step,
        // and the window (counter, status figures) still shows the step it paused at
        TrainingSnapshot after = app.roundTrip();
        assertEquals(paused, after.step(), "no step after the pause");
        assertFalse(after.running(), "the thread says it is paused");
        assertEquals(paused, step(), "the counter stands still");
        assertEquals(paused, (long) fx(() -> app.vm().training().stepProperty().get()));
        LineChart<?, ?> loss = node("#lossChart");
        int points = fx(() -> loss.getData().get(0).getData().size());
        assertTrue(points >= 8, "the train-loss curve has points (" + points + ")");
        assertTrue(fx(() -> loss.getData().get(1).getData().size()) >= 1, "the held-out loss has a point");
        double[][] cellsAfter = fx(() -> heatmaps().stream().map(HeatmapView::values).toArray(double[][]::new));
        assertEquals(LEGO_HEADS, cellsAfter.length);
        int changed = 0;
        for (int i = 0; i < cellsAfter.length; i++) {
            changed += Arrays.equals(cellsBefore[i], cellsAfter[i]) ? 0 : 1;
        }
        assertTrue(changed > 0, "attention patterns change with training");
        Ui.screenshot(scene(), "02-lego-trained-" + paused);
    }

    @Test
    @Order(3)
    void rightArrowStepsOnceAndTheGridUpdates() {
        waitPaused();
        long before = step();
        double[] cells = fx(() -> heatmaps().get(5).values());
        pressKey(KeyCode.RIGHT);
        waitUntil("one step", 10, () -> step() == before + 1);
        waitUntil("the grid shows the new step", 5, () -> !Arrays.equals(cells, heatmaps().get(5).values()));
        assertEquals(before + 1, app.roundTrip().step(), "exactly one step, also on the training thread");
        assertEquals(before + 1, step(), "exactly one step");
    }

    @Test
    @Order(4)
    void anUnknownTokenIsAnInlineErrorAndTheProbeStays() {
        TextField field = node("#probeField");
        String probeText = fx(field::getText);
        List<String> tokens = fx(() -> heatmaps().get(0).rowLabels());
        double[] cells = fx(() -> heatmaps().get(0).values());
        assertEquals(String.join(" ", tokens), probeText, "the field shows the probe");
        robot.doubleClickOn(field);
        fxRun(field::selectAll);
        robot.write("b = + a ; ?");
        robot.type(KeyCode.ENTER);
        Label error = node("#probeError");
        waitUntil("the inline error shows", 5, () -> error.isVisible() && !error.getText().isEmpty());
        assertEquals("unknown token '?' at position 5", fx(error::getText));
        app.roundTrip();                       // anything the rejected probe could have caused is on screen by now
        assertEquals(tokens, fx(() -> heatmaps().get(0).rowLabels()), "the probe is unchanged");
        assertArrayEquals(cells, fx(() -> heatmaps().get(0).values()), "the heatmaps are unchanged");
        Ui.screenshot(scene(), "03-unknown-token");

        // a valid typed probe replaces it (a shorter sequence: T = 10)
        fxRun(field::selectAll);
        robot.write("b = - a ; a = + 1 ;");
        robot.type(KeyCode.ENTER);
        waitUntil("the typed probe is shown", 10, () -> heatmaps().get(0).rows() == 10);
        assertFalse(fx(error::isVisible), "the error is gone");
        assertEquals(List.of("b", "=", "-", "a", ";", "a", "=", "+", "1", ";"),
                fx(() -> heatmaps().get(0).rowLabels()));
        // and a new example from the task brings back targets
        robot.clickOn("#newProbeButton");
        waitUntil("a new 30-token example", 10, () -> heatmaps().get(0).rows() == 30);
        assertTrue(predictionRows().stream().allMatch(TokenPrediction::scored), "scored positions listed");
        assertEquals(6, predictionRows().size(), "LEGO scores one position per variable");
    }

    @Test
    @Order(5)
    void savingThenOpeningRestoresThePredictions() throws Exception {
        Path ckpt = dir.resolve("lego.safetensors");
        app.nextFile.set(ckpt);
        long saved = step();
        List<TokenPrediction> atSave = predictionRows();
        robot.press(KeyCode.CONTROL).type(KeyCode.S).release(KeyCode.CONTROL);
        waitUntil("the checkpoint is written", 20, () -> Files.isRegularFile(ckpt)
                && ((Label) node("#messageLabel")).getText().startsWith("Saved"));

        pressKey(KeyCode.SPACE);
        waitUntil("training moves on", 60, () -> step() >= saved + 3);
        pressKey(KeyCode.SPACE);
        waitPaused();
        assertNotEquals(atSave, predictionRows(), "more training changed the predictions");

        robot.press(KeyCode.CONTROL).type(KeyCode.O).release(KeyCode.CONTROL);
        waitUntil("the checkpoint's step is shown", 20, () -> step() == saved);
        waitUntil("its predictions are shown", 10, () -> predictionRows().equals(atSave));
        assertEquals(atSave, predictionRows());
        assertTrue(fx(() -> app.vm().recentFiles().contains(ckpt.toAbsolutePath().normalize())),
                "listed in recent files");
        Ui.screenshot(scene(), "04-reopened");
    }

    @Test
    @Order(6)
    void aCorruptCheckpointIsAnAlertAndTrainingGoesOn() throws Exception {
        Path bad = dir.resolve("corrupt.safetensors");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        app.nextFile.set(bad);
        pressKey(KeyCode.SPACE);
        long before = step();
        robot.press(KeyCode.CONTROL).type(KeyCode.O).release(KeyCode.CONTROL);
        waitUntil("an alert names the file", 20, () -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        DialogPane pane = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        String text = fx(pane::getContentText);
        assertTrue(text.contains("corrupt.safetensors"), text);
        assertFalse(text.contains("\n"), "one line: " + text);
        waitUntil("training goes on", 60, () -> step() > before + 1);
        Ui.screenshot(fx(() -> pane.getScene()), "05-corrupt-alert");
        robot.clickOn(fx(() -> pane.lookupButton(javafx.scene.control.ButtonType.OK)));
        pressKey(KeyCode.SPACE);
        waitPaused();
    }

    @Test
    @Order(7)
    void theViewAndAHeatmapExportAsPng() throws Exception {
        Path view = dir.resolve("view.png");
        app.nextFile.set(view);
        robot.press(KeyCode.CONTROL).type(KeyCode.E).release(KeyCode.CONTROL);
        waitUntil("the view is exported", 20, () -> Files.isRegularFile(view));
        var image = ImageIO.read(view.toFile());
        assertEquals(fx(() -> (int) scene().getWidth()), image.getWidth());

        Path heatmap = dir.resolve("heatmap.png");
        app.nextFile.set(heatmap);
        robot.rightClickOn(heatmaps().get(3));
        robot.clickOn("Export heatmap as PNG\u2026");
        waitUntil("the heatmap is exported", 20, () -> Files.isRegularFile(heatmap));
        assertEquals(720, ImageIO.read(heatmap.toFile()).getWidth());
        Files.createDirectories(Ui.SCREENSHOTS);
        Files.copy(heatmap, Ui.SCREENSHOTS.resolve("06-heatmap-export.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(8)
    void editedSettingsApplyOnReset() {
        ComboBox<Integer> layers = robot.lookup("#settingsSheet .combo-box").nth(0).query();
        ComboBox<Integer> heads = robot.lookup("#settingsSheet .combo-box").nth(1).query();
        fxRun(() -> {
            layers.getSelectionModel().select(Integer.valueOf(2));
            heads.getSelectionModel().select(Integer.valueOf(2));
        });
        robot.clickOn("Apply and reset");
        waitUntil("a fresh 2 x 2 model", 20, () -> heatmaps().size() == 4 && step() == 0);
        // d_model 64 is not divisible by 3 heads: said inline, nothing else changes
        fxRun(() -> heads.getSelectionModel().select(Integer.valueOf(3)));
        Label error = node("#settingsError");
        waitUntil("the settings error shows", 5, () -> error.isVisible());
        assertTrue(fx(error::getText).contains("not divisible"), fx(error::getText));
        long run = app.last().runId();
        robot.clickOn("Apply and reset");
        TrainingSnapshot after = app.roundTrip();            // a reset would have been done by now
        assertEquals(run, after.runId(), "no new model");
        assertEquals(4, heatmaps().size(), "the model is unchanged");
        fxRun(() -> heads.getSelectionModel().select(Integer.valueOf(2)));
        waitUntil("the error clears", 5, () -> !error.isVisible());
    }
}
