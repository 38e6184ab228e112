package org.attnlab.engine.tasks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.TransformerConfig.AttentionDir;

/**
 * LEGO: resolve a shuffled chain of sign assignments. Zhang, Backurs, Bubeck, Eldan,
 * Gunasekar, Wagner 2022, "Unveiling Transformers with LEGO: a synthetic reasoning task"
 * (arXiv:2206.04301). The group is Z2 acting on {+1, -1}.
 *
 * <p>A sentence is {@code nVar} clauses of 5 tokens, one token per symbol:
 * the root {@code v = + 1 ;} or {@code v = - 1 ;} (value +1 or -1, uniform, as the paper's
 * generator {@code lego_data.py} draws it; {@code fixed_root=true}: always +1) and, for chain
 * depth i = 1..nVar-1,
 * {@code x_i = + x_{i-1} ;} or {@code x_i = - x_{i-1} ;} (sign uniform). The nVar variables
 * are distinct letters a..z drawn at random per sentence; the clauses are shuffled uniformly
 * ({@code shuffle}) or written in chain order. Example, nVar = 3:
 * {@code b = - a ; a = + 1 ; c = + b ;}.
 *
 * <p>Target: at the token of each clause's left-hand variable, the sign token of that
 * variable's value ({@code +} or {@code -}). {@link #sample} scores only chain depths
 * {@code < nTrain}; {@link #evalBatch} scores all depths, so depths {@code >= nTrain} measure
 * length generalization. T = 5 nVar. Attention is meant to be bidirectional (BERT in the
 * paper): under causal attention a variable's token cannot see the clause it heads.
 *
 * <p>With a fixed root (the variant this program trained before it drew the root at random, kept
 * for files and lessons made then) "predict your own sign" solves depths 0 and 1 without
 * reading the chain. Corruptions for activation patching: flip one clause's sign
 * ({@link #signFlip}), then replace one token.
 */
public final class LegoTask implements Task {

    /** Tokens a..z (variables, ids 0..25), then {@code = + - ; 1}. */
    public static final Vocabulary VOCABULARY;
    /** Number of tokens per clause. */
    public static final int CLAUSE_LENGTH = 5;

    private static final int LETTERS = 26;
    private static final int EQ;
    private static final int PLUS;
    private static final int MINUS;
    private static final int SEMI;
    private static final int ONE;

    static {
        List<String> t = new ArrayList<>();
        for (char c = 'a'; c <= 'z'; c++) {
            t.add(String.valueOf(c));
        }
        t.addAll(List.of("=", "+", "-", ";", "1"));
        VOCABULARY = new Vocabulary(t);
        EQ = VOCABULARY.id("=");
        PLUS = VOCABULARY.id("+");
        MINUS = VOCABULARY.id("-");
        SEMI = VOCABULARY.id(";");
        ONE = VOCABULARY.id("1");
    }

    /** Option key: whether the root is always {@code + 1} (the variant before issue 14). */
    public static final String FIXED_ROOT = "fixed_root";

    /** Registry entry: {@code lego} with {@code n_var}, {@code n_train}, {@code shuffle}, {@code fixed_root}. */
    public static final TaskType TYPE = TaskType.of("lego", List.of(
            TaskOption.of("n_var", "6", "number of variables (chain length), 1..26"),
            TaskOption.derived("n_train", "n_var", "chain depths 0..n_train-1 are scored in training; "
                    + "deeper ones measure length generalization"),
            TaskOption.of("shuffle", "true", "shuffle the clauses (false: chain order, root first)"),
            TaskOption.of(FIXED_ROOT, "false", "true: the root is always '+ 1' (else + 1 or - 1 at random, "
                    + "as in the paper)")),
            o -> {
                int nVar = o.integer("n_var");
                return of(nVar, o.integer("n_train", nVar), o.bool("shuffle"), o.bool(FIXED_ROOT));
            });

    private final int nVar;
    private final int nTrain;
    private final boolean shuffle;
    private final boolean fixedRoot;
    private final List<Corruption> corruptions;

    private LegoTask(int nVar, int nTrain, boolean shuffle, boolean fixedRoot) {
        this.nVar = TaskSupport.checkRange("n_var", nVar, 1, LETTERS);
        this.nTrain = TaskSupport.checkRange("n_train", nTrain, 1, nVar);
        this.shuffle = shuffle;
        this.fixedRoot = fixedRoot;
        this.corruptions = List.of(new SignFlip(), Corruption.replaceToken(this));
    }

    /** @return LEGO with 6 variables, all trained, shuffled clauses, a random root */
    public static LegoTask of() {
        return of(6);
    }

    /** @return LEGO with {@code nVar} variables, all trained, shuffled clauses, a random root */
    public static LegoTask of(int nVar) {
        return of(nVar, nVar, true, false);
    }

    /**
     * @param nVar      number of variables (chain length), in [1, 26]
     * @param nTrain    chain depths {@code 0..nTrain-1} are scored in training, in [1, nVar]
     * @param shuffle   whether clause order is shuffled (else chain order, root first)
     * @param fixedRoot whether the root is always {@code + 1} (else {@code + 1} or {@code - 1},
     *                  uniform)
     * @throws IllegalArgumentException naming the parameter out of range
     */
    public static LegoTask of(int nVar, int nTrain, boolean shuffle, boolean fixedRoot) {
        return new LegoTask(nVar, nTrain, shuffle, fixedRoot);
    }

    public int nVar() {
        return nVar;
    }

    public int nTrain() {
        return nTrain;
    }

    public boolean shuffle() {
        return shuffle;
    }

    /** @return whether the root is always {@code + 1} */
    public boolean fixedRoot() {
        return fixedRoot;
    }

    @Override
    public String name() {
        return "lego";
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("n_var", Integer.toString(nVar));
        o.put("n_train", Integer.toString(nTrain));
        o.put("shuffle", Boolean.toString(shuffle));
        o.put(FIXED_ROOT, Boolean.toString(fixedRoot));
        return o;
    }

    @Override
    public Vocabulary vocabulary() {
        return VOCABULARY;
    }

    @Override
    public int seqLen() {
        return CLAUSE_LENGTH * nVar;
    }

    @Override
    public String displayName() {
        return "LEGO (chain reasoning)";
    }

    /** @return {@link AttentionDir#BIDIRECTIONAL}, as BERT in the paper */
    @Override
    public AttentionDir attentionDir() {
        return AttentionDir.BIDIRECTIONAL;
    }

    /** @return flip one clause's sign ({@code sign_flip}, offered first), then replace one token */
    @Override
    public List<Corruption> corruptions() {
        return corruptions;
    }

    @Override
    public Batch sample(int batchSize, RandomGenerator rng) {
        return generate(batchSize, rng, nTrain);
    }

    /** Drawn from {@code new SplittableRandom(seed)} like {@link #sample}, but every chain depth is scored. */
    @Override
    public Batch evalBatch(int batchSize, long seed) {
        return generate(batchSize, new SplittableRandom(seed), nVar);
    }

    private Batch generate(int batchSize, RandomGenerator rng, int scoredDepths) {
        TaskSupport.checkBatchSize(batchSize);
        int t = seqLen();
        int[] tokens = new int[batchSize * t];   // (B*T)
        int[] targets = new int[batchSize * t];  // (B*T)
        byte[] mask = new byte[batchSize * t];   // (B*T)
        Arrays.fill(targets, -1);
        for (int b = 0; b < batchSize; b++) {
            int[] vars = TaskSupport.distinct(nVar, LETTERS, rng); // vars[i] = letter at chain depth i
            int[] signs = new int[nVar];                           // signs[i] = PLUS or MINUS
            boolean[] positive = new boolean[nVar];                // value of depth i is +1
            // the root's value: one more draw only when it is random, so that fixed_root=true
            // gives the sequences of the fixed-root generator, draw for draw
            positive[0] = fixedRoot || rng.nextInt(2) == 0;
            signs[0] = positive[0] ? PLUS : MINUS;
            for (int i = 1; i < nVar; i++) {
                boolean plus = rng.nextInt(2) == 0;
                signs[i] = plus ? PLUS : MINUS;
                positive[i] = plus == positive[i - 1];
            }
            int[] order = new int[nVar]; // order[k] = chain depth of the k-th clause written
            for (int i = 0; i < nVar; i++) {
                order[i] = i;
            }
            if (shuffle) {
                TaskSupport.shuffle(order, rng);
            }
            for (int k = 0; k < nVar; k++) {
                int depth = order[k];
                int p = b * t + CLAUSE_LENGTH * k;
                tokens[p] = vars[depth];
                tokens[p + 1] = EQ;
                tokens[p + 2] = signs[depth];
                tokens[p + 3] = depth == 0 ? ONE : vars[depth - 1];
                tokens[p + 4] = SEMI;
                if (depth < scoredDepths) {
                    targets[p] = positive[depth] ? PLUS : MINUS;
                    mask[p] = 1;
                }
            }
        }
        return new Batch(batchSize, t, tokens, targets, mask);
    }

    /**
     * The chain depth of each clause's left-hand variable in row {@code b}, found by parsing
     * the tokens: {@code out[t]} = depth (0 for the root) if position t holds a left-hand
     * variable, else -1.
     *
     * @throws IllegalArgumentException if the row is not a well-formed LEGO chain
     */
    public int[] chainDepths(Batch batch, int b) {
        int t = seqLen();
        if (batch.seqLen() != t) {
            throw new IllegalArgumentException("batch has T = " + batch.seqLen() + ", LEGO(n_var=" + nVar
                    + ") has T = " + t);
        }
        int[] clauseOfRhs = new int[LETTERS]; // letter -> the clause whose right-hand side it is, or -1
        Arrays.fill(clauseOfRhs, -1);
        int root = -1;
        for (int k = 0; k < nVar; k++) {
            int rhs = batch.token(b, CLAUSE_LENGTH * k + 3);
            if (rhs == ONE) {
                root = k;
            } else if (rhs < LETTERS) {
                clauseOfRhs[rhs] = k;
            }
        }
        if (root < 0) {
            throw new IllegalArgumentException("row " + b + " has no root clause 'v = + 1 ;' or 'v = - 1 ;'");
        }
        int[] out = new int[t];
        Arrays.fill(out, -1);
        int k = root; // walk the chain: the clause at depth d + 1 uses the left-hand variable of depth d
        for (int d = 0; d < nVar; d++) {
            if (k < 0 || out[CLAUSE_LENGTH * k] >= 0) {
                throw new IllegalArgumentException("row " + b + " is not a single chain of " + nVar + " variables");
            }
            out[CLAUSE_LENGTH * k] = d;
            int lhs = batch.token(b, CLAUSE_LENGTH * k);
            k = d + 1 < nVar && lhs < LETTERS ? clauseOfRhs[lhs] : -1;
        }
        return out;
    }

    /**
     * @return the metrics with {@code accuracy_per_chain_position} cut to the trained depths
     *     {@code < nTrain} (a stage of {@code n_var=6, n_train=3} is mastered when depths 0 to 2
     *     are right, whatever the deeper ones do)
     */
    @Override
    public Metrics trainedPart(Metrics evaluated) {
        if (nTrain == nVar || !evaluated.names().contains("accuracy_per_chain_position")) {
            return evaluated;
        }
        Map<String, double[]> m = new LinkedHashMap<>(evaluated.values());
        m.put("accuracy_per_chain_position", java.util.Arrays.copyOf(evaluated.get("accuracy_per_chain_position"),
                nTrain));
        m.remove("accuracy_extrapolation");
        return Metrics.of(m, evaluated.headlineName());
    }

    /**
     * Metrics: {@code accuracy} (headline: mean over trained depths {@code < nTrain} of the
     * per-depth accuracy), {@code accuracy_per_chain_position} ({@code [nVar]}: accuracy of
     * the scored predictions at chain depth i, NaN where none is scored),
     * {@code accuracy_extrapolation} (mean over depths {@code >= nTrain}; only if
     * {@code nTrain < nVar}), {@code sentence_accuracy} (fraction of rows whose scored
     * predictions are all right); with a random root also {@code accuracy_root_plus} and
     * {@code accuracy_root_minus} (the fraction of scored predictions that are right in sentences
     * rooted at {@code + 1}, at {@code - 1}; NaN where the batch has none).
     */
    @Override
    public Metrics evaluate(Batch batch, double[] logits, int dVocab) {
        TaskSupport.checkLogits(this, batch, logits, dVocab);
        int t = seqLen();
        double[] right = new double[nVar];
        long[] count = new long[nVar];
        int rowsRight = 0;
        double[] rightByRoot = new double[2];     // [root + 1, root - 1]
        long[] countByRoot = new long[2];
        for (int b = 0; b < batch.batchSize(); b++) {
            int[] depth = chainDepths(batch, b);
            int rootSign = MINUS;
            for (int p = 0; p < t; p++) {
                if (depth[p] == 0) {
                    rootSign = batch.token(b, p + 2);
                }
            }
            int root = rootSign == PLUS ? 0 : 1;
            boolean allRight = true;
            for (int p = 0; p < t; p++) {
                int i = b * t + p;
                if (!batch.scored(b, p)) {
                    continue;
                }
                boolean ok = TaskSupport.argmax(logits, i, dVocab) == batch.targets()[i];
                allRight &= ok;
                rightByRoot[root] += ok ? 1 : 0;
                countByRoot[root]++;
                if (depth[p] >= 0) {
                    right[depth[p]] += ok ? 1 : 0;
                    count[depth[p]]++;
                }
            }
            rowsRight += allRight ? 1 : 0;
        }
        double[] perDepth = new double[nVar];
        for (int d = 0; d < nVar; d++) {
            perDepth[d] = TaskSupport.mean(right[d], count[d]);
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("accuracy", new double[] {meanIgnoringNaN(perDepth, 0, nTrain)});
        m.put("accuracy_per_chain_position", perDepth);
        if (nTrain < nVar) {
            m.put("accuracy_extrapolation", new double[] {meanIgnoringNaN(perDepth, nTrain, nVar)});
        }
        m.put("sentence_accuracy", new double[] {(double) rowsRight / batch.batchSize()});
        if (!fixedRoot) {
            m.put("accuracy_root_plus", new double[] {TaskSupport.mean(rightByRoot[0], countByRoot[0])});
            m.put("accuracy_root_minus", new double[] {TaskSupport.mean(rightByRoot[1], countByRoot[1])});
        }
        return Metrics.of(m, "accuracy");
    }

    /**
     * The sentence with the sign of the clause at chain depth {@code depth} flipped ({@code +} and
     * {@code -} swapped): every variable from that depth on changes value, the surface form
     * barely changes. The answer position is the left-hand variable of the deepest clause (its
     * value flips), with the clean and corrupted signs as correct and wrong answers.
     *
     * @param clean a sentence of this task, {@code [T]}; not modified
     * @param depth chain depth in [1, n_var), or 0 (the root's sign) when the root is random
     * @throws IllegalArgumentException if the input is not a LEGO chain or the depth is out of range
     */
    public Corruption.Corrupted signFlip(int[] clean, int depth) {
        int n = nVar;
        int first = fixedRoot ? 1 : 0;
        if (depth < first || depth >= n) {
            throw new IllegalArgumentException("depth " + depth + " outside [" + first + ", " + n + ")");
        }
        int[] none = new int[clean.length];
        Arrays.fill(none, -1);
        int[] depths = chainDepths(new Batch(1, clean.length, clean, none, new byte[clean.length]), 0);
        int[] at = new int[n];                     // at[d] = position of the variable of depth d
        for (int p = 0; p < clean.length; p++) {
            if (depths[p] >= 0) {
                at[depths[p]] = p;
            }
        }
        boolean positive = clean[at[0] + 2] == PLUS; // value of the deepest variable, clean
        for (int d = 1; d < n; d++) {
            positive ^= clean[at[d] + 2] == MINUS;
        }
        int[] out = clean.clone();
        int sign = at[depth] + 2;
        out[sign] = clean[sign] == PLUS ? MINUS : PLUS;
        int answer = at[n - 1];
        String var = VOCABULARY.token(clean[at[depth]]);
        return new Corruption.Corrupted(out, answer, positive ? PLUS : MINUS, positive ? MINUS : PLUS,
                "sign of " + var + " (depth " + depth + "): '" + VOCABULARY.token(clean[sign]) + "' \u2192 '"
                        + VOCABULARY.token(out[sign]) + "'");
    }

    /** {@link #signFlip} as a corruption: one argument, {@code depth} in [1, n_var), default 1. */
    private final class SignFlip implements Corruption {
        @Override
        public String name() {
            return "sign_flip";
        }

        @Override
        public String label() {
            return "Flip one sign (LEGO)";
        }

        @Override
        public boolean appliesTo(int[] clean) {
            return clean.length == seqLen() && (nVar > 1 || !fixedRoot);
        }

        @Override
        public List<Argument> arguments(int[] clean) {
            return List.of(Argument.range("depth", "flip the sign at chain depth", fixedRoot ? 1 : 0, nVar,
                    nVar > 1 ? 1 : 0));
        }

        @Override
        public Corrupted apply(int[] clean, int... args) {
            if (args.length != 1) {
                throw new IllegalArgumentException("sign_flip takes 1 argument (the depth), got " + Arrays.toString(args));
            }
            return signFlip(clean, args[0]);
        }
    }

    private static double meanIgnoringNaN(double[] a, int from, int to) {
        double sum = 0;
        int n = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(a[i])) {
                sum += a[i];
                n++;
            }
        }
        return TaskSupport.mean(sum, n);
    }

    @Override
    public String toString() {
        return "LegoTask" + options();
    }
}
