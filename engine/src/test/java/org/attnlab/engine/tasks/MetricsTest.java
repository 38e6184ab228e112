package org.attnlab.engine.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void keepsOrderAndCopies() {
        Map<String, double[]> in = new LinkedHashMap<>();
        double[] perPosition = {0.5, 1.0};
        in.put("zeta", new double[] {3});
        in.put("accuracy", new double[] {0.75});
        in.put("accuracy_per_position", perPosition);
        Metrics m = Metrics.of(in, "accuracy");
        perPosition[0] = 99; // the caller's array is copied in
        m.get("accuracy_per_position")[1] = 99; // and copied out
        m.values().get("accuracy_per_position")[1] = 99;

        assertEquals(List.of("zeta", "accuracy", "accuracy_per_position"), List.copyOf(m.names()));
        assertArrayEquals(new double[] {0.5, 1.0}, m.get("accuracy_per_position"));
        assertEquals(0.75, m.headline());
        assertEquals("accuracy", m.headlineName());
        assertEquals(3.0, m.scalar("zeta"));
        perPosition[0] = 0.5;
        assertEquals(m, Metrics.of(in, "accuracy"));
        assertEquals(m.hashCode(), Metrics.of(in, "accuracy").hashCode());
    }

    @Test
    void rejectsInconsistentHeadlinesAndUnknownNames() {
        Map<String, double[]> in = Map.of("accuracy", new double[] {0.5}, "curve", new double[] {1, 2});
        assertThrows(IllegalArgumentException.class, () -> new Metrics(in, "accuracy", 0.4));
        assertThrows(IllegalArgumentException.class, () -> new Metrics(in, "loss", 0.5));
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(in, "curve"));
        Metrics m = Metrics.of(in, "accuracy");
        assertThrows(IllegalArgumentException.class, () -> m.scalar("curve"));
        assertThrows(IllegalArgumentException.class, () -> m.get("loss"));
        assertThrows(UnsupportedOperationException.class, () -> m.values().put("x", new double[1]));
    }
}
