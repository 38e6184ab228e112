package org.attnlab.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.attnlab.app.cli.AttnLabCli;
import org.attnlab.engine.io.SafeTensors;
import org.attnlab.engine.io.SafeTensorsFile;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.RunSpec;
import org.attnlab.engine.train.Trainer;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line and the run spec a checkpoint stores: {@code train} writes it, {@code eval}
 * judges by its target, {@code train --from} continues it (bit for bit with the optimizer state).
 */
class RunSpecCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHECKPOINTS = Path.of("..", "assets", "lessons", "checkpoints");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return AttnLabCli.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void trainStoresItsSpecAndEvalJudgesByItsTarget(@TempDir Path dir) throws Exception {
        Path x = dir.resolve("sort.safetensors");
        assertEquals(0, run("train", "--preset", "sort", "--steps", "20", "--seed", "2", "--set", "eval_batch=64",
                "--quiet", "--out", x.toString()), err.toString());
        RunSpec expected = Presets.byName("sort").with(Map.of("steps", "20", "seed", "2", "eval_batch", "64"));
        assertEquals(expected.toJson(), SafeTensors.read(x).metadata().get("run"));
        assertEquals(expected, TrainingCheckpoints.load(x).spec());

        assertEquals(0, run("eval", "--model", x.toString(), "--json"), err.toString());
        JsonNode e = JSON.readTree(out.toString());
        assertEquals("exact_match", e.get("target").get("metric").asText());
        assertEquals(1.0, e.get("target").get("value").asDouble());
        double measured = e.get("metrics").get("exact_match").asDouble();
        assertEquals(measured, e.get("target").get("measured").asDouble(), 0.0);
        assertEquals(measured >= 1.0, e.get("target").get("reached").asBoolean());
        assertEquals(0, run("eval", "--model", x.toString()), err.toString());
        String last = out.toString().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("target: exact_match " + (measured >= 1.0 ? "reached" : "NOT reached")), last);
    }

    @Test
    void trainFromACheckpointContinuesItsRunBitForBit(@TempDir Path dir) throws Exception {
        RunSpec spec = Presets.byName("sort").with(Map.of("steps", "40", "seed", "2", "n_layers", "1",
                "eval_every", "10", "eval_batch", "64"));
        Trainer half = new Trainer(spec);
        half.run(() -> half.stepCount() >= 20);
        Path x = dir.resolve("half.safetensors");
        TrainingCheckpoints.save(x, half);

        Path continued = dir.resolve("continued.safetensors"), straight = dir.resolve("straight.safetensors");
        assertEquals(0, run("train", "--from", x.toString(), "--out", continued.toString()), err.toString());
        assertTrue(err.toString().contains("continuing sort from step 20 of " + x), err.toString());
        assertTrue(out.toString().contains("done after 40 steps"), out.toString());
        assertEquals(0, run("train", "--preset", "sort", "--steps", "40", "--seed", "2", "--set", "n_layers=1",
                "--set", "eval_every=10", "--set", "eval_batch=64", "--quiet", "--out", straight.toString()),
                err.toString());
        SafeTensorsFile a = SafeTensors.read(continued), b = SafeTensors.read(straight);
        assertEquals(b.tensors().keySet(), a.tensors().keySet());
        for (String name : b.tensors().keySet()) {
            assertTrue(Arrays.equals(b.require(name).data(), a.require(name).data()), name + " bit for bit");
        }
        assertEquals(b.metadata().get("run"), a.metadata().get("run"), "the same run");

        String o = dir.resolve("o.safetensors").toString();
        assertEquals(1, run("train", "--from", x.toString(), "--set", "n_layers=2", "--out", o));
        assertTrue(err.toString().contains("--from continues the checkpoint's own task and model"), err.toString());
        assertEquals(1, run("train", "--from", x.toString(), "--preset", "sort", "--out", o));
        assertTrue(err.toString().contains("leave out --task and --preset"), err.toString());
        assertFalse(Files.exists(Path.of(o)));
    }

    @Test
    void anOlderCheckpointContinuesWithItsRebuiltSpecAndStopsAtItsTarget(@TempDir Path dir) throws Exception {
        // the lesson's flip-flop model predates stored specs: flipflop16's settings and target, step 600, weights only
        Path y = dir.resolve("more.safetensors");
        assertEquals(0, run("train", "--from", CHECKPOINTS.resolve("flipflop.safetensors").toString(), "--steps",
                "700", "--set", "eval_every=5", "--stop-at-target", "--out", y.toString()), err.toString());
        assertTrue(err.toString().contains("with a fresh optimizer"), err.toString());
        assertTrue(out.toString().contains("reached target after 605 steps"), out.toString());
        assertTrue(out.toString().contains("target: accuracy reached"), out.toString());
        RunSpec back = TrainingCheckpoints.load(y).spec();
        assertEquals(Presets.byName("flipflop16").with(Map.of("steps", "700", "eval_every", "5")), back,
                "now the file holds its spec");
    }

    @Test
    void aOneLayerModelIsDescribedInTheSingular(@TempDir Path dir) {
        assertEquals(0, run("train", "--preset", "sort", "--steps", "2", "--set", "n_layers=1", "--set",
                "eval_every=2", "--set", "eval_batch=8", "--out", dir.resolve("a.safetensors").toString()),
                err.toString());
        String all = out + "\n" + err;
        assertTrue(all.contains("1 layer, "), all);
        assertFalse(all.contains("1 layers"), all);
    }

    @Test
    void aTargetTheModelCannotHaveIsSaidPlainly(@TempDir Path dir) {
        // induction's target is a layer-1 score: a one-layer model has no layer 1
        assertEquals(AttnLabCli.EXIT_USAGE, run("train", "--task", "induction", "--set", "n_layers=1",
                "--stop-at-target", "--out", dir.resolve("x.safetensors").toString()));
        assertTrue(err.toString().contains("induction_score_max.L1 can never be reached: the model has no layer 1"),
                err.toString());
        Path m = dir.resolve("m.safetensors");
        assertEquals(0, run("train", "--task", "induction", "--set", "n_layers=1", "--steps", "2", "--set",
                "eval_every=2", "--set", "eval_batch=8", "--quiet", "--out", m.toString()), err.toString());
        assertEquals(0, run("eval", "--model", m.toString()), err.toString());
        assertTrue(out.toString().contains("target: induction_score_max.L1 cannot be measured on this model"),
                out.toString());
        assertFalse(out.toString().contains("NaN"), out.toString());
    }

    @Test
    void continuingToAStepTheCheckpointHasPassedIsRefused(@TempDir Path dir) {
        Path a = dir.resolve("a.safetensors"), b = dir.resolve("b.safetensors");
        assertEquals(0, run("train", "--preset", "sort", "--steps", "6", "--set", "eval_every=3", "--set",
                "eval_batch=8", "--quiet", "--out", a.toString()), err.toString());
        assertEquals(AttnLabCli.EXIT_USAGE, run("train", "--from", a.toString(), "--steps", "4", "--out", b.toString()));
        assertTrue(err.toString().contains("--steps 4: the checkpoint is at step 6 already"), err.toString());
        assertFalse(Files.exists(b), "nothing written");
        assertEquals(AttnLabCli.EXIT_FAILURE, run("train", "--from", a.toString(), "--steps", "8", "--set",
                "attention_type=linear", "--out", b.toString()), "a model key cannot change on --from");
        assertTrue(err.toString().contains("--set can change training keys only"), err.toString());
        assertEquals(0, run("train", "--from", a.toString(), "--steps", "8", "--out", b.toString()), err.toString());
        assertTrue(err.toString().contains("from step 6 of " + a + " (") && err.toString().contains(") to step 8, seed"),
                err.toString());
    }
}
