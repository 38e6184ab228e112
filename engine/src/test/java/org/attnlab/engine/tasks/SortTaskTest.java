package org.attnlab.engine.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.attnlab.engine.model.Batch;
import org.junit.jupiter.api.Test;

class SortTaskTest {

    /** Checks row b against a plain reading: input digits, then their sorted copy, shifted by one. */
    private static String checkRow(SortTask task, Batch batch, int b) {
        Vocabulary v = task.vocabulary();
        int len = task.length();
        int t = batch.seqLen();
        assertEquals(2 * len - 1, t);
        List<Integer> input = new ArrayList<>();
        for (int p = 0; p < len; p++) {
            input.add(Integer.parseInt(v.token(batch.token(b, p))));
        }
        List<Integer> sorted = new ArrayList<>(input);
        Collections.sort(sorted);
        // the full sequence the model is shown: input then sorted output
        List<Integer> full = new ArrayList<>(input);
        full.addAll(sorted);
        for (int p = 0; p < t; p++) {
            assertEquals(full.get(p), Integer.parseInt(v.token(batch.token(b, p))), "token " + p);
            if (p < len - 1) {
                assertFalse(batch.scored(b, p));
                assertEquals(-1, batch.target(b, p));
            } else {
                assertTrue(batch.scored(b, p));
                assertEquals(sorted.get(p - (len - 1)), Integer.parseInt(v.token(batch.target(b, p))), "output " + p);
            }
        }
        return input.toString();
    }

    @Test
    void outputIsTheSortedInputAndSplitsAreDisjoint() {
        SortTask task = SortTask.of();
        assertEquals(5, task.outputStart());
        assertTrue(task.hasHeldOutSplit());
        Set<String> train = new HashSet<>();
        Set<String> heldOut = new HashSet<>();
        SplittableRandom rng = new SplittableRandom(12);
        for (int k = 0; k < 20; k++) {
            Batch batch = task.sample(64, rng);
            for (int b = 0; b < 64; b++) {
                train.add(checkRow(task, batch, b));
            }
        }
        for (long seed = 0; seed < 10; seed++) {
            Batch batch = task.evalBatch(64, seed);
            for (int b = 0; b < 64; b++) {
                heldOut.add(checkRow(task, batch, b));
            }
        }
        assertTrue(train.size() > 300 && heldOut.size() > 100, train.size() + " / " + heldOut.size());
        Set<String> both = new HashSet<>(train);
        both.retainAll(heldOut);
        assertEquals(Set.of(), both, "no held-out input is trained on");
    }

    @Test
    void otherSizesAndTinyInputSpaces() {
        SortTask wide = SortTask.of(10, 12);
        Batch batch = wide.sample(50, new SplittableRandom(1));
        for (int b = 0; b < 50; b++) {
            checkRow(wide, batch, b);
        }
        SortTask tiny = SortTask.of(2, 3); // 8 possible inputs: no split
        assertFalse(tiny.hasHeldOutSplit());
        Batch t = tiny.evalBatch(20, 1);
        for (int b = 0; b < 20; b++) {
            checkRow(tiny, t, b);
        }
    }

    @Test
    void exactMatchAndMetricsOnHandBuiltPredictions() {
        SortTask task = SortTask.of();
        int v = task.vocabulary().size();
        Batch batch = task.evalBatch(4, 3);
        int len = task.length();

        int[] generated = new int[4 * len];
        for (int b = 0; b < 4; b++) {
            for (int j = 0; j < len; j++) {
                generated[b * len + j] = batch.target(b, task.outputStart() + j);
            }
        }
        assertArrayEquals(new boolean[] {true, true, true, true}, task.exactMatchFromPredictions(batch, generated));
        generated[2 * len + 4] = (generated[2 * len + 4] + 1) % 3;
        assertArrayEquals(new boolean[] {true, true, false, true}, task.exactMatchFromPredictions(batch, generated));
        assertThrows(IllegalArgumentException.class, () -> task.exactMatchFromPredictions(batch, new int[5]));

        Metrics perfect = task.evaluate(batch, TestLogits.perfect(batch, v), v);
        assertEquals(1.0, perfect.headline());
        assertEquals("exact_match_teacher_forced", perfect.headlineName());
        int[] predicted = TestLogits.targetsOrZero(batch);
        int i = 1 * batch.seqLen() + task.outputStart() + 2;
        predicted[i] = (predicted[i] + 1) % 3;
        Metrics m = task.evaluate(batch, TestLogits.oneHot(predicted, v, 1), v);
        assertEquals(0.75, m.headline(), 1e-12);
        assertEquals(1 - 1.0 / (4 * len), m.scalar("token_accuracy"), 1e-12);
    }

    @Test
    void parametersAreValidated() {
        assertEquals("n_digits must be in [2, 10], got 11",
                assertThrows(IllegalArgumentException.class, () -> SortTask.of(11, 6)).getMessage());
        assertEquals("length must be in [2, 4096], got 1",
                assertThrows(IllegalArgumentException.class, () -> SortTask.of(3, 1)).getMessage());
        assertEquals(List.of("0", "1", "2"), SortTask.of().vocabulary().tokens());
    }
}
