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
import java.util.Map;
import org.attnlab.app.cli.AttnLabCli;
import org.attnlab.engine.io.BatchFile;
import org.attnlab.engine.io.SafeTensors;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.TaskOption;
import org.attnlab.engine.tasks.Tasks;
import org.attnlab.engine.train.Evaluation;
import org.attnlab.engine.train.Trainer;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.attnlab.engine.train.TrainingSettings;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train, eval and predict as a user runs them, and checkpoints that give the same numbers after saving. */
class TrainEvalPredictCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return AttnLabCli.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void trainWritesACheckpointThatEvalAndPredictRead(@TempDir Path dir) throws Exception {
        Path ck = dir.resolve("ff.safetensors");
        assertEquals(0, run("train", "--preset", "flipflop16", "--steps", "30", "--seed", "3", "--set",
                "d_model=16", "--set", "eval_every=10", "--out", ck.toString()), err.toString());
        assertTrue(out.toString().contains("after 30 steps"), out.toString());
        assertTrue(err.toString().contains("step 30/30"), "progress shown: " + err);
        assertFalse(Files.exists(dir.resolve("ff.safetensors.tmp")));
        Map<String, String> meta = SafeTensors.read(ck).metadata();
        assertEquals("flipflop", meta.get("task"));
        assertEquals("30", meta.get("step"));
        assertTrue(meta.get("config").contains("\"d_model\":16"), meta.get("config"));

        assertEquals(0, run("eval", "--model", ck.toString(), "--json"), err.toString());
        JsonNode e = JSON.readTree(out.toString());
        assertEquals("flipflop", e.get("task").asText());
        assertEquals(30, e.get("step").asInt());
        assertTrue(e.get("metrics").get("accuracy").isNumber());
        assertEquals(16, e.get("metrics").get("accuracy_per_position").size());

        assertEquals(0, run("eval", "--model", ck.toString()), err.toString());
        assertTrue(out.toString().contains("accuracy_per_position"), out.toString());

        assertEquals(0, run("predict", "--model", ck.toString(), "--input", "1 0 0 2 0", "--json"), err.toString());
        JsonNode p = JSON.readTree(out.toString());
        assertEquals(5, p.size());
        assertEquals(0, p.get(0).get("position").asInt());
        assertEquals("1", p.get(0).get("token").asText());
        assertTrue(p.get(4).get("probability").asDouble() > 0 && p.get(4).get("probability").asDouble() <= 1);
    }

    @Test
    void numbersAreTheSameBeforeSavingAndAfterLoadingInEveryCommand(@TempDir Path dir) throws Exception {
        Task task = Tasks.byName("lego", Map.of("n_var", "3"));
        TransformerConfig c = TransformerConfig.builder(task.vocabulary().size(), task.seqLen(), 16, 2, 2)
                .attentionDir(TransformerConfig.AttentionDir.BIDIRECTIONAL).build();
        Trainer t = new Trainer(task, c, new TrainingSettings(new AdamW.Settings(3e-3, 0.9, 0.98, 1e-8, 0.01), 16, 20,
                2, 0.1, 1, 0, 64, 9));
        t.run(() -> false);
        Evaluation before = t.evaluate();
        String input = "b = - a ; a = + 1 ; c = + b ;";
        int[] tokens = task.vocabulary().encode(input);
        double[] logitsBefore = t.model().forward(tokens, 1, tokens.length, null).data.clone();
        Path ck = dir.resolve("lego.safetensors");
        TrainingCheckpoints.save(ck, t, null);

        assertEquals(0, run("eval", "--model", ck.toString(), "--json", "--batch-size", "64"), err.toString());
        JsonNode m = JSON.readTree(out.toString()).get("metrics");
        assertEquals(before.metrics().scalar("accuracy"), m.get("accuracy").asDouble(), 0.0);
        assertEquals(before.metrics().scalar("sentence_accuracy"), m.get("sentence_accuracy").asDouble(), 0.0);

        assertEquals(0, run("predict", "--model", ck.toString(), "--input", input, "--json"), err.toString());
        JsonNode p = JSON.readTree(out.toString());
        int v = c.dVocab();
        for (int i = 0; i < tokens.length; i++) {
            int best = 0;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, logitsBefore[i * v + k]);
                if (logitsBefore[i * v + k] > logitsBefore[i * v + best]) best = k;
            }
            for (int k = 0; k < v; k++) sum += Math.exp(logitsBefore[i * v + k] - max);
            assertEquals(task.vocabulary().token(best), p.get(i).get("predicted").asText(), "position " + i);
            assertEquals(Math.exp(logitsBefore[i * v + best] - max) / sum, p.get(i).get("probability").asDouble(),
                    0.0, "position " + i);
        }

        // the run trained in float32, so eval and predict compute in it by default; --dtype f64 is the
        // reference on the same (float32-representable) weights: equal to float32 round-off
        assertEquals(0, run("predict", "--model", ck.toString(), "--input", input, "--json", "--dtype", "f64"),
                err.toString());
        JsonNode p64 = JSON.readTree(out.toString());
        for (int i = 0; i < tokens.length; i++) {
            assertEquals(p.get(i).get("probability").asDouble(), p64.get(i).get("probability").asDouble(), 1e-5,
                    "position " + i);
        }
        assertEquals(2, run("predict", "--model", ck.toString(), "--input", input, "--dtype", "f16"));
        assertTrue(err.toString().contains("--dtype must be f32 or f64 (got 'f16')"), err.toString());

        Batch batch = task.evalBatch(4, 1);
        Path batchFile = dir.resolve("b.safetensors");
        BatchFile.write(batchFile, batch);
        DMatrixRMaj expected = t.model().forward(batch.tokens(), 4, batch.seqLen(), null);
        Path dump = dir.resolve("d.safetensors");
        assertEquals(0, run("dump", "--model", ck.toString(), "--batch", batchFile.toString(), "--out", dump.toString(),
                "--dtype", "f32"),
                err.toString());
        double[] logits = SafeTensors.read(dump).require("cache.logits").data();
        for (int i = 0; i < logits.length; i++) {
            assertEquals(expected.data[i], logits[i], 0.0, "logit " + i);
        }
    }

    @Test
    void anUnknownInputTokenIsOneLineNamingTokenAndPosition(@TempDir Path dir) throws Exception {
        Path ck = dir.resolve("ff.safetensors");
        assertEquals(0, run("train", "--preset", "flipflop16", "--steps", "2", "--quiet", "--out", ck.toString()));
        assertEquals(1, run("predict", "--model", ck.toString(), "--input", "1 0 x 2"));
        String e = err.toString().strip();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.contains("'x'") && e.contains("position 2"), e);
    }

    @Test
    void trainHelpListsEveryTaskWithItsOptionsFromTheRegistry() {
        assertEquals(0, run("train", "--help"), err.toString());
        String help = out.toString();
        assertTrue(help.replaceAll("\\s+", " ").contains("Tasks: " + String.join(", ", Tasks.names()) + "."), help);
        for (String name : Tasks.names()) {
            String title = Tasks.displayName(name);
            assertTrue(help.lines().anyMatch(l -> l.startsWith("  " + name + " ")
                    && (l.endsWith(title) || l.contains(title + " (also"))), name + ":\n" + help);
            for (TaskOption o : Tasks.options(name)) {
                assertTrue(help.contains(o.key() + " [" + o.defaultValue() + "]"), name + " " + o.key() + ":\n" + help);
            }
        }
        assertTrue(help.contains("s5         Symmetric group S5 (also s3, s4, s6)"), help);
        help.lines().forEach(l -> assertTrue(l.length() <= 80, "within 80 columns: " + l));
    }

    @Test
    void badTrainArgumentsAreExplained(@TempDir Path dir) {
        String o = dir.resolve("o.safetensors").toString();
        assertEquals(1, run("train", "--task", "nosuch", "--out", o));
        assertTrue(err.toString().contains("nosuch"), err.toString());
        assertEquals(1, run("train", "--preset", "lego6", "--set", "n_heads=5", "--out", o));
        assertTrue(err.toString().contains("n_heads"), err.toString());
        assertEquals(1, run("train", "--preset", "lego6", "--set", "lr=abc", "--out", o));
        assertTrue(err.toString().contains("lr"), err.toString());
        assertEquals(1, run("train", "--preset", "lego6", "--set", "colour=red", "--out", o));
        assertTrue(err.toString().contains("colour"), err.toString());
        assertEquals(1, run("train", "--preset", "sort", "--task", "lego", "--out", o));
        assertTrue(err.toString().contains("sort"), err.toString());
        assertFalse(Files.exists(Path.of(o)));
    }

    @Test
    void divergenceExitsNonZeroWithTheExplanationAndKeepsTheLastGoodModel(@TempDir Path dir) throws Exception {
        Path o = dir.resolve("o.safetensors");
        // Training is deterministic per seed, so this absurd learning rate diverges the same way every run.
        int code = run("train", "--preset", "flipflop16", "--steps", "40", "--seed", "1", "--set", "lr=1e12", "--set",
                "grad_clip=0", "--set", "warmup=0", "--quiet", "--out", o.toString());
        assertEquals(1, code, out.toString());
        String e = err.toString().strip();
        assertTrue(e.lines().anyMatch(l -> l.startsWith("attnlab train: error: training diverged at step")), e);
        assertTrue(e.contains("lower learning rate"), e);
        // What the message says about the saved model must be true.
        if (e.contains("Nothing was saved")) {
            assertFalse(Files.exists(o), "said nothing was saved");
        } else {
            TrainingCheckpoints.Loaded kept = TrainingCheckpoints.load(o);
            assertTrue(e.contains("model at step " + kept.step() + " was saved"), e);
            assertEquals(0, run("eval", "--model", o.toString(), "--json"), "a kept model must be usable");
            assertTrue(Double.isFinite(JSON.readTree(out.toString()).get("metrics").get("accuracy").asDouble()));
        }
    }

    @Test
    void weightsThatGrowTooLargeAreCaughtBeforeTheLossOverflows(@TempDir Path dir) {
        // lr 1e6 blows the loss up long before it becomes infinite: caught at 10 x ln(d_vocab), not saved as a success
        int code = run("train", "--preset", "flipflop16", "--steps", "40", "--seed", "1", "--set", "lr=1e6", "--set",
                "grad_clip=0", "--set", "warmup=0", "--quiet", "--out", dir.resolve("o.safetensors").toString());
        assertEquals(1, code, out.toString());
        assertTrue(err.toString().contains("training diverged") && err.toString().contains("loss became"),
                err.toString());
        assertTrue(err.toString().contains("Try a lower learning rate (e.g. 0.00300)"), err.toString());
    }

    @Test
    void aLossFarAboveGuessingIsDivergenceEvenWhenFinite(@TempDir Path dir) {
        // lr 100 keeps every number finite but the loss climbs far above ln(d_vocab): a failure, not "done"
        int code = run("train", "--preset", "flipflop16", "--steps", "60", "--seed", "1", "--set", "lr=100",
                "--quiet", "--out", dir.resolve("o.safetensors").toString());
        assertEquals(1, code, out.toString());
        assertTrue(err.toString().contains("training diverged"), err.toString());
    }

    @Test
    void overridesAreCheckedTogether(@TempDir Path dir) throws Exception {
        // d_model=64 alone would not divide the preset's 3 heads; with n_heads=4 it does.
        Path ck = dir.resolve("s.safetensors");
        assertEquals(0, run("train", "--preset", "sort", "--steps", "1", "--quiet", "--set", "d_model=64", "--set",
                "n_heads=4", "--set", "n_layers=1", "--out", ck.toString()), err.toString());
        TransformerConfig c = TrainingCheckpoints.load(ck).checkpoint().config();
        assertEquals(64, c.dModel());
        assertEquals(4, c.nHeads());
        assertEquals(16, c.dHead());
        assertEquals(256, c.dMlp());
        assertEquals(1, run("train", "--preset", "sort", "--steps", "1", "--set", "n_layers=99999999999999999999",
                "--out", ck.toString()));
        assertTrue(err.toString().contains("n_layers"), err.toString());
    }

    /**
     * weight_sharing comes with the preset's config (lego6 shares its block), and like the
     * curriculum it belongs to the preset's own task: with the task's options changed the run does
     * not share unless {@code --set weight_sharing=true}. A shared checkpoint stores the block once.
     */
    @Test
    void lego6SharesItsBlockOnlyForItsOwnTaskUnlessAsked(@TempDir Path dir) throws Exception {
        String[] small = {"--set", "d_model=16", "--set", "d_mlp=32", "--set", "batch_size=4", "--set", "eval_batch=8",
            "--steps", "2", "--quiet"};
        Path own = dir.resolve("own.safetensors"), three = dir.resolve("three.safetensors"),
                asked = dir.resolve("asked.safetensors");
        assertEquals(0, run(concat(new String[] {"train", "--preset", "lego6", "--out", own.toString()}, small)),
                err.toString());
        assertEquals(0, run(concat(new String[] {"train", "--preset", "lego6", "--set", "n_var=3", "--out",
            three.toString()}, small)), err.toString());
        assertEquals(0, run(concat(new String[] {"train", "--preset", "lego6", "--set", "n_var=3", "--set",
            "weight_sharing=true", "--out", asked.toString()}, small)), err.toString());
        for (Path p : new Path[] {own, asked}) {
            Map<String, ?> t = SafeTensors.read(p).tensors();
            assertTrue(TrainingCheckpoints.load(p).checkpoint().config().weightSharing(), p.toString());
            assertTrue(t.containsKey("blocks.0.attn.W_Q"), p.toString());
            assertTrue(t.keySet().stream().noneMatch(n -> n.contains("blocks.1.")), p + " stores the block once");
        }
        assertFalse(TrainingCheckpoints.load(three).checkpoint().config().weightSharing());
        assertTrue(SafeTensors.read(three).tensors().containsKey("blocks.5.attn.W_Q"), "six blocks of their own");
    }

    /**
     * Issue 13's crash: {@code train --task lego --preset lego6 --set attention_type=linear} died at
     * the first step after the first evaluation (an internal error). Smaller model, same shapes: the
     * preset's batch of 256 in curriculum sequences, the held-out batch of 256 full ones.
     */
    @Test
    void lego6WithLinearAttentionTrainsPastItsFirstEvaluations(@TempDir Path dir) {
        Path ck = dir.resolve("linear.safetensors");
        assertEquals(0, run("train", "--task", "lego", "--preset", "lego6", "--set", "attention_type=linear", "--set",
                "d_model=16", "--set", "d_mlp=32", "--set", "n_layers=2", "--set", "eval_every=2", "--steps", "5",
                "--quiet", "--out", ck.toString()), err.toString());
        assertTrue(out.toString().contains("after 5 steps"), out.toString());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
