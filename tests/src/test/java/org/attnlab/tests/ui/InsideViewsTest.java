package org.attnlab.tests.ui;

import static org.attnlab.tests.ui.Ui.fx;
import static org.attnlab.tests.ui.Ui.fxRun;
import static org.attnlab.tests.ui.Ui.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javax.imageio.ImageIO;
import org.attnlab.app.inside.BarsView;
import org.attnlab.app.inside.MatrixView;
import org.attnlab.app.inside.ModelDiagram;
import org.attnlab.app.inside.NumberGrid;
import org.attnlab.app.inside.StepThroughView;
import org.attnlab.app.training.ProbeResult;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.inspect.ForwardTrace;
import org.attnlab.engine.io.Checkpoint;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.Tasks;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.Trainer;
import org.attnlab.engine.train.TrainingCheckpoints;
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
 * The views inside the model (issue 5) in the real window, on a trained flip-flop checkpoint
 * (2 layers, 2 heads, learned positions, causal): the residual stream and logit lens, the
 * positional encodings with the set-function demonstration, and the step-through; each exported
 * as PNG; then live while training runs. Values on screen are checked against the engine run
 * here on the checkpoint. Screenshots go to tests/target/screenshots/inside-*.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("ui")
class InsideViewsTest {
    private static final int TRAINED_STEPS = 300;
    private static AppWindow app;
    private static FxRobot robot;
    private static Parameters trained;

    @TempDir
    static Path dir;

    @BeforeAll
    static void trainAndOpen() throws Exception {
        Task task = Tasks.byName("flipflop", Map.of("T", "16"));
        // flipflop16 with 2 layers, trained TRAINED_STEPS steps: the checkpoint stores that run spec
        Trainer trainer = new Trainer(Presets.byName("flipflop16").with(Map.of("n_layers", "2", "steps",
                Integer.toString(TRAINED_STEPS))));
        assertEquals(task.options(), trainer.task().options());
        for (int i = 0; i < TRAINED_STEPS; i++) {
            trainer.step();
        }
        Path ckpt = dir.resolve("flipflop-2layers.safetensors");
        TrainingCheckpoints.save(ckpt, trainer);
        trained = Checkpoint.load(ckpt).params();
        app = AppWindow.open("inside");
        robot = app.robot;
        fxRun(() -> app.vm().open(ckpt));
        waitUntil("the trained checkpoint is shown", 30, () -> {
            var s = app.vm().lastSnapshot();
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

    /** @return whether {@code a} is the analysis of the newest snapshot's model and probe */
    private static boolean newest(org.attnlab.app.inside.Analysis a) {
        var s = app.vm().lastSnapshot();
        return a != null && s != null && s.probe() != null && a.runId() == s.runId() && a.step() == s.probe().step()
                && a.probeId() == s.probe().probeId();
    }

    /** @return whether the residual stream view shows the newest snapshot's model */
    private static boolean residualShowsNewest() {
        var r = ((org.attnlab.app.inside.ResidualStreamView) node("#logitLensGrid").getParent()).viewModel()
                .resultProperty().get();
        return r != null && newest(r.analysis());
    }

    /** @return whether the positions view shows the newest snapshot's model */
    private static boolean positionsShowNewest() {
        var r = ((org.attnlab.app.inside.PositionalView) node("#setFunctionVerdict").getParent().getParent())
                .viewModel().resultProperty().get();
        return r != null && newest(r.analysis());
    }

    private static ProbeResult probe() {
        return fx(() -> app.vm().lastSnapshot().probe());
    }

    /** Exports the view through its button and keeps a copy in the screenshots folder. */
    private static void export(String name) throws Exception {
        Path png = dir.resolve(name + ".png");
        app.nextFile.set(png);
        robot.clickOn("#export-" + name);
        waitUntil(name + " is exported", 20, () -> Files.isRegularFile(png));
        assertTrue(ImageIO.read(png.toFile()).getWidth() > 600, "a 2x picture");
        Files.createDirectories(Ui.SCREENSHOTS);
        Files.copy(png, Ui.SCREENSHOTS.resolve("inside-export-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(1)
    void residualStreamShowsTheLogitLensAndTheAttributionsOfTheTrainedModel() throws Exception {
        showTab("view-residual-stream");
        MatrixView lens = node("#logitLensGrid");
        waitUntil("the logit lens is drawn", 10, () -> lens.rows() > 0);
        ProbeResult p = probe();
        int t = p.length(), v = trained.config().dVocab();
        assertEquals(5, fx(lens::rows), "embed + 2 layers x (attention, MLP)");
        assertEquals(t, fx(lens::cols));
        ActivationCache cache = new Transformer(trained).runWithCache(p.tokenIds(), 1, t);
        double[] cells = fx(lens::values);
        for (int i = 0; i < t; i++) {
            double max = Double.NEGATIVE_INFINITY, z = 0;
            int best = 0;
            for (int k = 0; k < v; k++) {
                double x = cache.get("logits").get(0, i, k);
                if (x > max) {
                    max = x;
                    best = k;
                }
            }
            for (int k = 0; k < v; k++) {
                z += Math.exp(cache.get("logits").get(0, i, k) - max);
            }
            int target = p.targets()[i];
            double want = target >= 0 ? Math.exp(cache.get("logits").get(0, i, target) - max) / z : 1 / z;
            assertEquals(want, cells[4 * t + i], 1e-9, "last row = the model's output, position " + i);
            String shown = lens.cellText(4, i);
            assertEquals(p.predictions().get(i).predicted(), shown, "top token at position " + i);
            if (i == t - 1) {
                assertTrue(p.predictions().get(i).correct(), "the trained model gets the last position right");
                assertEquals(p.predictions().get(i).expected(), shown);
            }
        }
        // attribution to the correct token at the selected (last scored) position adds up to its logit
        BarsView dla = node("#dlaBars");
        int pos = fx(() -> ((org.attnlab.app.inside.ResidualStreamView) lens.getParent()).position());
        double sum = 0;
        for (double x : fx(dla::values)) {
            sum += x;
        }
        assertEquals(cache.get("logits").get(0, pos, p.targets()[pos]), sum, 1e-9);
        assertEquals(2 + 2 * 2 + 2 + 2 + 1, fx(dla::labels).size(), "embed, pos, 4 heads, 2 b_O, 2 MLPs, bias");
        assertTrue(fx(() -> ((Label) node("#dlaCaption")).getText()).contains("frozen"));
        Ui.screenshot(scene(), "inside-01-residual-stream");
        // clicking a column selects that position
        fxRun(() -> ((org.attnlab.app.inside.ResidualStreamView) lens.getParent()).select(3));
        waitUntil("position 3 selected", 5, () -> ((org.attnlab.app.inside.ResidualStreamView) lens.getParent())
                .position() == 3 && ((Label) node("#dlaCaption")).getText().contains("Sum"));
        assertTrue(fx(() -> robot.lookup("#lensTopK .label").queryAllAs(Label.class).stream()
                .anyMatch(l -> l.getText().equals("L1 mlp"))));
        export("residual-stream");
    }

    @Test
    @Order(2)
    void positionsShowWPosAndTheSetFunctionDemonstration() throws Exception {
        showTab("view-positions");
        waitUntil("the encoding is drawn", 10, () -> robot.lookup("#positionEncoding").tryQuery()
                .map(n -> ((MatrixView) n).rows() > 0).orElse(false));
        MatrixView enc = node("#positionEncoding");
        int t = probe().length(), d = trained.config().dModel();
        double[] wpos = trained.get("pos_embed.W_pos").toFileOrder();
        double[] shown = fx(enc::values);
        assertEquals(t * d, shown.length);
        for (int k = 0; k < t * d; k++) {
            assertEquals(wpos[k], shown[k], 0, "W_pos[" + k / d + ", " + k % d + "]");
        }
        Label verdict = node("#setFunctionVerdict");
        String text = fx(verdict::getText);
        assertTrue(text.contains("HAS positions") && text.contains("does NOT"), text);
        MatrixView compare = node("#permutationCompare");
        int differ = 0;
        for (int i = 0; i < t; i++) {
            int col = i;
            differ += fx(() -> compare.cellText(2, col).equals(compare.cellText(3, col))) ? 0 : 1;
        }
        assertTrue(differ > 0, "a model with positions does not commute with the permutation");
        Ui.screenshot(scene(), "inside-02-positions");

        robot.clickOn("#positionFreeCopy");
        waitUntil("the copy is a set function", 10, () -> verdict.getText().contains("set function"));
        for (int i = 0; i < t; i++) {
            int col = i;
            assertEquals(fx(() -> compare.cellText(2, col)), fx(() -> compare.cellText(3, col)), "position " + i);
        }
        Ui.screenshot(scene(), "inside-03-positions-set-function");
        export("positions");
        robot.clickOn("#positionFreeCopy");
        waitUntil("back to the model", 10, () -> verdict.getText().contains("does NOT"));
    }

    @Test
    @Order(3)
    void stepThroughWithTheArrowKeysShowsTheEnginesNumbers() throws Exception {
        showTab("view-step-through");
        StepThroughView view = robot.lookup(".inside-view").queryAllAs(StepThroughView.class).stream()
                .filter(StepThroughView.class::isInstance).findFirst().orElseThrow();
        waitUntil("a trace", 10, () -> view.trace() != null);
        ProbeResult p = probe();
        fxRun(() -> view.select(1, 1, 5));
        waitUntil("layer 1, head 1, query 5", 5, () -> view.trace().layer() == 1 && view.trace().head() == 1
                && view.trace().query() == 5);
        long step = fx(() -> app.vm().lastSnapshot().step());
        robot.clickOn("#stageExplanation");               // focus the view, as a user would
        int first = fx(view::stageIndex);
        robot.type(KeyCode.RIGHT);
        waitUntil("Right moves one stage", 5, () -> view.stageIndex() == first + 1);
        robot.type(KeyCode.LEFT);
        waitUntil("Left moves back", 5, () -> view.stageIndex() == first);
        assertEquals(step, (long) fx(() -> app.vm().lastSnapshot().step()), "the arrows did not train");
        assertEquals(false, fx(() -> app.session().isRunning()));

        ActivationCache cache = new Transformer(trained).runWithCache(p.tokenIds(), 1, p.length());
        NumberGrid numbers = node("#stageNumbers");
        ModelDiagram diagram = node("#modelDiagram");
        int t = p.length();
        for (int k = 0; k < 40 && fx(() -> view.currentStage().kind()) != ForwardTrace.Kind.PATTERN; k++) {
            robot.type(KeyCode.RIGHT);
        }
        assertEquals(ForwardTrace.Kind.PATTERN, fx(() -> view.currentStage().kind()));
        double[] pattern = fx(numbers::values);
        waitUntil("the number grid is laid out at the height its wrapped lines need (a new user saw the last "
                + "keys cut off)", 5, () -> fx(() -> numbers.getWidth() > 0
                && numbers.getHeight() >= numbers.prefHeight(numbers.getWidth()) - 1));
        for (int j = 0; j < t; j++) {
            assertEquals(cache.get("blocks.1.attn.hook_pattern").get(0, 1, 5, j), pattern[j], 1e-10, "key " + j);
        }
        assertEquals(ForwardTrace.Part.SOFTMAX, fx(diagram::lit));
        assertTrue(fx(() -> ((javafx.scene.image.ImageView) node("#stageFormula")).getImage() != null),
                "the formula is typeset");
        Ui.screenshot(scene(), "inside-04-step-softmax");
        export("step-through");
        for (int k = 0; k < 40 && fx(() -> view.currentStage().kind()) != ForwardTrace.Kind.MLP_POST; k++) {
            robot.type(KeyCode.RIGHT);
        }
        double[] post = fx(numbers::values);
        for (int j = 0; j < post.length; j++) {
            assertEquals(cache.get("blocks.1.mlp.hook_post").get(0, 5, j), post[j], 1e-10);
        }
        assertEquals(ForwardTrace.Part.MLP, fx(diagram::lit));
        Ui.screenshot(scene(), "inside-05-step-mlp");
        for (int k = 0; k < 40; k++) {
            robot.type(KeyCode.RIGHT);
        }
        assertEquals(ForwardTrace.Kind.LOGITS, fx(() -> view.currentStage().kind()), "stays at the last stage");
        double[] logits = fx(numbers::values);
        for (int j = 0; j < trained.config().dVocab(); j++) {
            assertEquals(cache.get("logits").get(0, 5, j), logits[j], 1e-10);
        }
        Ui.screenshot(scene(), "inside-06-step-logits");
    }

    @Test
    @Order(4)
    void theViewsFollowTrainingLive() {
        showTab("view-positions");
        waitUntil("the encoding is drawn", 10, () -> robot.lookup("#positionEncoding").tryQuery()
                .map(n -> ((MatrixView) n).rows() > 0).orElse(false));
        MatrixView enc = node("#positionEncoding");
        double[] before = fx(enc::values);
        fxRun(() -> app.vm().training().play());
        waitUntil("training moves on", 60, () -> app.vm().lastSnapshot().step() >= TRAINED_STEPS + 20);
        waitUntil("W_pos on screen follows the model", 10, () -> {
            MatrixView now = robot.lookup("#positionEncoding").query();
            return !java.util.Arrays.equals(before, now.values());
        });
        fxRun(() -> app.vm().training().pause());
        waitUntil("training pauses", 30, () -> !app.session().isRunning()
                && app.vm().lastSnapshot() == app.session().latest());
        waitUntil("the view shows the last snapshot's W_pos", 10, () -> {
            MatrixView now = robot.lookup("#positionEncoding").query();
            double[] w = app.vm().lastSnapshot().probe().model().get("pos_embed.W_pos").toFileOrder();
            double[] v = now.values();
            for (int k = 0; k < v.length; k++) {
                if (v[k] != w[k]) {
                    return false;
                }
            }
            return true;
        });
        assertNotEquals(before.length, 0);
    }

    /** Resets to a fresh model with the given encoding and direction, trains a few steps, shows Positions. */
    private static void freshModel(String positional, String direction) {
        long run = fx(() -> app.vm().lastSnapshot().runId());
        fxRun(() -> {
            var settings = app.vm().training().settings();
            settings.positionalProperty().set(positional);
            settings.attentionDirProperty().set(direction);
            app.vm().training().reset();
        });
        waitUntil("a fresh " + positional + " " + direction + " model", 20, () -> {
            var s = app.vm().lastSnapshot();
            return s.runId() != run && s.probe() != null && s.probe().model() != null
                    && s.probe().model().config().positionalEmbeddingType().json().equals(positional)
                    && s.probe().model().config().attentionDir().json().equals(direction);
        });
        for (int i = 0; i < 5; i++) {
            fxRun(() -> app.vm().training().stepOnce());
        }
        waitUntil("five steps", 20, () -> app.vm().lastSnapshot().step() == 5
                && app.vm().lastSnapshot().probe().step() == 5);
        showTab("view-positions");
        waitUntil("the positions view shows it", 10, () -> positionsShowNewest()
                && ((Label) node("#setFunctionVerdict")).getText()
                .contains(positional.equals("none") ? "no positions" : positional));
    }

    @Test
    @Order(5)
    void alibiRotaryAndAPositionFreeBidirectionalModel() {
        freshModel("alibi", "causal");
        int heads = fx(() -> app.vm().lastSnapshot().probe().heads());
        assertEquals(heads, (long) fx(() -> robot.lookup(".inside-view .matrix-view").queryAll().stream()
                .filter(n -> n.getParent() != null && n.getParent().getParent() instanceof javafx.scene.layout.FlowPane)
                .count()), "one ALiBi bias per head");
        MatrixView first = node("#positionEncoding");
        double[] bias = fx(first::values);
        int t = fx(() -> app.vm().lastSnapshot().probe().length());
        assertEquals(-Math.pow(2, -8.0 / heads) * (t - 1), bias[(t - 1) * t], 1e-12, "-m_0 |i - j| for i = T-1, j = 0");
        assertEquals(Double.NEGATIVE_INFINITY, bias[1], 0, "masked above the diagonal");
        Ui.screenshot(scene(), "inside-07-positions-alibi");

        freshModel("rotary", "bidirectional");
        String text = fx(() -> ((Label) node("#setFunctionVerdict")).getText());
        assertTrue(text.contains("HAS positions") && text.contains("rotary"), text);
        MatrixView cos = node("#positionEncoding");
        int pairs = fx(() -> app.vm().lastSnapshot().probe().model().config().dHead()) / 2;
        assertEquals(pairs, (int) fx(cos::cols));
        assertEquals(Math.cos(3 * Math.pow(10000, -2.0 * 1 / (2 * pairs))), fx(cos::values)[3 * pairs + 1], 1e-12);
        Ui.screenshot(scene(), "inside-08-positions-rotary");

        freshModel("none", "bidirectional");
        text = fx(() -> ((Label) node("#setFunctionVerdict")).getText());
        assertTrue(text.contains("It is a set function"), text);
        MatrixView compare = node("#permutationCompare");
        for (int i = 0; i < t; i++) {
            int col = i;
            assertEquals(fx(() -> compare.cellText(2, col)), fx(() -> compare.cellText(3, col)), "position " + i);
        }
        robot.clickOn("#permuteButton");
        Ui.screenshot(scene(), "inside-09-positions-none-bidirectional");
        showTab("view-residual-stream");
        waitUntil("the residual view follows the new model", 10, () -> residualShowsNewest()
                && ((MatrixView) node("#logitLensGrid")).rows() == 5);
        Ui.screenshot(scene(), "inside-10-residual-untrained");
    }

    @Test
    @Order(6)
    void legoFitsTheViews() {
        robot.clickOn("#taskChoice");
        robot.clickOn("LEGO (chain reasoning)");
        waitUntil("a LEGO model", 30, () -> {
            var s = app.vm().lastSnapshot();
            return s.probe() != null && s.probe().layers() == 6 && s.probe().length() == 30;   // lego6: 6 shared layers
        });
        fxRun(() -> app.vm().training().stepOnce());
        waitUntil("one step", 30, () -> app.vm().lastSnapshot().probe().step() == 1);
        showTab("view-residual-stream");
        waitUntil("13 stream points (embed, then mid and post of 6 layers) of the model at step 1", 10,
                () -> residualShowsNewest() && ((MatrixView) node("#logitLensGrid")).rows() == 13);
        assertEquals(30, fx(() -> ((MatrixView) node("#logitLensGrid")).cols()));
        Ui.screenshot(scene(), "inside-11-lego-residual");
        showTab("view-step-through");
        StepThroughView view = robot.lookup(".inside-view").queryAllAs(StepThroughView.class).stream()
                .filter(StepThroughView.class::isInstance).findFirst().orElseThrow();
        waitUntil("a LEGO trace", 10, () -> view.trace() != null && view.trace().stages().size() > 20);
        fxRun(() -> view.select(2, 3, 29));
        waitUntil("layer 2, head 3, query 29 traced", 20, () -> view.trace().layer() == 2 && view.trace().head() == 3
                && view.trace().query() == 29);
        fxRun(() -> {
            for (int k = 0; k < 40; k++) {
                view.previous();
            }
            for (int k = 0; k < 40 && view.currentStage().kind() != ForwardTrace.Kind.K; k++) {
                view.next();
            }
        });
        assertEquals(ForwardTrace.Kind.K, fx(() -> view.currentStage().kind()));
        assertEquals(30, fx(() -> view.numbers().rowLabels().size()), "one row per key");
        Ui.screenshot(scene(), "inside-12-lego-step-keys");
    }
}
