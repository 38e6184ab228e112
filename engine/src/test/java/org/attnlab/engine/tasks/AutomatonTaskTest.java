package org.attnlab.engine.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.tasks.AutomatonTask.Kind;
import org.junit.jupiter.api.Test;

class AutomatonTaskTest {

    /** Runs the automaton from its plain definition on the input strings; returns the state labels. */
    static int[] solve(Kind kind, int n, List<String> inputs) {
        int[] labels = new int[inputs.size()];
        int sum = 0;
        boolean reversed = false;
        int position = 0;
        int lastWrite = 0;
        List<Integer> deck = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            deck.add(i);
        }
        Map<String, Integer> lexIndex = kind == Kind.SYMMETRIC ? lexIndex(n) : Map.of();
        for (int t = 0; t < inputs.size(); t++) {
            String x = inputs.get(t);
            switch (kind) {
                case PARITY -> {
                    sum += x.equals("1") ? 1 : 0;
                    labels[t] = sum % 2;
                }
                case CYCLIC -> {
                    sum += Integer.parseInt(x);
                    labels[t] = sum % n;
                }
                case DIHEDRAL -> {
                    if (x.equals("0")) {
                        reversed = !reversed;
                    } else {
                        position = reversed ? (position + n - 1) % n : (position + 1) % n;
                    }
                    labels[t] = n * (reversed ? 1 : 0) + position;
                }
                case FLIPFLOP -> {
                    if (!x.equals("0")) {
                        lastWrite = Integer.parseInt(x);
                    }
                    labels[t] = lastWrite;
                }
                case GRIDWORLD -> {
                    position = x.equals("0") ? Math.max(0, position - 1) : Math.min(n - 1, position + 1);
                    labels[t] = position;
                }
                case SYMMETRIC -> {
                    if (x.equals("(01)")) {
                        Collections.swap(deck, 0, 1);
                    } else if (x.startsWith("(0") && x.length() == n + 2) {
                        Collections.rotate(deck, 1); // item in slot i moves to slot i + 1
                    } else {
                        assertEquals("e", x);
                    }
                    labels[t] = lexIndex.get(deck.toString());
                }
            }
        }
        return labels;
    }

    /** All arrangements of 0..n-1 in lexicographic order, by recursion, keyed by List.toString. */
    private static Map<String, Integer> lexIndex(int n) {
        List<List<Integer>> all = new ArrayList<>();
        permute(new ArrayList<>(), n, all);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            index.put(all.get(i).toString(), i);
        }
        return index;
    }

    private static void permute(List<Integer> prefix, int n, List<List<Integer>> out) {
        if (prefix.size() == n) {
            out.add(new ArrayList<>(prefix));
            return;
        }
        for (int i = 0; i < n; i++) {
            if (!prefix.contains(i)) {
                prefix.add(i);
                permute(prefix, n, out);
                prefix.remove(prefix.size() - 1);
            }
        }
    }

    private static void checkAgainstSolver(AutomatonTask task, Batch batch) {
        Vocabulary v = task.vocabulary();
        int t = task.seqLen();
        for (int b = 0; b < batch.batchSize(); b++) {
            List<String> inputs = List.of(v.decode(batch.tokens(), b * t, (b + 1) * t).split(" "));
            int[] expected = solve(task.kind(), task.n(), inputs);
            for (int p = 0; p < t; p++) {
                assertTrue(batch.scored(b, p));
                assertTrue(batch.token(b, p) < task.nInputs(), "tokens are inputs");
                assertEquals("q" + expected[p], v.token(batch.target(b, p)), task + " row " + b + " position " + p);
            }
        }
    }

    @Test
    void everyLabelMatchesTheSolver() {
        List<AutomatonTask> tasks = List.of(AutomatonTask.of(Kind.PARITY), AutomatonTask.of(Kind.CYCLIC),
                AutomatonTask.of(Kind.CYCLIC, 7, 40), AutomatonTask.of(Kind.DIHEDRAL), AutomatonTask.of(Kind.DIHEDRAL, 3, 30),
                AutomatonTask.of(Kind.FLIPFLOP), AutomatonTask.of(Kind.FLIPFLOP, 4, 20), AutomatonTask.of(Kind.GRIDWORLD),
                AutomatonTask.of(Kind.GRIDWORLD, 9, 64, 0.3), AutomatonTask.of(Kind.SYMMETRIC),
                AutomatonTask.of(Kind.SYMMETRIC, 4, 12), AutomatonTask.of(Kind.PARITY, 2, 16, 0.9));
        for (AutomatonTask task : tasks) {
            SplittableRandom rng = new SplittableRandom(task.name().hashCode());
            for (int k = 0; k < 10; k++) {
                checkAgainstSolver(task, task.sample(32, rng));
            }
            checkAgainstSolver(task, task.evalBatch(64, 3));
        }
    }

    @Test
    void vocabulariesAreReadableAndStatesDistinctFromInputs() {
        assertEquals(List.of("0", "1", "q0", "q1"), AutomatonTask.of(Kind.PARITY).vocabulary().tokens());
        assertEquals(List.of("0", "1", "2", "q0", "q1", "q2"), AutomatonTask.of(Kind.FLIPFLOP).vocabulary().tokens());
        AutomatonTask s5 = AutomatonTask.of(Kind.SYMMETRIC);
        assertEquals("s5", s5.name());
        assertEquals(3 + 120, s5.vocabulary().size());
        assertEquals(List.of("e", "(01)", "(01234)", "q0"), s5.vocabulary().tokens().subList(0, 4));
        assertEquals(2 * 4, AutomatonTask.of(Kind.DIHEDRAL).nStates());
    }

    @Test
    void theS5GeneratorsReachAllOf120States() {
        AutomatonTask s5 = AutomatonTask.of(Kind.SYMMETRIC, 5, 64);
        Batch batch = s5.sample(1000, new SplittableRandom(5));
        Set<Integer> seen = new HashSet<>();
        for (int target : batch.targets()) {
            seen.add(target);
        }
        assertEquals(120, seen.size());
    }

    @Test
    void inputDistributionFollowsP0() {
        Batch ff = AutomatonTask.of(Kind.FLIPFLOP, 3, 100).sample(200, new SplittableRandom(1));
        int[] counts = new int[4];
        for (int x : ff.tokens()) {
            counts[x]++;
        }
        assertEquals(10000, counts[0], 300, "reads are half the inputs");
        for (int w = 1; w <= 3; w++) {
            assertEquals(20000 / 6.0, counts[w], 250, "write " + w);
        }
        Batch skewed = AutomatonTask.of(Kind.PARITY, 2, 100, 0.9).sample(100, new SplittableRandom(2));
        long zeros = Arrays.stream(skewed.tokens()).filter(x -> x == 0).count();
        assertEquals(9000, zeros, 200);
    }

    @Test
    void metricsOnHandBuiltLogits() {
        AutomatonTask task = AutomatonTask.of(Kind.GRIDWORLD, 5, 4);
        int v = task.vocabulary().size();
        Batch batch = task.evalBatch(5, 9);
        Metrics perfect = task.evaluate(batch, TestLogits.perfect(batch, v), v);
        assertEquals(1.0, perfect.headline());
        assertArrayEquals(new double[] {1, 1, 1, 1}, perfect.get("accuracy_per_position"));

        int[] predicted = TestLogits.targetsOrZero(batch);
        predicted[0 * 4 + 3] = 0; // row 0, position 3: an input token, never a state
        predicted[1 * 4 + 3] = 0;
        predicted[4 * 4 + 0] = 0;
        Metrics m = task.evaluate(batch, TestLogits.oneHot(predicted, v, 1.0), v);
        assertArrayEquals(new double[] {0.8, 1, 1, 0.6}, m.get("accuracy_per_position"), 1e-12);
        assertEquals(17.0 / 20, m.headline(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> task.evaluate(batch, new double[10], v));
        assertThrows(IllegalArgumentException.class, () -> task.evaluate(batch, new double[20 * 2], 2));
    }

    @Test
    void parametersAreValidated() {
        assertEquals("n must be in [2, 2], got 3",
                assertThrows(IllegalArgumentException.class, () -> AutomatonTask.of(Kind.PARITY, 3, 16)).getMessage());
        assertEquals("n must be in [3, 6], got 7",
                assertThrows(IllegalArgumentException.class, () -> AutomatonTask.of(Kind.SYMMETRIC, 7, 16)).getMessage());
        assertEquals("T must be in [1, 65536], got 0",
                assertThrows(IllegalArgumentException.class, () -> AutomatonTask.of(Kind.CYCLIC, 5, 0)).getMessage());
        assertEquals("p0 must be in [0.0, 1.0], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> AutomatonTask.of(Kind.CYCLIC, 5, 8, 1.5)).getMessage());
    }
}
