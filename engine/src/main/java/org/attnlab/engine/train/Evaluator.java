package org.attnlab.engine.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.CrossEntropy;
import org.attnlab.engine.model.Transformer;
import org.attnlab.engine.tasks.InductionTask;
import org.attnlab.engine.tasks.Metrics;
import org.attnlab.engine.tasks.SortTask;
import org.attnlab.engine.tasks.Task;
import org.ejml.data.DMatrixRMaj;

/**
 * Scores a model on a task's batch: the task's own metrics, plus what needs the model itself:
 * greedy-decoding exact match for {@link SortTask} (minGPT's demo metric) and, for
 * {@link InductionTask}, when the attention type has a pattern, the induction score and
 * previous-token score of every head (Olsson et al. 2022), under {@code induction_score.L<l>} and {@code prev_token_score.L<l>}
 * (one value per head) and {@code induction_score_max.L<l>} (the best head of layer l).
 */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * @return loss and metrics of {@code model} on {@code batch}
     * @throws IllegalArgumentException if the batch does not fit the model
     */
    public static Evaluation evaluate(Task task, Transformer model, Batch batch, long step) {
        int v = model.config().dVocab();
        ActivationCache cache = task instanceof InductionTask && model.config().attentionType().hasPattern()
                ? new ActivationCache() : null;
        DMatrixRMaj logits = model.forward(batch.tokens(), batch.batchSize(), batch.seqLen(), cache);
        double loss = CrossEntropy.lossAndGradient(logits, batch, null);
        double[] l = java.util.Arrays.copyOf(logits.data, batch.batchSize() * batch.seqLen() * v);
        Metrics m = task.evaluate(batch, l, v);
        Map<String, double[]> values = new LinkedHashMap<>(m.values());
        String headline = m.headlineName();
        if (task instanceof SortTask sort) {
            boolean[] ok = sort.exactMatchFromPredictions(batch, greedy(sort, model, batch));
            int good = 0;
            for (boolean b : ok) {
                good += b ? 1 : 0;
            }
            values.put("exact_match", new double[] {(double) good / ok.length});
            headline = "exact_match";
        }
        if (cache != null) {
            inductionScores(model, batch, cache, values);
        }
        return new Evaluation(step, loss, Metrics.of(values, headline));
    }

    /**
     * Greedy decoding: feed each row's L input digits, append the argmax L times.
     *
     * @return [B, L] generated digits
     */
    static int[] greedy(SortTask sort, Transformer model, Batch batch) {
        int b = batch.batchSize(), len = sort.length(), v = model.config().dVocab();
        int[] seq = new int[b * (2 * len)];
        int[] out = new int[b * len];
        for (int j = 0; j < len; j++) {
            int t = len + j;                                  // current prefix length
            int[] toks = new int[b * t];
            for (int r = 0; r < b; r++) {
                for (int i = 0; i < t; i++) {
                    toks[r * t + i] = i < len ? batch.token(r, i) : seq[r * 2 * len + i];
                }
            }
            DMatrixRMaj logits = model.forward(toks, b, t, null);
            for (int r = 0; r < b; r++) {
                int row = (r * t + t - 1) * v;                // prediction after the last token
                int best = 0;
                for (int k = 1; k < v; k++) {
                    if (logits.data[row + k] > logits.data[row + best]) {
                        best = k;
                    }
                }
                seq[r * 2 * len + t] = best;
                out[r * len + j] = best;
            }
        }
        return out;
    }

    private static void inductionScores(Transformer model, Batch batch, ActivationCache cache,
                                        Map<String, double[]> values) {
        int h = model.config().nHeads(), t = batch.seqLen();
        for (int l = 0; l < model.config().nLayers(); l++) {
            double[] pattern = cache.get(HookPoint.of(l, HookPoint.Site.ATTN_PATTERN)).data();
            double[] ind = new double[h], prev = new double[h];
            for (int b = 0; b < batch.batchSize(); b++) {
                int[] targets = InductionTask.inductionTargets(batch, b);
                for (int hi = 0; hi < h; hi++) {
                    int off = (b * h + hi) * t * t;
                    ind[hi] += InductionTask.inductionScore(pattern, off, t, targets) / batch.batchSize();
                    prev[hi] += InductionTask.previousTokenScore(pattern, off, t) / batch.batchSize();
                }
            }
            values.put("induction_score.L" + l, ind);
            values.put("prev_token_score.L" + l, prev);
            double best = Double.NEGATIVE_INFINITY;
            for (double x : ind) {
                best = Math.max(best, x);
            }
            values.put("induction_score_max.L" + l, new double[] {best});
        }
    }

}
