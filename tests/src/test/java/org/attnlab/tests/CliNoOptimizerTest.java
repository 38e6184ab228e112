package org.attnlab.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.attnlab.app.cli.AttnLabCli;
import org.attnlab.engine.io.SafeTensors;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.train.Trainer;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.attnlab.engine.train.TrainingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --no-optimizer} writes the weights only: the same weights bit for bit as a run that
 * keeps the AdamW state, about a third of the size, read by eval, predict and dump alike;
 * continuing training from it starts a fresh optimizer (and the loaded checkpoint says so).
 * {@code eval --seed} evaluates on another held-out sample (the lessons' is 12345).
 */
class CliNoOptimizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return AttnLabCli.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void weightsOnlyCheckpointsHoldTheSameWeightsAndWorkEverywhere(@TempDir Path dir) throws Exception {
        Path full = dir.resolve("full.safetensors"), lean = dir.resolve("lean.safetensors");
        String[] train = {"train", "--quiet", "--preset", "flipflop16", "--steps", "40", "--seed", "5", "--set",
            "eval_every=20"};
        assertEquals(0, run(concat(train, "--out", full.toString())), err.toString());
        assertEquals(0, run(concat(train, "--no-optimizer", "--out", lean.toString())), err.toString());
        assertTrue(out.toString().contains("weights only"), out.toString());

        var fullFile = SafeTensors.read(full);
        var leanFile = SafeTensors.read(lean);
        assertTrue(fullFile.tensors().keySet().stream().anyMatch(k -> k.startsWith("optim.m.")));
        assertFalse(leanFile.tensors().keySet().stream().anyMatch(k -> k.startsWith("optim.")), "no optimizer state");
        assertFalse(leanFile.metadata().containsKey("optim.step"));
        assertEquals("40", leanFile.metadata().get("step"));
        for (String name : leanFile.tensors().keySet()) {
            assertArrayEquals(fullFile.tensors().get(name).data(), leanFile.tensors().get(name).data(), name);
        }
        assertEquals(fullFile.tensors().size(), 3 * leanFile.tensors().size(), "parameters, m and v");
        double ratio = (double) Files.size(lean) / Files.size(full);
        // a float32 run keeps F32 parameters beside the optimizer's F64 moments: 4 of 4 + 8 + 8 bytes
        assertTrue(ratio > 0.17 && ratio < 0.23, "a fifth of the size: " + ratio);

        // eval, predict and dump read it and give the same numbers as from the full file
        assertEquals(0, run("eval", "--model", full.toString(), "--json"), err.toString());
        JsonNode a = JSON.readTree(out.toString());
        assertEquals(0, run("eval", "--model", lean.toString(), "--json"), err.toString());
        JsonNode b = JSON.readTree(out.toString());
        assertEquals(a, b);
        assertEquals(0, run("predict", "--model", full.toString(), "--input", "1 0 2 0 0", "--json"), err.toString());
        String pa = out.toString();
        assertEquals(0, run("predict", "--model", lean.toString(), "--input", "1 0 2 0 0", "--json"), err.toString());
        assertEquals(pa, out.toString());

        // continuing: a fresh AdamW, at the saved step
        TrainingCheckpoints.Loaded fullCk = TrainingCheckpoints.load(full), leanCk = TrainingCheckpoints.load(lean);
        assertFalse(fullCk.weightsOnly());
        assertTrue(leanCk.weightsOnly());
        TrainingSettings s = org.attnlab.engine.train.Presets.byName("flipflop16").training().withSteps(60);
        Trainer resumed = leanCk.resume(s);
        assertEquals(40, resumed.stepCount());
        AdamW opt = resumed.optimizer();
        assertEquals(0, opt.stepCount(), "a fresh optimizer");
        for (double[][] mv : opt.state().values()) {
            for (double[] x : mv) {
                for (double v : x) {
                    assertEquals(0.0, v);
                }
            }
        }
        resumed.run(() -> resumed.stepCount() >= 45);
        assertEquals(45, resumed.stepCount());
        for (Param p : resumed.params().all()) {
            for (double v : p.toFileOrder()) {
                assertTrue(Double.isFinite(v));
            }
        }
        assertEquals(40, fullCk.resume(s).optimizer().stepCount(), "the full file continues its optimizer");
    }

    @Test
    void evalSeedPicksTheHeldOutSample(@TempDir Path dir) throws Exception {
        Path ck = Path.of("..", "assets", "lessons", "checkpoints", "induction-2layer.safetensors");
        assertEquals(0, run("eval", "--model", ck.toString(), "--batch-size", "512", "--seed", "12345", "--json"),
                err.toString());
        JsonNode lessons = JSON.readTree(out.toString()).get("metrics");
        assertEquals(0.5684, Math.round(lessons.get("induction_score_max.L1").asDouble() * 1e4) / 1e4, 1e-12,
                "the lessons' sample, as the checkpoints README states");
        assertEquals(0, run("eval", "--model", ck.toString(), "--json"), err.toString());
        JsonNode plain = JSON.readTree(out.toString()).get("metrics");
        assertEquals(0.558, Math.round(plain.get("induction_score_max.L1").asDouble() * 1e3) / 1e3, 1e-12,
                "the training sample (seed 0x5EED, 256 sequences), as the README says");
        assertEquals(2, run("eval", "--model", ck.toString(), "--seed", "x"), "a bad seed is bad usage");
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
