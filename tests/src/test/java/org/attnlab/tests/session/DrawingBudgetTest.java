package org.attnlab.tests.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.attnlab.app.training.DrawingBudget;
import org.junit.jupiter.api.Test;

/**
 * The drawing budget spaces snapshots so that drawing them takes {@link DrawingBudget#SHARE} of a
 * core: the interval it asks for is the measured CPU per snapshot divided by that share, at most
 * 1 / {@link DrawingBudget#MIN_PER_SECOND} s, and it only speaks up when the interval changes.
 */
class DrawingBudgetTest {
    private static final long MS = 1_000_000L;

    /** Runs {@code seconds} one-second windows of 60 frames, 10 of them drawing a snapshot. */
    private static List<Long> run(long cpuPerSnapshotNanos, int seconds) {
        List<Long> asked = new ArrayList<>();
        AtomicLong cpu = new AtomicLong();
        DrawingBudget b = new DrawingBudget(asked::add, cpu::get);
        long now = 1;
        for (int f = 0; f <= 60 * seconds; f++) {
            boolean draws = f % 6 == 0;
            if (draws) {
                cpu.addAndGet(cpuPerSnapshotNanos);
            }
            b.frame(now, draws);
            now += 1_000_000_000L / 60;
        }
        return asked;
    }

    @Test
    void intervalIsTheCostPerSnapshotOverTheShare() {
        List<Long> asked = run(12 * MS, 3);
        assertEquals(1, asked.size(), "asked once, then the same interval is not repeated: " + asked);
        assertEquals(12 * MS / DrawingBudget.SHARE, asked.get(0), 2 * MS);
    }

    @Test
    void expensiveDrawingStillGetsTheMinimumRate() {
        List<Long> asked = run(80 * MS, 2);
        assertEquals(1_000_000_000L / DrawingBudget.MIN_PER_SECOND, asked.get(asked.size() - 1), MS);
    }

    @Test
    void cheapDrawingAsksForShortIntervals() {
        List<Long> asked = run(2 * MS, 2);
        assertEquals(2 * MS / DrawingBudget.SHARE, asked.get(0), MS);
    }
}
