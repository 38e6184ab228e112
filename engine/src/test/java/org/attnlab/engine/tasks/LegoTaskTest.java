package org.attnlab.engine.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.TransformerConfig.AttentionDir;
import org.junit.jupiter.api.Test;

class LegoTaskTest {

    /**
     * A plain LEGO solver, independent of the generator: parse the sentence into clauses
     * {@code lhs = sign rhs ;}, then walk the chain from the root {@code v = + 1}.
     *
     * @param words the sentence as token strings
     * @return per position: {@code {value (+1/-1), depth}} at a left-hand variable, null elsewhere
     */
    static int[][] solveByWalking(List<String> words) {
        assertEquals(0, words.size() % 5, "sentence length is a multiple of 5");
        Map<String, String[]> clauseOf = new HashMap<>(); // lhs -> {sign, rhs}
        Map<String, Integer> positionOf = new HashMap<>();
        String root = null;
        for (int p = 0; p < words.size(); p += 5) {
            String lhs = words.get(p);
            assertTrue(lhs.matches("[a-z]"), "clause starts with a variable: " + words);
            assertEquals("=", words.get(p + 1));
            String sign = words.get(p + 2);
            assertTrue(sign.equals("+") || sign.equals("-"));
            String rhs = words.get(p + 3);
            assertEquals(";", words.get(p + 4));
            assertTrue(clauseOf.put(lhs, new String[] {sign, rhs}) == null, "variables are distinct: " + words);
            positionOf.put(lhs, p);
            if (rhs.equals("1")) {
                assertTrue(root == null, "one root: " + words);
                root = lhs;
            }
        }
        assertNotNull(root, "has a root: " + words);
        // who uses x on the right-hand side
        Map<String, String> next = new HashMap<>();
        for (Map.Entry<String, String[]> e : clauseOf.entrySet()) {
            if (!e.getValue()[1].equals("1")) {
                assertTrue(next.put(e.getValue()[1], e.getKey()) == null, "a chain, not a tree: " + words);
            }
        }
        int[][] out = new int[words.size()][];
        String x = root;
        int value = clauseOf.get(root)[0].equals("+") ? 1 : -1;     // the root: v = + 1 or v = - 1
        int depth = 0;
        while (x != null) {
            if (depth > 0) {
                value = clauseOf.get(x)[0].equals("+") ? value : -value;
            }
            out[positionOf.get(x)] = new int[] {value, depth};
            x = next.get(x);
            depth++;
        }
        assertEquals(clauseOf.size(), depth, "every clause is on the chain from the root: " + words);
        return out;
    }

    private static List<String> row(LegoTask task, Batch batch, int b) {
        int t = batch.seqLen();
        return Arrays.asList(task.vocabulary().decode(batch.tokens(), b * t, (b + 1) * t).split(" "));
    }

    private static void checkAgainstSolver(LegoTask task, Batch batch, int scoredDepths) {
        Vocabulary v = task.vocabulary();
        assertEquals(5 * task.nVar(), batch.seqLen());
        for (int b = 0; b < batch.batchSize(); b++) {
            int[][] solved = solveByWalking(row(task, batch, b));
            for (int p = 0; p < batch.seqLen(); p++) {
                if (solved[p] != null && solved[p][1] < scoredDepths) {
                    assertTrue(batch.scored(b, p));
                    assertEquals(solved[p][0] > 0 ? "+" : "-", v.token(batch.target(b, p)));
                } else {
                    assertFalse(batch.scored(b, p), "row " + b + " position " + p);
                    assertEquals(-1, batch.target(b, p));
                }
            }
        }
    }

    @Test
    void everyLabelMatchesTheSolver() {
        for (int nVar : new int[] {1, 2, 6, 12, 26}) {
            LegoTask task = LegoTask.of(nVar, Math.max(1, nVar / 2), true, false);
            SplittableRandom rng = new SplittableRandom(nVar);
            for (int k = 0; k < 20; k++) {
                checkAgainstSolver(task, task.sample(16, rng), task.nTrain());
            }
            checkAgainstSolver(task, task.evalBatch(64, 7), nVar);
        }
    }

    @Test
    void unshuffledSentencesAreInChainOrder() {
        LegoTask task = LegoTask.of(6, 6, false, false);
        Batch batch = task.sample(32, new SplittableRandom(3));
        checkAgainstSolver(task, batch, 6);
        for (int b = 0; b < 32; b++) {
            int[][] solved = solveByWalking(row(task, batch, b));
            for (int k = 0; k < 6; k++) {
                assertEquals(k, solved[5 * k][1]);
            }
            assertArrayEquals(task.chainDepths(batch, b), depthsOf(solved));
        }
    }

    @Test
    void shuffledClausesPutTheRootAnywhereAndVariablesVary() {
        LegoTask task = LegoTask.of(6);
        int[] rootSlot = new int[6];
        Set<String> sentences = new HashSet<>();
        Batch batch = task.sample(3000, new SplittableRandom(11));
        int plus = 0;
        for (int b = 0; b < batch.batchSize(); b++) {
            List<String> words = row(task, batch, b);
            sentences.add(String.join(" ", words));
            int[][] solved = solveByWalking(words);
            assertArrayEquals(task.chainDepths(batch, b), depthsOf(solved));
            for (int k = 0; k < 6; k++) {
                rootSlot[k] += solved[5 * k][1] == 0 ? 1 : 0;
                plus += solved[5 * k][0] > 0 ? 1 : 0;
            }
        }
        for (int k = 0; k < 6; k++) {
            assertEquals(500, rootSlot[k], 80, "root in clause slot " + k);
        }
        assertEquals(3000 * 6 / 2, plus, 400, "about half of the values are + (the root's too)");
        assertEquals(3000, sentences.size(), 5);
    }

    @Test
    void metricsOnHandBuiltLogits() {
        LegoTask task = LegoTask.of(4, 2, true, false);
        int v = task.vocabulary().size();
        Batch eval = task.evalBatch(10, 5);
        Metrics perfect = task.evaluate(eval, TestLogits.perfect(eval, v), v);
        assertEquals(1.0, perfect.headline());
        assertEquals("accuracy", perfect.headlineName());
        assertArrayEquals(new double[] {1, 1, 1, 1}, perfect.get("accuracy_per_chain_position"));
        assertEquals(1.0, perfect.scalar("sentence_accuracy"));
        assertEquals(1.0, perfect.scalar("accuracy_extrapolation"));

        // wrong at depth 3 in every row, and at depth 1 in rows 0..4
        int[] predicted = TestLogits.targetsOrZero(eval);
        int plusId = task.vocabulary().id("+");
        int minusId = task.vocabulary().id("-");
        for (int b = 0; b < 10; b++) {
            int[] depth = task.chainDepths(eval, b);
            for (int p = 0; p < eval.seqLen(); p++) {
                if (depth[p] == 3 || (depth[p] == 1 && b < 5)) {
                    int i = b * eval.seqLen() + p;
                    predicted[i] = predicted[i] == plusId ? minusId : plusId;
                }
            }
        }
        Metrics m = task.evaluate(eval, TestLogits.oneHot(predicted, v + 2, 3.0), v + 2);
        assertArrayEquals(new double[] {1, 0.5, 1, 0}, m.get("accuracy_per_chain_position"));
        assertEquals(0.75, m.headline(), 1e-12); // mean over trained depths 0 and 1
        assertEquals(0.5, m.scalar("accuracy_extrapolation"), 1e-12);
        assertEquals(0.0, m.scalar("sentence_accuracy"));

        // a training batch scores only depths < n_train: the others are NaN
        Batch train = task.sample(8, new SplittableRandom(1));
        double[] perDepth = task.evaluate(train, TestLogits.perfect(train, v), v).get("accuracy_per_chain_position");
        assertEquals(1.0, perDepth[1]);
        assertTrue(Double.isNaN(perDepth[2]) && Double.isNaN(perDepth[3]));
    }

    @Test
    void parametersAreValidated() {
        assertEquals("n_var must be in [1, 26], got 27",
                assertThrows(IllegalArgumentException.class, () -> LegoTask.of(27)).getMessage());
        assertEquals("n_train must be in [1, 6], got 7",
                assertThrows(IllegalArgumentException.class, () -> LegoTask.of(6, 7, true, false)).getMessage());
        assertEquals(AttentionDir.BIDIRECTIONAL, LegoTask.of().attentionDir());
        assertEquals(30, LegoTask.of().seqLen());
    }

    private static int[] depthsOf(int[][] solved) {
        List<Integer> out = new ArrayList<>();
        for (int[] s : solved) {
            out.add(s == null ? -1 : s[1]);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The sign of the root clause of row {@code b}: "+" or "-". */
    private static String rootSign(LegoTask task, Batch batch, int b) {
        List<String> w = row(task, batch, b);
        for (int p = 0; p < w.size(); p += 5) {
            if (w.get(p + 3).equals("1")) {
                return w.get(p + 2);
            }
        }
        throw new AssertionError("no root: " + w);
    }

    @Test
    void theRootIsPlusOrMinusAtRandomAsInThePaper() {
        LegoTask task = LegoTask.of(6);
        assertEquals("false", task.options().get("fixed_root"));
        Batch b = task.evalBatch(2000, 5);
        int minus = 0;
        for (int i = 0; i < b.batchSize(); i++) {
            minus += rootSign(task, b, i).equals("-") ? 1 : 0;
        }
        // binomial(2000, 1/2): mean 1000, sd 22
        assertTrue(minus > 900 && minus < 1100, minus + " of 2000 sentences rooted at - 1");
        checkAgainstSolver(task, b, 6);          // every label follows from the root and the clauses
    }

    @Test
    void aFixedRootGivesTheSequencesOfTheFixedRootGenerator() {
        LegoTask task = (LegoTask) Tasks.byName("lego", Map.of("fixed_root", "true"));
        Batch b = task.evalBatch(64, 7);
        Batch c = task.evalBatch(64, 99);
        for (int i = 0; i < b.batchSize(); i++) {
            assertEquals("+", rootSign(task, b, i));
        }
        // hashes of LegoTask.of(6).evalBatch(64, seed) from the generator before the root was random
        assertEquals(1180353941, Arrays.hashCode(b.tokens()));
        assertEquals(-2116552421, Arrays.hashCode(b.targets()));
        assertEquals(1269848640, Arrays.hashCode(c.tokens()));
        assertEquals(1793815550, Arrays.hashCode(c.targets()));
        assertEquals(1180353941, Arrays.hashCode(task.sample(64, new java.util.SplittableRandom(7)).tokens()));
    }

    @Test
    void accuracyIsSplitByTheRootsSign() {
        LegoTask task = LegoTask.of(6);
        Batch b = task.evalBatch(200, 3);
        int v = task.vocabulary().size();
        double[] logits = new double[b.batchSize() * b.seqLen() * v];
        int plus = task.vocabulary().id("+"), minusId = task.vocabulary().id("-");
        // a model that always says "+": right on every + 1 sentence's positive variables only
        for (int i = 0; i < b.batchSize() * b.seqLen(); i++) {
            logits[i * v + plus] = 1;
        }
        Metrics m = task.evaluate(b, logits, v);
        long right = 0, all = 0, rightPlus = 0, allPlus = 0;
        for (int r = 0; r < b.batchSize(); r++) {
            boolean rootPlus = rootSign(task, b, r).equals("+");
            for (int p = 0; p < b.seqLen(); p++) {
                if (b.scored(r, p)) {
                    boolean ok = b.targets()[r * b.seqLen() + p] == plus;
                    if (rootPlus) {
                        allPlus++;
                        rightPlus += ok ? 1 : 0;
                    } else {
                        all++;
                        right += ok ? 1 : 0;
                    }
                }
            }
        }
        assertEquals((double) rightPlus / allPlus, m.get("accuracy_root_plus")[0], 1e-12);
        assertEquals((double) right / all, m.get("accuracy_root_minus")[0], 1e-12);
        // the root itself is always right under + 1 and always wrong under - 1
        assertTrue(m.get("accuracy_root_plus")[0] > m.get("accuracy_root_minus")[0]);
        assertTrue(minusId != plus);
        assertFalse(((LegoTask) Tasks.byName("lego", Map.of("fixed_root", "true"))).evaluate(b, logits, v).names()
                .contains("accuracy_root_minus"), "no split when every root is + 1");
    }
}
