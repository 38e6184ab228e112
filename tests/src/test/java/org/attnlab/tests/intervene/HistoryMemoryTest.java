package org.attnlab.tests.intervene;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.attnlab.engine.train.TrainingHistory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The training history's memory stays bounded while the window's training thread runs 100,000
 * steps of the smallest model ({@link HistoryMemoryBenchmark}, about 30 s);
 * {@code -Dattnlab.historySteps=N} changes the count.
 */
@Tag("slow")
class HistoryMemoryTest {
    @Test
    void heapStaysUnderTheCapWhileTrainingWithHistory() throws Exception {
        int steps = Integer.getInteger("attnlab.historySteps", 100_000);
        HistoryMemoryBenchmark.Result r = HistoryMemoryBenchmark.run(steps);
        System.out.println("HistoryMemoryTest: " + r + ", growth " + r.growth() + " bytes, cap " + r.cap());
        for (String preset : new String[] {"lego6", "induction", "flipflop16"}) {
            var p = org.attnlab.engine.train.Presets.byName(preset);
            System.out.printf("history bound of preset %s: %.1f MB%n", preset,
                    new TrainingHistory().maxBytes(p.config(), p.task().seqLen()) / 1e6);
        }
        assertTrue(r.steps() >= steps, "trained " + r.steps());
        assertTrue(r.moments() <= TrainingHistory.DEFAULT_CAPACITY && r.moments() >= TrainingHistory.DEFAULT_CAPACITY / 2,
                "moments " + r.moments());
        assertTrue(r.paramCopies() <= TrainingHistory.DEFAULT_PARAM_CAPACITY && r.paramCopies() >= 1);
        assertTrue(r.every() >= steps / TrainingHistory.DEFAULT_CAPACITY, "interval " + r.every());
        assertTrue(r.growth() <= r.cap(), "heap grew " + r.growth() + " bytes, cap " + r.cap());
    }
}
