package org.attnlab.engine.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.attnlab.engine.model.Batch;
import org.junit.jupiter.api.Test;

class FlipFlopLanguageTaskTest {

    /** Counts of instructions among the middle pairs: {w, r, i}. */
    private static long[] replayAndCount(FlipFlopLanguageTask task, Batch batch) {
        Vocabulary v = task.vocabulary();
        int t = batch.seqLen();
        long[] middle = new long[3];
        for (int b = 0; b < batch.batchSize(); b++) {
            List<String> s = List.of(v.decode(batch.tokens(), b * t, (b + 1) * t).split(" "));
            assertEquals("w", s.get(0), "first instruction is a write");
            assertEquals("r", s.get(t - 2), "last instruction is a read");
            String memory = null;
            for (int p = 0; p < t; p += 2) {
                String instruction = s.get(p);
                String bit = s.get(p + 1);
                assertTrue(bit.equals("0") || bit.equals("1"), "bit at odd position " + (p + 1));
                switch (instruction) {
                    case "w" -> memory = bit;
                    case "r" -> assertEquals(memory, bit, "a read returns the last written bit");
                    case "i" -> { }
                    default -> throw new AssertionError("instruction expected at " + p + ": " + s);
                }
                if (p > 0 && p < t - 2) {
                    middle["wri".indexOf(instruction)]++;
                }
                // only the bit after r is scored, as the target at the r
                boolean read = instruction.equals("r");
                assertEquals(read, batch.scored(b, p));
                assertEquals(read ? v.id(bit) : -1, batch.target(b, p));
                assertFalse(batch.scored(b, p + 1));
                assertEquals(-1, batch.target(b, p + 1));
            }
        }
        return middle;
    }

    @Test
    void everySequenceReplays() {
        FlipFlopLanguageTask task = FlipFlopLanguageTask.of();
        SplittableRandom rng = new SplittableRandom(4);
        for (int k = 0; k < 20; k++) {
            replayAndCount(task, task.sample(32, rng));
        }
        replayAndCount(FlipFlopLanguageTask.of(4, 0.5), FlipFlopLanguageTask.of(4, 0.5).sample(50, rng));
    }

    @Test
    void instructionFrequenciesFollowPIgnore() {
        FlipFlopLanguageTask task = FlipFlopLanguageTask.of(200, 0.5);
        long[] train = replayAndCount(task, task.sample(300, new SplittableRandom(1)));
        assertFrequencies(train, 0.5);
        assertFrequencies(replayAndCount(task, task.evalBatch(300, 2)), 0.8);
        assertFrequencies(replayAndCount(task, task.evalBatch(300, 2, FlipFlopLanguageTask.P_IGNORE_SPARSE)), 0.98);
        assertFrequencies(replayAndCount(task, task.evalBatch(300, 2, FlipFlopLanguageTask.P_IGNORE_DENSE)), 0.1);
        assertEquals(task.evalBatch(10, 3), task.evalBatch(10, 3, 0.8));
    }

    private static void assertFrequencies(long[] counts, double pIgnore) {
        double total = counts[0] + counts[1] + counts[2];
        assertEquals(pIgnore, counts[2] / total, 0.015, "ignore");
        assertEquals((1 - pIgnore) / 2, counts[0] / total, 0.015, "write");
        assertEquals((1 - pIgnore) / 2, counts[1] / total, 0.015, "read");
    }

    @Test
    void glitchRateOnHandBuiltLogits() {
        FlipFlopLanguageTask task = FlipFlopLanguageTask.of(16, 0.1);
        int v = task.vocabulary().size();
        Batch batch = task.sample(6, new SplittableRandom(8));
        Metrics perfect = task.evaluate(batch, TestLogits.perfect(batch, v), v);
        assertEquals(1.0, perfect.headline());
        assertEquals(0.0, perfect.scalar("glitch_rate"));

        int[] predicted = TestLogits.targetsOrZero(batch);
        int reads = batch.scoredCount();
        int flipped = 0;
        for (int i = 0; i < predicted.length && flipped < 3; i++) {
            if (batch.lossMask()[i] != 0) {
                predicted[i] = predicted[i] == FlipFlopLanguageTask.ONE ? FlipFlopLanguageTask.ZERO : FlipFlopLanguageTask.ONE;
                flipped++;
            }
        }
        Metrics m = task.evaluate(batch, TestLogits.oneHot(predicted, v, 2.0), v);
        assertEquals(3.0 / reads, m.scalar("glitch_rate"), 1e-12);
        assertEquals(1 - 3.0 / reads, m.headline(), 1e-12);
        assertEquals(reads, m.scalar("reads"));
    }

    @Test
    void parametersAreValidated() {
        assertEquals("length must be even (instruction-bit pairs), got 9",
                assertThrows(IllegalArgumentException.class, () -> FlipFlopLanguageTask.of(9, 0.8)).getMessage());
        assertEquals("p_ignore must be in [0.0, 1.0], got -0.1",
                assertThrows(IllegalArgumentException.class, () -> FlipFlopLanguageTask.of(8, -0.1)).getMessage());
        assertEquals(List.of("w", "r", "i", "0", "1"), FlipFlopLanguageTask.VOCABULARY.tokens());
    }
}
