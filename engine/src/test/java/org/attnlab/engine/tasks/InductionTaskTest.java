package org.attnlab.engine.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.attnlab.engine.model.Batch;
import org.junit.jupiter.api.Test;

class InductionTaskTest {

    /** The smallest p such that the row is p-periodic (s[t] == s[t-p] for all t >= p). */
    private static int smallestPeriod(List<String> s) {
        for (int p = 1; p < s.size(); p++) {
            boolean periodic = true;
            for (int t = p; t < s.size() && periodic; t++) {
                periodic = s.get(t).equals(s.get(t - p));
            }
            if (periodic) {
                return p;
            }
        }
        return s.size();
    }

    @Test
    void everyRowIsARepeatedPrefixOfDistinctTokens() {
        InductionTask task = InductionTask.of(20, 40);
        Vocabulary v = task.vocabulary();
        SplittableRandom rng = new SplittableRandom(6);
        Set<Integer> periods = new HashSet<>();
        for (int k = 0; k < 20; k++) {
            Batch batch = task.sample(32, rng);
            for (int b = 0; b < 32; b++) {
                List<String> s = List.of(v.decode(batch.tokens(), b * 40, (b + 1) * 40).split(" "));
                int p = smallestPeriod(s);
                periods.add(p);
                assertTrue(p >= 10 && p <= 20, "period in [T/4, T/2]: " + p);
                assertEquals(p, new HashSet<>(s.subList(0, p)).size(), "prefix tokens are distinct");
                assertEquals(p, InductionTask.period(batch, b));
                int[] keys = InductionTask.inductionTargets(batch, b);
                for (int t = 0; t < 40; t++) {
                    boolean last = t == 39;
                    assertEquals(!last, batch.scored(b, t));
                    if (!last) {
                        assertEquals(s.get(t + 1), v.token(batch.target(b, t)), "next-token target");
                    }
                    if (t < p) {
                        assertEquals(-1, keys[t]);
                    } else {
                        // the key is the token after the previous occurrence of the query's token
                        int previous = s.subList(0, t).lastIndexOf(s.get(t));
                        assertEquals(previous + 1, keys[t]);
                        if (!last) {
                            assertEquals(batch.target(b, t), batch.token(b, keys[t]), "copying the key predicts");
                        }
                    }
                }
            }
        }
        assertEquals(11, periods.size(), "every period 10..20 occurs");
    }

    @Test
    void inductionAndPreviousTokenScores() {
        InductionTask task = InductionTask.of(8, 8);
        Batch batch = task.sample(1, new SplittableRandom(2));
        int p = InductionTask.period(batch, 0);
        int[] keys = InductionTask.inductionTargets(batch, 0);
        int t = 8;
        double[] induction = new double[t * t];
        double[] half = new double[t * t];
        double[] previous = new double[3 + t * t]; // at offset 3
        double[] uniform = new double[t * t];
        for (int q = 0; q < t; q++) {
            induction[q * t + (keys[q] >= 0 ? keys[q] : 0)] = 1;
            half[q * t] = 0.5;
            half[q * t + (keys[q] >= 0 ? keys[q] : 0)] += 0.5;
            previous[3 + q * t + Math.max(q - 1, 0)] = 1;
            for (int k = 0; k <= q; k++) {
                uniform[q * t + k] = 1.0 / (q + 1);
            }
        }
        assertEquals(1.0, InductionTask.inductionScore(induction, t, keys), 1e-12);
        assertEquals(0.5, InductionTask.inductionScore(half, t, keys), 1e-12);
        double expectedUniform = 0;
        for (int q = p; q < t; q++) {
            expectedUniform += 1.0 / (q + 1);
        }
        assertEquals(expectedUniform / (t - p), InductionTask.inductionScore(uniform, t, keys), 1e-12);
        assertEquals(1.0, InductionTask.previousTokenScore(previous, 3, t), 1e-12);
        // a previous-token head is an induction head only for period 2 (key t - p + 1 = t - 1)
        assertEquals(p == 2 ? 1.0 : 0.0, InductionTask.inductionScore(previous, 3, t, keys), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> InductionTask.inductionScore(new double[10], t, keys));
    }

    @Test
    void metricsOnHandBuiltLogits() {
        InductionTask task = InductionTask.of(16, 16);
        int v = task.vocabulary().size();
        Batch batch = task.sample(4, new SplittableRandom(3));

        Metrics uniform = task.evaluate(batch, new double[4 * 16 * v], v);
        assertEquals(Math.log(v), uniform.scalar("loss_first_half"), 1e-12);
        assertEquals(Math.log(v), uniform.scalar("loss_repeat"), 1e-12);

        double margin = 30;
        Metrics perfect = task.evaluate(batch, TestLogits.oneHot(TestLogits.targetsOrZero(batch), v, margin), v);
        double nllRight = Math.log(1 + (v - 1) * Math.exp(-margin));
        assertEquals(1.0, perfect.headline());
        assertEquals("repeat_accuracy", perfect.headlineName());
        assertEquals(nllRight, perfect.scalar("loss_repeat"), 1e-14);
        assertEquals(nllRight, perfect.scalar("loss_first_half"), 1e-14);

        // wrong (confidently) on the first repeat position of each row
        int[] predicted = TestLogits.targetsOrZero(batch);
        int repeatPositions = 0;
        for (int b = 0; b < 4; b++) {
            int p = InductionTask.period(batch, b);
            repeatPositions += 15 - p;
            int i = b * 16 + p;
            predicted[i] = (predicted[i] + 1) % v;
        }
        Metrics m = task.evaluate(batch, TestLogits.oneHot(predicted, v, margin), v);
        assertEquals(1 - 4.0 / repeatPositions, m.headline(), 1e-12);
        double nllWrong = margin + nllRight;
        assertEquals((4 * nllWrong + (repeatPositions - 4) * nllRight) / repeatPositions, m.scalar("loss_repeat"), 1e-9);
        assertEquals(nllRight, m.scalar("loss_first_half"), 1e-14);
    }

    @Test
    void parametersAreValidated() {
        assertEquals("n_symbols must be at least T/2 = 32 (the prefix holds distinct symbols), got 26",
                assertThrows(IllegalArgumentException.class, () -> InductionTask.of(26, 64)).getMessage());
        assertEquals("T must be in [4, 65536], got 3",
                assertThrows(IllegalArgumentException.class, () -> InductionTask.of(26, 3)).getMessage());
        assertEquals(List.of("a", "b"), InductionTask.of(30, 8).vocabulary().tokens().subList(0, 2));
        assertEquals("d1", InductionTask.of(30, 8).vocabulary().token(29));
        assertFalse(InductionTask.of().vocabulary().contains("a1"));
    }

    @Test
    void periodNeedsARepeat() {
        Batch noRepeat = new Batch(1, 4, new int[] {0, 1, 2, 3}, new int[] {-1, -1, -1, -1}, new byte[4]);
        assertThrows(IllegalArgumentException.class, () -> InductionTask.period(noRepeat, 0));
        assertArrayEquals(new int[] {-1, -1, 1, 2},
                InductionTask.inductionTargets(new Batch(1, 4, new int[] {5, 6, 5, 6}, new int[4], new byte[4]), 0));
    }
}
