package org.attnlab.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.attnlab.tools.jmh.TrainingStepBenchmark;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's step, run directly (not through JMH, which the build never runs): it trains,
 * so what JMH times is a real training step: on its fixed batch of random targets the loss
 * falls as the model memorises it.
 */
class TrainingStepBenchmarkTest {

    @Test
    void theTimedStepTrainsTheModel() {
        TrainingStepBenchmark b = new TrainingStepBenchmark();
        b.config = "tiny";
        b.threads = 2;
        b.seed = 1;
        b.setUp();
        double first = b.trainingStep();
        assertTrue(first > 3 && first < 5, "initial loss " + first + " (random init, vocabulary 32)");
        double last = first;
        for (int i = 0; i < 30; i++) {
            last = b.trainingStep();
        }
        System.out.printf("tiny, 31 steps: loss %.4f -> %.4f%n", first, last);
        assertTrue(Double.isFinite(last) && last < first - 0.1, "loss " + first + " -> " + last);
    }
}
