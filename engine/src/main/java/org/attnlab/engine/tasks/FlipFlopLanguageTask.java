package org.attnlab.engine.tasks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.attnlab.engine.model.Batch;

/**
 * Flip-flop language modeling FFL(p_i): Liu, Ash, Goel, Krishnamurthy, Zhang 2023, "Exposing
 * Attention Glitches with Flip-Flop Language Modeling" (NeurIPS 2023, arXiv:2306.00946).
 *
 * <p>Tokens {@code w r i 0 1}. A sequence is T/2 instruction-bit pairs; the first instruction
 * is always {@code w}, the last always {@code r}, the others are {@code i} (ignore) with
 * probability {@code pIgnore} and {@code w} or {@code r} with probability
 * {@code (1 - pIgnore)/2} each. The bit after {@code w} or {@code i} is uniform; the bit after
 * {@code r} equals the last written bit. Example: {@code w 1 i 0 r 1 w 0 i 1 r 0}.
 *
 * <p>Convention: next-token prediction, scored only where it is determined. At every
 * position t holding an {@code r}, {@code targets[t] = tokens[t+1]} (the bit to be read) with
 * loss mask 1; every other position is unscored. The glitch rate is the fraction of scored
 * positions whose argmax is wrong. The paper reports it on FFL(0.8), sparse FFL(0.98) and
 * dense FFL(0.1): {@link #evalBatch(int, long)} is FFL(0.8) whatever {@code pIgnore} the task
 * trains on, and {@link #evalBatch(int, long, double)} makes any other.
 */
public final class FlipFlopLanguageTask implements Task {

    /** Tokens {@code w r i 0 1}, in this id order. */
    public static final Vocabulary VOCABULARY = Vocabulary.of("w", "r", "i", "0", "1");
    /** Token ids. */
    public static final int W = 0, R = 1, I = 2, ZERO = 3, ONE = 4;
    /** The paper's standard test distribution, FFL(0.8). */
    public static final double P_IGNORE_STANDARD = 0.8;
    /** The paper's sparse test distribution, FFL(0.98). */
    public static final double P_IGNORE_SPARSE = 0.98;
    /** The paper's dense test distribution, FFL(0.1). */
    public static final double P_IGNORE_DENSE = 0.1;

    /** Registry entry: {@code ffl} with {@code T} and {@code p}. */
    public static final TaskType TYPE = TaskType.of("ffl", List.of(
            TaskOption.of("T", "64", "sequence length, even (instruction-bit pairs), 4..65536"),
            TaskOption.of("p", Double.toString(P_IGNORE_STANDARD), "probability of an ignore instruction i, "
                    + "the p of FFL(p), 0..1 (evaluation is always FFL(0.8))")),
            o -> of(o.integer("T"), o.real("p")));

    private final int length;
    private final double pIgnore;

    private FlipFlopLanguageTask(int length, double pIgnore) {
        this.length = TaskSupport.checkRange("length", length, 4, 1 << 16);
        if (length % 2 != 0) {
            throw new IllegalArgumentException("length must be even (instruction-bit pairs), got " + length);
        }
        this.pIgnore = TaskSupport.checkRange("p_ignore", pIgnore, 0.0, 1.0);
    }

    /** @return FFL(0.8) with T = 64 */
    public static FlipFlopLanguageTask of() {
        return of(64, P_IGNORE_STANDARD);
    }

    /**
     * @param length  T, even, in [4, 65536]
     * @param pIgnore probability of {@code i} among the middle instructions, in [0, 1]
     * @throws IllegalArgumentException naming the parameter out of range
     */
    public static FlipFlopLanguageTask of(int length, double pIgnore) {
        return new FlipFlopLanguageTask(length, pIgnore);
    }

    public double pIgnore() {
        return pIgnore;
    }

    @Override
    public String name() {
        return "ffl";
    }

    @Override
    public String displayName() {
        return "Flip-flop language";
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("T", Integer.toString(length));
        o.put("p", String.format(Locale.ROOT, "%s", pIgnore));
        return o;
    }

    @Override
    public Vocabulary vocabulary() {
        return VOCABULARY;
    }

    @Override
    public int seqLen() {
        return length;
    }

    @Override
    public Batch sample(int batchSize, RandomGenerator rng) {
        return generate(batchSize, rng, pIgnore);
    }

    /** FFL(0.8), the paper's standard test set, from {@code new SplittableRandom(seed)}. */
    @Override
    public Batch evalBatch(int batchSize, long seed) {
        return evalBatch(batchSize, seed, P_IGNORE_STANDARD);
    }

    /**
     * A held-out batch of FFL({@code pIgnore}), e.g. {@link #P_IGNORE_SPARSE} or
     * {@link #P_IGNORE_DENSE}, from {@code new SplittableRandom(seed)}.
     */
    public Batch evalBatch(int batchSize, long seed, double pIgnore) {
        return generate(batchSize, new SplittableRandom(seed), TaskSupport.checkRange("p_ignore", pIgnore, 0.0, 1.0));
    }

    private Batch generate(int batchSize, RandomGenerator rng, double p) {
        TaskSupport.checkBatchSize(batchSize);
        int[] tokens = new int[batchSize * length];  // (B*T)
        int[] targets = new int[batchSize * length]; // (B*T)
        byte[] mask = new byte[batchSize * length];  // (B*T)
        Arrays.fill(targets, -1);
        int pairs = length / 2;
        for (int b = 0; b < batchSize; b++) {
            int memory = -1; // last written bit token; pair 0 is always a write
            for (int k = 0; k < pairs; k++) {
                int instruction;
                if (k == 0) {
                    instruction = W;
                } else if (k == pairs - 1) {
                    instruction = R;
                } else {
                    double u = rng.nextDouble();
                    instruction = u < p ? I : u < p + (1 - p) / 2 ? W : R;
                }
                int bit = instruction == R ? memory : (rng.nextInt(2) == 0 ? ZERO : ONE);
                if (instruction == W) {
                    memory = bit;
                }
                int t = b * length + 2 * k;
                tokens[t] = instruction;
                tokens[t + 1] = bit;
                if (instruction == R) {
                    targets[t] = bit;
                    mask[t] = 1;
                }
            }
        }
        return new Batch(batchSize, length, tokens, targets, mask);
    }

    /**
     * Metrics: {@code accuracy} (headline, {@code 1 - glitch_rate}), {@code glitch_rate}
     * (fraction of scored read positions whose argmax is not the bit to be read) and
     * {@code reads} (how many were scored).
     */
    @Override
    public Metrics evaluate(Batch batch, double[] logits, int dVocab) {
        TaskSupport.checkLogits(this, batch, logits, dVocab);
        long wrong = 0;
        long reads = 0;
        for (int i = 0; i < batch.tokens().length; i++) {
            if (batch.lossMask()[i] != 0) {
                reads++;
                wrong += TaskSupport.argmax(logits, i, dVocab) == batch.targets()[i] ? 0 : 1;
            }
        }
        double glitch = TaskSupport.mean(wrong, reads);
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("accuracy", new double[] {1 - glitch});
        m.put("glitch_rate", new double[] {glitch});
        m.put("reads", new double[] {reads});
        return Metrics.of(m, "accuracy");
    }

    @Override
    public String toString() {
        return "FlipFlopLanguageTask" + options();
    }
}
