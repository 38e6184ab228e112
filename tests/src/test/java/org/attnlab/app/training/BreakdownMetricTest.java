package org.attnlab.app.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.attnlab.engine.tasks.Metrics;
import org.junit.jupiter.api.Test;

/** Which evaluation metric the Training tab's breakdown chart shows ({@link RunState#breakdownOf}). */
class BreakdownMetricTest {
    private static Metrics metrics(String... namesWithLengths) {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int i = 0; i < namesWithLengths.length; i += 2) {
            m.put(namesWithLengths[i], new double[Integer.parseInt(namesWithLengths[i + 1])]);
        }
        return Metrics.of(m, namesWithLengths[0]);
    }

    @Test
    void inductionShowsTheLastLayersScorePerHead() {
        // the order eval prints them in: layer 0's per-head scores come first
        Metrics m = metrics("repeat_accuracy", "1", "induction_score.L0", "4", "prev_token_score.L0", "4",
                "induction_score_max.L0", "1", "induction_score.L1", "4", "prev_token_score.L1", "4");
        assertEquals("induction_score.L1", RunState.breakdownOf(m, 2));
        assertEquals("induction_score.L0", RunState.breakdownOf(m, 1), "a one-layer model: its only layer");
    }

    @Test
    void aPerPositionMetricComesFirst() {
        Metrics m = metrics("accuracy", "1", "score.L0", "2", "accuracy_per_chain_position", "6");
        assertEquals("accuracy_per_chain_position", RunState.breakdownOf(m, 1));
        assertNull(RunState.breakdownOf(metrics("accuracy", "1", "loss", "1"), 3), "nothing to break down");
    }
}
