package org.attnlab.tests.ui;

import static org.attnlab.tests.ui.Ui.fx;
import static org.attnlab.tests.ui.Ui.fxRun;
import static org.attnlab.tests.ui.Ui.waitUntil;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import org.attnlab.app.attention.AttentionGridView;
import org.attnlab.app.interventions.AblationView;
import org.attnlab.app.interventions.HistoryView;
import org.attnlab.app.interventions.LinearAttentionView;
import org.attnlab.app.interventions.PatchingView;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.intervene.HeadAblation;
import org.attnlab.engine.intervene.HeadAblation.Head;
import org.attnlab.engine.attention.LinearAttentionRecurrence;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.Tasks;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.Trainer;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.attnlab.engine.train.TrainingHistory;
import org.attnlab.engine.transformer.Transformer;
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
 * The intervention views (issue 6) in the real window on a trained flip-flop checkpoint (2 layers,
 * 2 heads): ablation with its table, patching, the training history (scrub, compare, pin in the
 * attention grid, save and reopen), linear attention as a recurrence; then LEGO's sign-flip
 * patching. Values on screen are checked against the engine run here. Screenshots go to
 * tests/target/screenshots/interventions-*.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("ui")
class InterventionViewsTest {
    private static final int TRAINED_STEPS = 300;
    private static AppWindow app;
    private static FxRobot robot;
    private static Parameters trained;
    private static Task task;

    @TempDir
    static Path dir;

    @BeforeAll
    static void trainAndOpen() throws Exception {
        task = Tasks.byName("flipflop", Map.of("T", "16"));
        // flipflop16 with 2 layers, trained TRAINED_STEPS steps: the checkpoint stores that run spec
        Trainer trainer = new Trainer(Presets.byName("flipflop16").with(Map.of("n_layers", "2", "steps",
                Integer.toString(TRAINED_STEPS))));
        assertEquals(task.options(), trainer.task().options());
        for (int i = 0; i < TRAINED_STEPS; i++) {
            trainer.step();
        }
        Path ckpt = dir.resolve("flipflop-2layers.safetensors");
        TrainingCheckpoints.save(ckpt, trainer);
        trained = trainer.params().copy();
        app = AppWindow.open("interventions");
        robot = app.robot;
        fxRun(() -> app.vm().open(ckpt));
        waitUntil("the trained checkpoint is shown", 30, () -> {
            TrainingSnapshot s = app.vm().lastSnapshot();
            return s != null && s.step() == TRAINED_STEPS && s.probe() != null && s.probe().step() == TRAINED_STEPS
                    && s.probe().layers() == 2;
        });
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

    private static void showTab(String id) {
        app.showTab(id);
    }

    private static String text(String id) {
        return fx(() -> ((Label) node(id)).getText());
    }

    private static TrainingSnapshot last() {
        return app.last();
    }

    @Test
    @Order(1)
    void ablationShowsTheMetricWithAndWithoutTheClickedHeadsAndTheWholeTable() {
        showTab("view-ablation");
        AblationView view = node("#ablationView");
        waitUntil("the ablation table is computed", 60, () -> view.table() != null && view.upToDate());
        Batch held = task.evalBatch(Math.min(AblationView.MAX_BATCH, last().spec().training().evalBatchSize()), Trainer.EVAL_SEED);
        HeadAblation.Table want = HeadAblation.table(trained, task, held, HeadAblation.Mode.ZERO, null, () -> false);
        double[] cells = fx(() -> view.tableGrid().values());
        for (int l = 0; l < 2; l++) {
            for (int h = 0; h < 2; h++) {
                assertEquals(want.metricDrop()[l][h], cells[l * 2 + h], 1e-12, "L" + l + "H" + h);
            }
        }
        assertEquals(String.format(Locale.ROOT, "%.4f", want.intact().loss()), text("#ablationIntactLoss"));
        robot.clickOn("#ablate-L1H0");
        robot.clickOn("#ablate-L0H1");
        waitUntil("the ablated numbers", 30, () -> view.upToDate() && view.selectedHeads().size() == 2);
        HeadAblation.Comparison cmp = HeadAblation.compare(trained, task, held, List.of(new Head(1, 0), new Head(0, 1)),
                HeadAblation.Mode.ZERO, null);
        // the result of the first click may still be on screen for a moment: wait for the second's
        waitUntil("the two-head ablation is shown", 30, () -> String.format(Locale.ROOT, "%.4f",
                cmp.ablated().loss()).equals(((javafx.scene.control.Labeled) node("#ablationAblatedLoss")).getText()));
        assertEquals(String.format(Locale.ROOT, "%.4f", cmp.ablated().loss()), text("#ablationAblatedLoss"));
        assertEquals(String.format(Locale.ROOT, "%.4f", cmp.ablated().metrics().headline()), text("#ablationAblatedMetric"));
        assertTrue(cmp.ablated().loss() > cmp.intact().loss(), "knocking out two heads hurts the trained model");
        Ui.screenshot(scene(), "interventions-01-ablation-zero");
        fxRun(() -> view.setMode(HeadAblation.Mode.MEAN));
        waitUntil("mean ablation", 30, () -> view.upToDate() && view.mode() == HeadAblation.Mode.MEAN);
        HeadAblation.Comparison mean = HeadAblation.compare(trained, task, held, List.of(new Head(1, 0), new Head(0, 1)),
                HeadAblation.Mode.MEAN, HeadAblation.meanZ(trained, held));
        assertEquals(String.format(Locale.ROOT, "%.4f", mean.ablated().loss()), text("#ablationAblatedLoss"));
        Ui.screenshot(scene(), "interventions-02-ablation-mean");

        // while training runs the numbers follow the model
        String before = text("#ablationIntactLoss");
        fxRun(() -> app.vm().training().play());
        waitUntil("training moves on", 60, () -> app.vm().lastSnapshot().step() >= TRAINED_STEPS + 150);
        fxRun(() -> app.vm().training().pause());
        waitUntil("paused", 30, () -> !app.session().isRunning());
        // a step under way when Pause was pressed still publishes its snapshot: a command answered
        // after the pause proves the thread has finished it, then the analyses must catch up
        app.roundTrip();
        app.settled();
        waitUntil("the ablation view shows the newest model", 60, view::upToDate);
        assertTrue(!before.equals(text("#ablationIntactLoss")), "the intact loss changed with training");
        Parameters now = last().probe().model();
        HeadAblation.Comparison live = HeadAblation.compare(now, task, held, List.of(new Head(1, 0), new Head(0, 1)),
                HeadAblation.Mode.MEAN, HeadAblation.meanZ(now, held));
        assertEquals(String.format(Locale.ROOT, "%.4f", live.ablated().loss()), text("#ablationAblatedLoss"));
        robot.clickOn("#ablationClear");
    }

    @Test
    @Order(2)
    void patchingAChangedFirstTokenRecoversAtItsPositionInLayerZero() {
        showTab("view-patching");
        PatchingView view = node("#patchingView");
        waitUntil("a patching sweep", 60, () -> view.result() != null);
        fxRun(() -> view.replace(0, task.vocabulary().token((last().probe().tokenIds()[0] + 1) % task.vocabulary().size()),
                15));
        waitUntil("the sweep of the chosen corruption", 60, () -> view.setup() != null
                && view.setup().corrupted()[0] != view.setup().clean()[0] && view.setup().answerPosition() == 15
                && view.setup().clean()[0] == last().probe().tokenIds()[0]);
        double[] resid = fx(() -> view.residGrid().values());
        int t = last().probe().length();
        assertEquals(2, (int) fx(() -> view.residGrid().rows()));
        assertEquals(t, (int) fx(() -> view.residGrid().cols()));
        if (view.result().cleanDifference() != view.result().corruptedDifference()) {
            assertEquals(1.0, resid[0], 1e-9, "patching the changed position at layer 0 restores the clean run");
            for (int p = 1; p < t; p++) {
                assertEquals(0.0, resid[p], 0, "other positions at layer 0 carry nothing of the change");
            }
        }
        assertTrue(text("#patchCorrupted").contains("["), "the changed token is marked");
        Ui.screenshot(scene(), "interventions-03-patching-flipflop");
    }

    @Test
    @Order(3)
    void historyScrubsComparesPinsAndReopensIdentical() throws Exception {
        showTab("view-history");
        HistoryView view = node("#historyView");
        waitUntil("moments recorded while training", 30, () -> view.moments().size() > 10);
        List<TrainingHistory.Moment> ms = fx(view::moments);
        fxRun(() -> view.select(2));
        TrainingHistory.Moment m = ms.get(2);
        assertArrayEquals(m.pattern(1, 1), fx(() -> view.heatmap(false, 1, 1).values()), "moment 2 on screen");
        assertTrue(text("#historyInfoA").contains(String.format(Locale.ROOT, "step %,d", m.step())));
        fxRun(() -> view.compareWith(ms.size() - 1));
        assertArrayEquals(ms.get(ms.size() - 1).pattern(0, 1), fx(() -> view.heatmap(true, 0, 1).values()));
        robot.clickOn("#historyPin");
        Ui.screenshot(scene(), "interventions-04-history");
        showTab("view-training");                 // the grid draws when its tab shows
        AttentionGridView grid = node("#attentionGrid");
        waitUntil("the training tab's grid shows the pinned moment", 10,
                () -> java.util.Arrays.equals(grid.heatmap(1, 1).values(), m.pattern(1, 1)));
        assertTrue(fx(() -> node("#attentionPinned").isVisible()), "the grid says it shows the past");
        assertTrue(text("#attentionPinned").contains(String.format(Locale.ROOT, "Step %,d", m.step())));
        Ui.screenshot(scene(), "interventions-05-history-pinned-in-grid");
        showTab("view-history");
        robot.clickOn("#historyPin");
        showTab("view-training");
        waitUntil("the grid follows training again", 10,
                () -> grid.heatmap(1, 1).values().length > 0 && !java.util.Arrays.equals(grid.heatmap(1, 1).values(),
                        m.pattern(1, 1)));
        assertTrue(!fx(() -> node("#attentionPinned").isVisible()));
        showTab("view-history");

        Path saved = dir.resolve("with-history.safetensors");
        fxRun(() -> app.vm().save(saved));
        waitUntil("saved", 30, () -> Files.isRegularFile(dir.resolve("with-history.history.safetensors")));
        List<TrainingHistory.Moment> before = last().history();
        long run = last().runId();
        fxRun(() -> app.vm().open(saved));
        waitUntil("reopened", 30, () -> app.vm().lastSnapshot().runId() != run);
        List<TrainingHistory.Moment> after = last().history();
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).step(), after.get(i).step());
            assertEquals(before.get(i).trainLoss(), after.get(i).trainLoss(), 0);
            assertArrayEquals(before.get(i).patterns(), after.get(i).patterns());
        }
        waitUntil("the reopened history is on screen", 10, () -> view.moments() == app.vm().lastSnapshot().history());
    }

    @Test
    @Order(4)
    void linearAttentionRecurrenceMatchesTheParallelForm() {
        showTab("view-linear-attention");
        LinearAttentionView view = node("#linearView");
        waitUntil("a recurrence trace", 30, () -> view.trace() != null);
        fxRun(() -> view.select(1, 1, 6));
        waitUntil("the recurrence of layer 1, head 1 at t = 6", 30, () -> view.trace() != null
                && view.trace().layer() == 1 && view.trace().head() == 1 && view.position() == 6);
        Parameters linear = LinearAttentionRecurrence.asCausalLinear(last().probe().model());
        int[] tokens = last().probe().tokenIds();
        LinearAttentionRecurrence.Trace want = LinearAttentionRecurrence.INSTANCE.run(linear.config(),
                new Transformer(linear).runWithCache(tokens, 1, tokens.length), 1, 1);
        assertArrayEquals(want.steps().get(6).state(), fx(() -> view.stateGrid().values()), 1e-15);
        assertTrue(view.trace().maxAbsDifference() <= 1e-10);
        assertTrue(text("#linearMaxDiff").contains("max |recurrent - parallel|"));
        assertTrue(text("#linearNote").contains("run as causal linear attention"), text("#linearNote"));
        double[] out = fx(() -> view.outputGrid().values());
        int e = want.dHead();
        for (int i = 0; i < e; i++) {
            assertEquals(out[e + i], out[i], 1e-10, "recurrent and parallel agree on screen");
        }
        Ui.screenshot(scene(), "interventions-06-linear-attention");
        // a head selected elsewhere (the grid, a lesson's highlight) is the one shown
        fxRun(() -> app.vm().attention().select(1, 0));
        waitUntil("the view follows the selected head", 10, () -> Integer.valueOf(1).equals(
                ((javafx.scene.control.ChoiceBox<?>) node("#linearLayer")).getValue())
                && Integer.valueOf(0).equals(((javafx.scene.control.ChoiceBox<?>) node("#linearHead")).getValue()));
    }

    @Test
    @Order(5)
    void legoPatchingFlipsOneSign() {
        robot.clickOn("#taskChoice");
        robot.clickOn("LEGO (chain reasoning)");
        waitUntil("a LEGO model", 30, () -> {
            TrainingSnapshot s = app.vm().lastSnapshot();
            return s.probe() != null && s.probe().length() == 30;
        });
        for (int i = 0; i < 3; i++) {
            fxRun(() -> app.vm().training().stepOnce());
        }
        waitUntil("three steps", 30, () -> app.vm().lastSnapshot().probe().step() == 3);
        showTab("view-patching");
        PatchingView view = node("#patchingView");
        fxRun(() -> view.flip(2));
        waitUntil("a LEGO sweep", 90, () -> view.setup() != null && view.setup().clean().length == 30
                && view.result() != null && view.result().residPre()[0].length == 30);
        assertTrue(text("#patchAnswerInfo").contains("sign of"), text("#patchAnswerInfo"));
        int differ = 0;
        for (int i = 0; i < 30; i++) {
            differ += view.setup().clean()[i] != view.setup().corrupted()[i] ? 1 : 0;
        }
        assertEquals(1, differ);
        Ui.screenshot(scene(), "interventions-07-patching-lego");
        showTab("view-ablation");
        AblationView ab = node("#ablationView");
        waitUntil("the LEGO ablation table", 120, () -> ab.table() != null && ab.upToDate());
        Ui.screenshot(scene(), "interventions-08-ablation-lego");
        showTab("view-history");
        Ui.screenshot(scene(), "interventions-09-history-lego");
    }
}
