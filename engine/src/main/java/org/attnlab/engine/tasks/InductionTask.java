package org.attnlab.engine.tasks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.transformer.Transformer;

/**
 * Repeated random tokens, the test bed of induction heads: Olsson et al. 2022, "In-context
 * Learning and Induction Heads" (Transformer Circuits Thread); Elhage et al. 2021, "A
 * Mathematical Framework for Transformer Circuits".
 *
 * <p>Each row draws a period P uniform in {@code [max(2, T/4), T/2]} and a prefix of P
 * <em>distinct</em> random symbols (drawn without replacement, so every repeated token has
 * exactly one occurrence per period before it), then repeats the prefix until the row holds
 * T tokens: {@code tokens[t] = prefix[t mod P]}. A random period keeps the model from
 * memorizing one offset. Example, T = 10, P = 4: {@code g c q a g c q a g c}.
 *
 * <p>Next-token prediction: {@code targets[t] = tokens[t+1]}, scored for every t except the
 * last. Positions {@code t >= P} are the <em>repeat</em>: the current token occurred at
 * {@code t - P}, so an induction head at query t attends to key {@code t - P + 1} and copies
 * it. Positions {@code t < P} are the first (non-repeating) part, predictable only as "some
 * symbol not seen yet".
 *
 * <p>Model metric ({@link #modelMetrics()}): the induction score and previous-token score of
 * every head, read from the attention patterns ({@code blocks.<l>.attn.hook_pattern}) of the
 * evaluation's forward pass: {@code induction_score.L<l>} and {@code prev_token_score.L<l>}
 * (one value per head, the mean over the batch's rows) and {@code induction_score_max.L<l>}
 * (the best head of layer l).
 */
public final class InductionTask implements Task {

    /** Registry entry: {@code induction} with {@code n_symbols} and {@code T}. */
    public static final TaskType TYPE = TaskType.of("induction", List.of(
            TaskOption.of("n_symbols", "26", "number of random symbols (the vocabulary), T/2..260"),
            TaskOption.of("T", "32", "sequence length, 4..65536 (the period is drawn in [max(2, T/4), T/2])")),
            o -> of(o.integer("n_symbols"), o.integer("T")));

    private static final List<ModelMetric> MODEL_METRICS = List.of(
            ModelMetric.of("head_scores", true, false, InductionTask::headScores));

    private final int nSymbols;
    private final int length;
    private final int minPeriod;
    private final int maxPeriod;
    private final Vocabulary vocabulary;

    private InductionTask(int nSymbols, int length) {
        this.length = TaskSupport.checkRange("T", length, 4, 1 << 16);
        this.minPeriod = Math.max(2, length / 4);
        this.maxPeriod = length / 2;
        this.nSymbols = TaskSupport.checkRange("n_symbols", nSymbols, 2, 26 * 10);
        if (nSymbols < maxPeriod) {
            throw new IllegalArgumentException("n_symbols must be at least T/2 = " + maxPeriod
                    + " (the prefix holds distinct symbols), got " + nSymbols);
        }
        List<String> tokens = new ArrayList<>();
        for (int s = 0; s < nSymbols; s++) {
            tokens.add(symbolName(s));
        }
        this.vocabulary = new Vocabulary(tokens);
    }

    /** @return 26 symbols, T = 32 */
    public static InductionTask of() {
        return of(26, 32);
    }

    /**
     * @param nSymbols how many random symbols (the vocabulary size), in [T/2, 260]
     * @param length   T, in [4, 65536]
     * @throws IllegalArgumentException naming the parameter out of range
     */
    public static InductionTask of(int nSymbols, int length) {
        return new InductionTask(nSymbols, length);
    }

    /** @return "a".."z" for symbols 0..25, then "a1".."z1", "a2", ... */
    static String symbolName(int s) {
        String letter = String.valueOf((char) ('a' + s % 26));
        return s < 26 ? letter : letter + (s / 26);
    }

    public int nSymbols() {
        return nSymbols;
    }

    /** @return the smallest period drawn, {@code max(2, T/4)} */
    public int minPeriod() {
        return minPeriod;
    }

    /** @return the largest period drawn, {@code T/2} */
    public int maxPeriod() {
        return maxPeriod;
    }

    @Override
    public String name() {
        return "induction";
    }

    @Override
    public String displayName() {
        return "Induction heads";
    }

    /** @return the per-head induction and previous-token scores (they read the activation cache) */
    @Override
    public List<ModelMetric> modelMetrics() {
        return MODEL_METRICS;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("n_symbols", Integer.toString(nSymbols));
        o.put("T", Integer.toString(length));
        return o;
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public int seqLen() {
        return length;
    }

    @Override
    public Batch sample(int batchSize, RandomGenerator rng) {
        TaskSupport.checkBatchSize(batchSize);
        int[] tokens = new int[batchSize * length];  // (B*T)
        int[] targets = new int[batchSize * length]; // (B*T)
        byte[] mask = new byte[batchSize * length];  // (B*T)
        for (int b = 0; b < batchSize; b++) {
            int period = minPeriod + rng.nextInt(maxPeriod - minPeriod + 1);
            int[] prefix = TaskSupport.distinct(period, nSymbols, rng); // (P)
            for (int t = 0; t < length; t++) {
                tokens[b * length + t] = prefix[t % period];
            }
            for (int t = 0; t < length; t++) {
                boolean last = t == length - 1;
                targets[b * length + t] = last ? -1 : tokens[b * length + t + 1];
                mask[b * length + t] = (byte) (last ? 0 : 1);
            }
        }
        return new Batch(batchSize, length, tokens, targets, mask);
    }

    @Override
    public Batch evalBatch(int batchSize, long seed) {
        return sample(batchSize, new SplittableRandom(seed));
    }

    /**
     * @return the period P of row {@code b}: the first position after 0 that holds token 0
     *     again (the prefix symbols are distinct)
     * @throws IllegalArgumentException if the row does not repeat
     */
    public static int period(Batch batch, int b) {
        for (int t = 1; t < batch.seqLen(); t++) {
            if (batch.token(b, t) == batch.token(b, 0)) {
                return t;
            }
        }
        throw new IllegalArgumentException("row " + b + " never repeats its first token");
    }

    /**
     * For each query position of row {@code b}, the key position an induction head attends
     * to: the token after the previous occurrence of the query's token, {@code t - P + 1} for
     * {@code t >= P}; -1 for {@code t < P} (no earlier occurrence).
     *
     * @return {@code [T]}
     */
    public static int[] inductionTargets(Batch batch, int b) {
        int p = period(batch, b);
        int[] out = new int[batch.seqLen()];
        for (int t = 0; t < out.length; t++) {
            out[t] = t >= p ? t - p + 1 : -1;
        }
        return out;
    }

    /** Same as {@link #inductionScore(double[], int, int, int[])} with offset 0. */
    public static double inductionScore(double[] pattern, int seqLen, int[] inductionTargets) {
        return inductionScore(pattern, 0, seqLen, inductionTargets);
    }

    /**
     * The induction score of one head on one sequence: the mean, over the query positions t
     * with {@code inductionTargets[t] >= 0}, of {@code pattern[offset + t*T + inductionTargets[t]]}.
     * 1 for a perfect induction head; about {@code 1/t} for uniform causal attention.
     *
     * @param pattern          holds the head's attention pattern {@code [T, T]} (row = query,
     *                         column = key) from {@code offset}, e.g. one {@code [b, h]} slice of
     *                         a {@code [B, H, T, T]} pattern; not modified
     * @param seqLen           T
     * @param inductionTargets {@code [T]}, from {@link #inductionTargets(Batch, int)}
     * @return the score, NaN if no query has a target
     */
    public static double inductionScore(double[] pattern, int offset, int seqLen, int[] inductionTargets) {
        checkPattern(pattern, offset, seqLen);
        if (inductionTargets.length != seqLen) {
            throw new IllegalArgumentException("inductionTargets must have T = " + seqLen + " entries, got "
                    + inductionTargets.length);
        }
        double sum = 0;
        int n = 0;
        for (int t = 0; t < seqLen; t++) {
            int key = inductionTargets[t];
            if (key >= 0) {
                Objects.checkIndex(key, seqLen);
                sum += pattern[offset + t * seqLen + key];
                n++;
            }
        }
        return TaskSupport.mean(sum, n);
    }

    /**
     * The previous-token score of one head: the mean over queries {@code t >= 1} of
     * {@code pattern[offset + t*T + t-1]}; 1 for a perfect previous-token head (the layer-0
     * half of the induction circuit).
     */
    public static double previousTokenScore(double[] pattern, int offset, int seqLen) {
        checkPattern(pattern, offset, seqLen);
        double sum = 0;
        for (int t = 1; t < seqLen; t++) {
            sum += pattern[offset + t * seqLen + t - 1];
        }
        return TaskSupport.mean(sum, seqLen - 1);
    }

    /**
     * The induction and previous-token scores of every head, each the mean over the batch's rows
     * of the row's score: for each layer l, {@code induction_score.L<l>} {@code [H]},
     * {@code prev_token_score.L<l>} {@code [H]}, {@code induction_score_max.L<l>} (the largest
     * of the layer's induction scores).
     *
     * @param model the model (for L and H)
     * @param batch a batch of this task, {@code [B, T]}
     * @param cache the model's activations on {@code batch}; reads {@code blocks.<l>.attn.hook_pattern}
     *              {@code [B, H, T, T]} (nothing when the attention type has no real pattern)
     */
    static Map<String, double[]> headScores(Transformer model, Batch batch, ActivationCache cache) {
        Map<String, double[]> values = new LinkedHashMap<>();
        if (!model.config().attentionType().hasPattern()) {
            return values;                  // an implicit pattern (no z = pattern v) has no induction score
        }
        int h = model.config().nHeads(), t = batch.seqLen();
        for (int l = 0; l < model.config().nLayers(); l++) {
            double[] pattern = cache.get(HookPoint.of(l, HookPoint.Site.ATTN_PATTERN)).data(); // (B, H, T, T)
            double[] ind = new double[h], prev = new double[h];                         // (H)
            for (int b = 0; b < batch.batchSize(); b++) {
                int[] targets = inductionTargets(batch, b);
                for (int hi = 0; hi < h; hi++) {
                    int off = (b * h + hi) * t * t;
                    ind[hi] += inductionScore(pattern, off, t, targets) / batch.batchSize();
                    prev[hi] += previousTokenScore(pattern, off, t) / batch.batchSize();
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
        return values;
    }

    private static void checkPattern(double[] pattern, int offset, int seqLen) {
        if (seqLen < 1 || offset < 0 || (long) offset + (long) seqLen * seqLen > pattern.length) {
            throw new IllegalArgumentException("pattern of " + pattern.length + " values does not hold a [T, T] = ["
                    + seqLen + ", " + seqLen + "] pattern at offset " + offset);
        }
    }

    /**
     * Metrics: {@code repeat_accuracy} (headline: argmax accuracy on scored positions
     * {@code t >= P}), {@code loss_first_half} (mean next-token NLL, from log-softmax over
     * the V logits, on scored positions {@code t < P}), {@code loss_repeat} (the same on
     * {@code t >= P}; a working induction head drives it far below {@code ln V}).
     */
    @Override
    public Metrics evaluate(Batch batch, double[] logits, int dVocab) {
        TaskSupport.checkLogits(this, batch, logits, dVocab);
        double lossFirst = 0;
        double lossRepeat = 0;
        double rightRepeat = 0;
        long nFirst = 0;
        long nRepeat = 0;
        for (int b = 0; b < batch.batchSize(); b++) {
            int p = period(batch, b);
            for (int t = 0; t < length; t++) {
                if (!batch.scored(b, t)) {
                    continue;
                }
                int i = b * length + t;
                int target = batch.targets()[i];
                double nll = TaskSupport.nll(logits, i, dVocab, target);
                if (t < p) {
                    lossFirst += nll;
                    nFirst++;
                } else {
                    lossRepeat += nll;
                    rightRepeat += TaskSupport.argmax(logits, i, dVocab) == target ? 1 : 0;
                    nRepeat++;
                }
            }
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("repeat_accuracy", new double[] {TaskSupport.mean(rightRepeat, nRepeat)});
        m.put("loss_first_half", new double[] {TaskSupport.mean(lossFirst, nFirst)});
        m.put("loss_repeat", new double[] {TaskSupport.mean(lossRepeat, nRepeat)});
        return Metrics.of(m, "repeat_accuracy");
    }

    @Override
    public String toString() {
        return "InductionTask" + options();
    }
}
