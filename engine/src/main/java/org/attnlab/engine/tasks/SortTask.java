package org.attnlab.engine.tasks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.transformer.Transformer;
import org.ejml.data.DMatrixRMaj;

/**
 * Sorting digits, the demo of minGPT (Karpathy, {@code projects/demo.ipynb}, {@code SortDataset}).
 *
 * <p>An input of {@code length} digits in {@code 0..nDigits-1} followed by the same digits
 * sorted; no separator. As in minGPT the model sees the concatenation without its last token
 * and predicts the next token, scored only where the next token is an output digit:
 * {@code tokens = cat[0 .. 2L-2]}, {@code targets[t] = cat[t+1]}, scored for
 * {@code t >= L-1} (= {@link #outputStart()}), so T = 2L - 1. Example, L = 6:
 * tokens {@code 2 0 1 2 0 1 0 0 1 1 2}, scored targets from position 5: {@code 0 0 1 1 2 2}.
 *
 * <p>Also as in minGPT: half the time an input with more than L/2 distinct digits is redrawn
 * (more inputs with repeated digits), and inputs are split by a fixed hash into a training
 * set (3/4, {@link #sample}) and a held-out set (1/4, {@link #evalBatch}); the split is off if
 * there are fewer than 64 possible inputs.
 *
 * <p>Exact match under greedy decoding needs the model run autoregressively, so it is a model
 * metric ({@link #modelMetrics()}, {@code exact_match}, the evaluation's headline):
 * {@link #greedyDecode} feeds the first {@code L} tokens of a row and appends its argmax
 * {@code L} times; {@link #exactMatchFromPredictions} compares the generated digits with the
 * sorted input. {@link #evaluate} reports the teacher-forced numbers.
 */
public final class SortTask implements Task {

    /** Registry entry: {@code sort} with {@code n_digits} and {@code length}. */
    public static final TaskType TYPE = TaskType.of("sort", List.of(
            TaskOption.of("n_digits", "3", "digits 0..n_digits-1, 2..10"),
            TaskOption.of("length", "6", "input length L (T = 2L - 1), 2..4096")),
            o -> of(o.integer("n_digits"), o.integer("length")));

    private static final int MIN_SPLIT_SPACE = 64;

    private final int nDigits;
    private final int length;
    private final boolean split;
    private final Vocabulary vocabulary;
    private final List<ModelMetric> modelMetrics = List.of(
            ModelMetric.of("exact_match", false, true, this::greedyExactMatch));

    private SortTask(int nDigits, int length) {
        this.nDigits = TaskSupport.checkRange("n_digits", nDigits, 2, 10);
        this.length = TaskSupport.checkRange("length", length, 2, 1 << 12);
        this.split = hasBothSplits(nDigits, length);
        List<String> tokens = new ArrayList<>();
        for (int d = 0; d < nDigits; d++) {
            tokens.add(Integer.toString(d));
        }
        this.vocabulary = new Vocabulary(tokens);
    }

    /** @return minGPT's demo: digits 0..2, length 6 */
    public static SortTask of() {
        return of(3, 6);
    }

    /**
     * @param nDigits digits {@code 0..nDigits-1}, in [2, 10]
     * @param length  L, the input length, in [2, 4096]
     * @throws IllegalArgumentException naming the parameter out of range
     */
    public static SortTask of(int nDigits, int length) {
        return new SortTask(nDigits, length);
    }

    public int nDigits() {
        return nDigits;
    }

    /** @return L, the number of input (and output) digits */
    public int length() {
        return length;
    }

    /**
     * @return {@code L - 1}: the first position whose prediction is scored; the prediction at
     *     {@code outputStart() + j} is output digit j
     */
    public int outputStart() {
        return length - 1;
    }

    @Override
    public String name() {
        return "sort";
    }

    @Override
    public String displayName() {
        return "Sort";
    }

    /** @return exact match under greedy decoding, {@code exact_match}, which becomes the headline */
    @Override
    public List<ModelMetric> modelMetrics() {
        return modelMetrics;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("n_digits", Integer.toString(nDigits));
        o.put("length", Integer.toString(length));
        return o;
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public int seqLen() {
        return 2 * length - 1;
    }

    /** Inputs from the training split. */
    @Override
    public Batch sample(int batchSize, RandomGenerator rng) {
        return generate(batchSize, rng, false);
    }

    /** Inputs from the held-out split, drawn from {@code new SplittableRandom(seed)}. */
    @Override
    public Batch evalBatch(int batchSize, long seed) {
        return generate(batchSize, new SplittableRandom(seed), true);
    }

    private Batch generate(int batchSize, RandomGenerator rng, boolean heldOut) {
        TaskSupport.checkBatchSize(batchSize);
        int t = seqLen();
        int[] tokens = new int[batchSize * t];  // (B*T)
        int[] targets = new int[batchSize * t]; // (B*T)
        byte[] mask = new byte[batchSize * t];  // (B*T)
        int[] input = new int[length];
        for (int b = 0; b < batchSize; b++) {
            while (true) {
                for (int j = 0; j < length; j++) {
                    input[j] = rng.nextInt(nDigits);
                }
                boolean rebalance = rng.nextDouble() < 0.5;
                if (rebalance && distinctCount(input) > length / 2) {
                    continue;
                }
                if (!split || isHeldOut(input) == heldOut) {
                    break;
                }
            }
            int[] sorted = input.clone();
            Arrays.sort(sorted);
            int[] cat = new int[2 * length]; // (2L)
            System.arraycopy(input, 0, cat, 0, length);
            System.arraycopy(sorted, 0, cat, length, length);
            for (int p = 0; p < t; p++) {
                tokens[b * t + p] = cat[p];
                boolean scored = p >= outputStart();
                targets[b * t + p] = scored ? cat[p + 1] : -1;
                mask[b * t + p] = (byte) (scored ? 1 : 0);
            }
        }
        return new Batch(batchSize, t, tokens, targets, mask);
    }

    private int distinctCount(int[] input) {
        boolean[] seen = new boolean[nDigits];
        int c = 0;
        for (int d : input) {
            c += seen[d] ? 0 : 1;
            seen[d] = true;
        }
        return c;
    }

    /** @return whether {@code input} belongs to the held-out quarter (a fixed hash of the digits) */
    static boolean isHeldOut(int[] input) {
        long h = input.length;
        for (int d : input) {
            h = h * 31 + d;
        }
        // SplitMix64 finalizer: spreads similar inputs over both splits
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return (h & 3) == 0;
    }

    /** @return whether the split is on: at least 64 possible inputs, and both splits non-empty */
    private static boolean hasBothSplits(int nDigits, int length) {
        double space = Math.pow(nDigits, length);
        if (space < MIN_SPLIT_SPACE) {
            return false;
        }
        if (space > 1 << 16) {
            return true; // a quarter of 65,536+ hashed inputs: both splits are non-empty
        }
        int[] input = new int[length];
        boolean anyHeldOut = false;
        boolean anyTrain = false;
        for (int k = 0; k < (int) space; k++) {
            for (int j = 0, rest = k; j < length; j++, rest /= nDigits) {
                input[j] = rest % nDigits;
            }
            boolean h = isHeldOut(input);
            anyHeldOut |= h;
            anyTrain |= !h;
        }
        return anyHeldOut && anyTrain;
    }

    /** @return whether inputs are split into training and held-out sets */
    public boolean hasHeldOutSplit() {
        return split;
    }

    /**
     * Exact match of generated outputs.
     *
     * @param batch     a batch of this task, {@code [B, T]}
     * @param predicted {@code [B, L]} row-major: the L digits the model generated for each row
     * @return {@code [B]}: whether row b's generated digits equal its sorted input
     */
    public boolean[] exactMatchFromPredictions(Batch batch, int[] predicted) {
        if (batch.seqLen() != seqLen() || predicted.length != batch.batchSize() * length) {
            throw new IllegalArgumentException("predicted must be [B, L] = [" + batch.batchSize() + ", " + length
                    + "] for a batch of T = " + seqLen() + ", got " + predicted.length + " values for T = "
                    + batch.seqLen());
        }
        boolean[] out = new boolean[batch.batchSize()];
        for (int b = 0; b < out.length; b++) {
            int[] sorted = new int[length];
            for (int j = 0; j < length; j++) {
                sorted[j] = batch.token(b, j);
            }
            Arrays.sort(sorted);
            out[b] = Arrays.equals(sorted, 0, length, predicted, b * length, (b + 1) * length);
        }
        return out;
    }

    /**
     * Greedy decoding: feed each row's L input digits, append the argmax over the model's V
     * logits L times (the first index on ties), each time rerunning the model on the longer prefix.
     *
     * @param model a model with {@code n_ctx >= 2L - 1}; run, not modified
     * @param batch a batch of this task, {@code [B, T]}; only its input digits are read
     * @return {@code [B, L]} row-major: the generated digits
     */
    public int[] greedyDecode(Transformer model, Batch batch) {
        int b = batch.batchSize(), len = length, v = model.config().dVocab();
        int[] seq = new int[b * (2 * len)];                   // (B, 2L)
        int[] out = new int[b * len];                         // (B, L)
        for (int j = 0; j < len; j++) {
            int t = len + j;                                  // current prefix length
            int[] toks = new int[b * t];                      // (B, t)
            for (int r = 0; r < b; r++) {
                for (int i = 0; i < t; i++) {
                    toks[r * t + i] = i < len ? batch.token(r, i) : seq[r * 2 * len + i];
                }
            }
            DMatrixRMaj logits = model.forward(toks, b, t, null); // (B*t, V)
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

    /** {@code exact_match}: the fraction of rows whose greedy decode is their sorted input. */
    private Map<String, double[]> greedyExactMatch(Transformer model, Batch batch, ActivationCache cache) {
        boolean[] ok = exactMatchFromPredictions(batch, greedyDecode(model, batch));
        int good = 0;
        for (boolean b : ok) {
            good += b ? 1 : 0;
        }
        return Map.of("exact_match", new double[] {(double) good / ok.length});
    }

    /**
     * Metrics under teacher forcing: {@code exact_match_teacher_forced} (headline: fraction of
     * rows whose scored predictions are all right) and {@code token_accuracy} (over scored
     * output positions). Greedy exact match: {@link #modelMetrics()}.
     */
    @Override
    public Metrics evaluate(Batch batch, double[] logits, int dVocab) {
        TaskSupport.checkLogits(this, batch, logits, dVocab);
        int t = seqLen();
        long right = 0;
        long scored = 0;
        int rowsRight = 0;
        for (int b = 0; b < batch.batchSize(); b++) {
            boolean all = true;
            for (int p = 0; p < t; p++) {
                if (batch.scored(b, p)) {
                    int i = b * t + p;
                    boolean ok = TaskSupport.argmax(logits, i, dVocab) == batch.targets()[i];
                    right += ok ? 1 : 0;
                    scored++;
                    all &= ok;
                }
            }
            rowsRight += all ? 1 : 0;
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("exact_match_teacher_forced", new double[] {(double) rowsRight / batch.batchSize()});
        m.put("token_accuracy", new double[] {TaskSupport.mean(right, scored)});
        return Metrics.of(m, "exact_match_teacher_forced");
    }

    @Override
    public String toString() {
        return "SortTask" + options();
    }
}
