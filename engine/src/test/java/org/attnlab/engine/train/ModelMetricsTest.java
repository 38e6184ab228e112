package org.attnlab.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.tasks.InductionTask;
import org.attnlab.engine.tasks.Metrics;
import org.attnlab.engine.tasks.SortTask;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.Tasks;
import org.attnlab.engine.transformer.Transformer;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The evaluator's model metrics, now declared by the tasks, give exactly what the evaluator
 * computed when it special-cased sort and induction: each expected value is computed here by a
 * plain loop of its own (a row-at-a-time greedy decode; the induction and previous-token scores
 * summed straight from {@code hook_pattern}) and compared bit for bit.
 */
class ModelMetricsTest {
    private static final Path CHECKPOINTS = Path.of("..", "assets", "lessons", "checkpoints");

    @Test
    void sortExactMatchIsARowByRowGreedyDecode() {
        RunSpec preset = Presets.byName("sort");
        SortTask task = (SortTask) preset.task();
        Trainer trainer = new Trainer(task, preset.config(), preset.training().withSteps(400));
        for (int i = 0; i < 150; i++) {
            trainer.step();
        }
        Transformer model = new Transformer(trainer.params());
        Batch batch = task.evalBatch(64, 4242);
        Evaluation e = Evaluator.evaluate(task, model, batch, trainer.stepCount());

        int len = task.length(), v = model.config().dVocab();
        int good = 0;
        for (int r = 0; r < batch.batchSize(); r++) {
            List<Integer> seq = new ArrayList<>();
            for (int i = 0; i < len; i++) {
                seq.add(batch.token(r, i));
            }
            int[] generated = new int[len];
            for (int j = 0; j < len; j++) {
                int[] toks = seq.stream().mapToInt(Integer::intValue).toArray();
                DMatrixRMaj logits = model.forward(toks, 1, toks.length, null);
                int last = (toks.length - 1) * v, best = 0;
                for (int k = 1; k < v; k++) {
                    best = logits.data[last + k] > logits.data[last + best] ? k : best;
                }
                generated[j] = best;
                seq.add(best);
            }
            int[] sorted = Arrays.copyOf(seq.stream().mapToInt(Integer::intValue).toArray(), len);
            Arrays.sort(sorted);
            good += Arrays.equals(sorted, generated) ? 1 : 0;
        }
        double expected = (double) good / batch.batchSize();
        assertTrue(expected > 0 && expected < 1, "a half-trained model, so the number means something: " + expected);
        assertEquals(expected, e.metrics().scalar("exact_match"), 0.0);
        assertEquals("exact_match", e.metrics().headlineName());
        assertEquals(expected, e.metrics().headline(), 0.0);
        assertEquals(List.of("exact_match_teacher_forced", "token_accuracy", "exact_match"),
                List.copyOf(e.metrics().names()), "the task's metrics first, then the model metric");
    }

    @Test
    void inductionScoresOfTheShippedTwoLayerModelArePlainMeansOfItsPattern() throws Exception {
        TrainingCheckpoints.Loaded loaded = TrainingCheckpoints.load(CHECKPOINTS.resolve("induction-2layer.safetensors"));
        Task task = loaded.task();
        assertTrue(task instanceof InductionTask, task.toString());
        Transformer model = new Transformer(loaded.checkpoint().params());
        Batch batch = task.evalBatch(64, 12345);
        Evaluation e = Evaluator.evaluate(task, model, batch, loaded.step());

        int nb = batch.batchSize(), t = batch.seqLen(), nh = model.config().nHeads();
        ActivationCache cache = model.runWithCache(batch.tokens(), nb, t);
        List<String> names = new ArrayList<>(task.evaluate(batch, logits(model, batch), model.config().dVocab()).names());
        for (int l = 0; l < model.config().nLayers(); l++) {
            double[] pattern = cache.get("blocks." + l + ".attn.hook_pattern").data(); // (B, H, T, T)
            double[] ind = new double[nh], prev = new double[nh];
            double best = Double.NEGATIVE_INFINITY;
            for (int h = 0; h < nh; h++) {
                for (int b = 0; b < nb; b++) {
                    int period = 1;
                    while (batch.token(b, period) != batch.token(b, 0)) {
                        period++;
                    }
                    int at = (b * nh + h) * t * t;
                    double sum = 0;
                    for (int q = period; q < t; q++) {
                        sum += pattern[at + q * t + (q - period + 1)]; // the token after q's earlier occurrence
                    }
                    ind[h] += sum / (t - period) / nb;
                    double sumPrev = 0;
                    for (int q = 1; q < t; q++) {
                        sumPrev += pattern[at + q * t + q - 1];
                    }
                    prev[h] += sumPrev / (t - 1) / nb;
                }
                best = Math.max(best, ind[h]);
            }
            assertArrayEquals(ind, e.metrics().get("induction_score.L" + l), "layer " + l);
            assertArrayEquals(prev, e.metrics().get("prev_token_score.L" + l), "layer " + l);
            assertEquals(best, e.metrics().scalar("induction_score_max.L" + l), 0.0);
            names.addAll(List.of("induction_score.L" + l, "prev_token_score.L" + l, "induction_score_max.L" + l));
        }
        assertTrue(e.metrics().scalar("induction_score_max.L1") > 0.5, "the shipped model has an induction head");
        assertEquals(names, List.copyOf(e.metrics().names()));
        assertEquals("repeat_accuracy", e.metrics().headlineName(), "induction keeps the task's headline");
    }

    @Test
    void aTaskWithoutModelMetricsGetsExactlyItsOwnMetrics() {
        RunSpec preset = Presets.byName("parity16");
        Task task = preset.task();
        assertEquals(List.of(), task.modelMetrics());
        Transformer model = new Transformer(new Trainer(task, preset.config(), preset.training()).params());
        Batch batch = task.evalBatch(16, 3);
        Metrics own = task.evaluate(batch, logits(model, batch), model.config().dVocab());
        assertEquals(own, Evaluator.evaluate(task, model, batch, 0).metrics());
    }

    @Test
    void onlyInductionAsksForTheCache() {
        for (String name : Tasks.names()) {
            Task task = Tasks.byName(name);
            boolean cache = task.modelMetrics().stream().anyMatch(m -> m.needsCache());
            assertEquals(name.equals("induction"), cache, name);
            assertEquals(name.equals("sort"), task.modelMetrics().stream().anyMatch(m -> m.headline()), name);
        }
    }

    private static double[] logits(Transformer model, Batch batch) {
        DMatrixRMaj l = model.forward(batch.tokens(), batch.batchSize(), batch.seqLen(), null);
        return Arrays.copyOf(l.data, batch.batchSize() * batch.seqLen() * model.config().dVocab());
    }
}
