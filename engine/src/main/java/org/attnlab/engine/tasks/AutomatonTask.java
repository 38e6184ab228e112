package org.attnlab.engine.tasks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.attnlab.engine.model.Batch;

/**
 * Simulating a finite automaton: read {@code x_1..x_T}, predict at every position t the
 * state {@code q_t} after reading {@code x_t}. Liu, Ash, Goel, Krishnamurthy, Zhang, ICLR
 * 2023, "Transformers Learn Shortcuts to Automata" (arXiv:2210.10749).
 *
 * <p>Kinds (n is the kind's size parameter; every automaton starts in state 0):
 * <ul>
 * <li>{@link Kind#PARITY}: x in {0,1}, q = cumsum(x) mod 2.</li>
 * <li>{@link Kind#CYCLIC} C_n: x in {0..n-1}, q = cumsum(x) mod n.</li>
 * <li>{@link Kind#DIHEDRAL} D_n: 0 = toggle direction, 1 = drive one step (+1 if direction 0,
 *     -1 if direction 1, mod n); label = n * direction + position.</li>
 * <li>{@link Kind#FLIPFLOP} with n bits: 0 = read (keep), k in 1..n = write k; q = last write,
 *     0 at start. Reads have probability 0.5, writes share the rest.</li>
 * <li>{@link Kind#GRIDWORLD} with n cells: 0 = left, 1 = right, start at 0, clip to [0, n-1].</li>
 * <li>{@link Kind#SYMMETRIC} S_n (n = 5 by default, cli name "s5"): the state is an arrangement
 *     of the items 0..n-1 in n slots, starting at 01234. The inputs are a fixed generating set,
 *     kept small so the vocabulary is: {@code e} (identity), {@code (01)} (swap the items in
 *     slots 0 and 1) and {@code (01234)} (rotate: the item in slot i moves to slot i+1 mod n).
 *     The label is the rank of the arrangement among the n! arrangements in lexicographic
 *     order (q0 = 01234, q119 = 43210).</li>
 * </ul>
 *
 * <p>Vocabulary: the input symbols (ids {@code 0..nInputs-1}, strings "0", "1", ... or the S_n
 * generators) then the states (ids {@code nInputs..nInputs+nStates-1}, strings "q0", "q1", ...).
 * Tokens are inputs, targets are states, every position is scored.
 *
 * <p>Input distribution: {@code p0} is the probability of input 0 (read for flip-flop, the
 * identity for S_n); the other inputs share {@code 1 - p0} uniformly. The default is uniform
 * ({@code 1/nInputs}), 0.5 for flip-flop. Another {@code p0} or T at evaluation probes the
 * distribution shift under which the paper's shortcuts break.
 */
public final class AutomatonTask implements Task {

    /** The automata of the paper that this task offers. */
    public enum Kind {
        PARITY("parity", 2), CYCLIC("cyclic", 5), DIHEDRAL("dihedral", 4), FLIPFLOP("flipflop", 2),
        GRIDWORLD("gridworld", 5), SYMMETRIC("s", 5);

        private final String cliName;
        private final int defaultN;

        Kind(String cliName, int defaultN) {
            this.cliName = cliName;
            this.defaultN = defaultN;
        }

        /** @return the default size parameter n */
        public int defaultN() {
            return defaultN;
        }

        /** @return the cli id of this kind at size n ("parity", "cyclic", ..., "s5") */
        public String cliName(int n) {
            return this == SYMMETRIC ? cliName + n : cliName;
        }
    }

    /** Default sequence length T. */
    public static final int DEFAULT_LENGTH = 16;

    /**
     * Registry entry: one name per automaton ({@code parity cyclic dihedral flipflop gridworld
     * s5}, and the unlisted {@code s3 s4 s6}); each takes {@code T} and {@code p0}, and the
     * sized ones {@code n}.
     */
    public static final TaskType TYPE = new TaskType() {
        @Override
        public List<String> names() {
            return List.of("parity", "cyclic", "dihedral", "flipflop", "gridworld", "s5");
        }

        @Override
        public List<String> aliases() {
            return List.of("s3", "s4", "s6");
        }

        @Override
        public List<TaskOption> options(String name) {
            Kind kind = kindOf(name);
            TaskOption t = TaskOption.of("T", Integer.toString(DEFAULT_LENGTH), "sequence length, 1..65536");
            return switch (kind) {
                case PARITY -> List.of(t, TaskOption.of("p0", "0.5", "probability of input 0 (the other gets the rest)"));
                case SYMMETRIC -> List.of(t, TaskOption.derived("p0", "1/3",
                        "probability of the identity e (the generators share the rest)"));
                case CYCLIC -> List.of(TaskOption.of("n", Integer.toString(kind.defaultN()),
                                "the n of C_n: inputs and states 0..n-1, 2..64"), t,
                        TaskOption.derived("p0", "1/n", "probability of input 0 (the others share the rest)"));
                case DIHEDRAL -> List.of(TaskOption.of("n", Integer.toString(kind.defaultN()),
                                "the n of D_n: 2n states, 2..64"), t,
                        TaskOption.of("p0", "0.5", "probability of input 0, toggle direction (1: drive)"));
                case FLIPFLOP -> List.of(TaskOption.of("n", Integer.toString(kind.defaultN()),
                                "number of values to write, 1..64"), t,
                        TaskOption.of("p0", "0.5", "probability of input 0, a read (writes share the rest)"));
                case GRIDWORLD -> List.of(TaskOption.of("n", Integer.toString(kind.defaultN()),
                                "number of cells, 2..64"), t,
                        TaskOption.of("p0", "0.5", "probability of input 0, a step left (1 steps right)"));
            };
        }

        @Override
        public Task create(String name, TaskOptions o) {
            Kind kind = kindOf(name);
            int n = switch (kind) {
                case PARITY -> 2;
                case SYMMETRIC -> name.charAt(1) - '0';
                default -> o.integer("n");
            };
            return of(kind, n, o.integer("T"), o.real("p0", defaultP0(kind, n)));
        }

        private Kind kindOf(String name) {
            return name.startsWith("s") ? Kind.SYMMETRIC : Kind.valueOf(name.toUpperCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return "TaskType[automata]";
        }
    };

    private final Kind kind;
    private final int n;
    private final int length;
    private final double p0;
    private final int nInputs;
    private final int[][] delta; // delta[state][input] = next state
    private final Vocabulary vocabulary;

    private AutomatonTask(Kind kind, int n, int length, double p0) {
        this.kind = Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case PARITY -> TaskSupport.checkRange("n", n, 2, 2);
            case SYMMETRIC -> TaskSupport.checkRange("n", n, 3, 6);
            case FLIPFLOP -> TaskSupport.checkRange("n", n, 1, 64);
            default -> TaskSupport.checkRange("n", n, 2, 64);
        }
        this.n = n;
        this.length = TaskSupport.checkRange("T", length, 1, 1 << 16);
        List<String> inputs = new ArrayList<>();
        this.delta = kind == Kind.SYMMETRIC ? Permutations.symmetricTable(n, inputs) : table(kind, n, inputs);
        this.nInputs = inputs.size();
        this.p0 = TaskSupport.checkRange("p0", p0, 0.0, 1.0);
        List<String> tokens = new ArrayList<>(inputs);
        for (int q = 0; q < delta.length; q++) {
            tokens.add("q" + q);
        }
        this.vocabulary = new Vocabulary(tokens);
    }

    /** @return the automaton {@code kind} at its default size, T = 16, default input distribution */
    public static AutomatonTask of(Kind kind) {
        return of(kind, kind.defaultN(), DEFAULT_LENGTH);
    }

    /** @return the automaton {@code kind} of size {@code n} over sequences of length {@code length} */
    public static AutomatonTask of(Kind kind, int n, int length) {
        return of(kind, n, length, defaultP0(kind, n));
    }

    /**
     * @param kind   which automaton
     * @param n      its size (must be 2 for parity; 3..6 for S_n; 1..64 bits for flip-flop; else 2..64)
     * @param length T, in [1, 65536]
     * @param p0     probability of input 0, in [0, 1]; the other inputs share the rest
     * @throws IllegalArgumentException naming the parameter out of range
     */
    public static AutomatonTask of(Kind kind, int n, int length, double p0) {
        return new AutomatonTask(kind, n, length, p0);
    }

    /** @return the default probability of input 0: 0.5 for flip-flop (read), else uniform */
    public static double defaultP0(Kind kind, int n) {
        return switch (kind) {
            case FLIPFLOP -> 0.5;
            case CYCLIC -> 1.0 / n;
            case SYMMETRIC -> 1.0 / 3;
            default -> 0.5;
        };
    }

    private static int[][] table(Kind kind, int n, List<String> inputs) {
        int nIn = switch (kind) {
            case CYCLIC -> n;
            case FLIPFLOP -> n + 1;
            default -> 2;
        };
        int nStates = switch (kind) {
            case DIHEDRAL -> 2 * n;
            case FLIPFLOP -> n + 1;
            default -> n;
        };
        for (int x = 0; x < nIn; x++) {
            inputs.add(Integer.toString(x));
        }
        int[][] d = new int[nStates][nIn];
        for (int q = 0; q < nStates; q++) {
            for (int x = 0; x < nIn; x++) {
                d[q][x] = switch (kind) {
                    case PARITY, CYCLIC -> (q + x) % n;
                    case FLIPFLOP -> x == 0 ? q : x;
                    case GRIDWORLD -> x == 0 ? Math.max(q - 1, 0) : Math.min(q + 1, n - 1);
                    case DIHEDRAL -> {
                        int dir = q / n;
                        int pos = q % n;
                        yield x == 0 ? n * (1 - dir) + pos : n * dir + Math.floorMod(pos + (dir == 0 ? 1 : -1), n);
                    }
                    case SYMMETRIC -> throw new AssertionError("S_n uses Permutations.symmetricTable");
                };
            }
        }
        return d;
    }

    public Kind kind() {
        return kind;
    }

    /** @return the size parameter n */
    public int n() {
        return n;
    }

    /** @return the probability of input 0 */
    public double p0() {
        return p0;
    }

    /** @return the number of input symbols (token ids {@code 0..nInputs-1}) */
    public int nInputs() {
        return nInputs;
    }

    /** @return the number of states (token ids {@code nInputs..nInputs+nStates-1}) */
    public int nStates() {
        return delta.length;
    }

    /** @return the token id of state {@code q} */
    public int stateToken(int q) {
        return nInputs + q;
    }

    @Override
    public String name() {
        return kind.cliName(n);
    }

    /** @return e.g. {@code "Parity"}, {@code "Cyclic group C5"}, {@code "Symmetric group S5"} */
    @Override
    public String displayName() {
        return switch (kind) {
            case PARITY -> "Parity";
            case CYCLIC -> "Cyclic group C" + n;
            case DIHEDRAL -> "Dihedral group D" + n;
            case FLIPFLOP -> "Flip-flop automaton";
            case GRIDWORLD -> "Gridworld";
            case SYMMETRIC -> "Symmetric group S" + n;
        };
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        if (kind != Kind.PARITY && kind != Kind.SYMMETRIC) {
            o.put("n", Integer.toString(n));
        }
        o.put("T", Integer.toString(length));
        o.put("p0", String.format(Locale.ROOT, "%s", p0));
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
        int[] tokens = new int[batchSize * length];  // (B*T) inputs
        int[] targets = new int[batchSize * length]; // (B*T) state tokens
        byte[] mask = new byte[batchSize * length];  // (B*T) all 1
        for (int b = 0; b < batchSize; b++) {
            int q = 0;
            for (int t = 0; t < length; t++) {
                int x = rng.nextDouble() < p0 ? 0 : 1 + rng.nextInt(nInputs - 1);
                q = delta[q][x];
                tokens[b * length + t] = x;
                targets[b * length + t] = stateToken(q);
                mask[b * length + t] = 1;
            }
        }
        return new Batch(batchSize, length, tokens, targets, mask);
    }

    @Override
    public Batch evalBatch(int batchSize, long seed) {
        return sample(batchSize, new SplittableRandom(seed));
    }

    /**
     * Metrics: {@code accuracy} (headline: over all scored positions) and
     * {@code accuracy_per_position} ({@code [T]}, NaN where nothing is scored).
     */
    @Override
    public Metrics evaluate(Batch batch, double[] logits, int dVocab) {
        TaskSupport.checkLogits(this, batch, logits, dVocab);
        double[] right = new double[length];
        long[] count = new long[length];
        double total = 0;
        long totalCount = 0;
        for (int b = 0; b < batch.batchSize(); b++) {
            for (int t = 0; t < length; t++) {
                if (batch.scored(b, t)) {
                    int i = b * length + t;
                    int ok = TaskSupport.argmax(logits, i, dVocab) == batch.targets()[i] ? 1 : 0;
                    right[t] += ok;
                    count[t]++;
                    total += ok;
                    totalCount++;
                }
            }
        }
        double[] perPosition = new double[length];
        for (int t = 0; t < length; t++) {
            perPosition[t] = TaskSupport.mean(right[t], count[t]);
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("accuracy", new double[] {TaskSupport.mean(total, totalCount)});
        m.put("accuracy_per_position", perPosition);
        return Metrics.of(m, "accuracy");
    }

    @Override
    public String toString() {
        return "AutomatonTask[" + name() + " " + options() + "]";
    }
}
