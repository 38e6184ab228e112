package org.attnlab.app.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The window's thread tuner, driven by a fake clock: each thread count takes a fixed time per step. */
class ThreadTunerTest {
    private static final long MS = 1_000_000L;

    /** Steps the tuner for {@code nanos} of fake time where {@code n} threads take {@code perStep[n]} ns a step. */
    private static long run(ThreadTuner tuner, long now, long nanos, long[] perStep) {
        long end = now + nanos;
        while (now < end) {
            long start = now;
            now += perStep[tuner.threads()];
            tuner.stepped(start, now);
        }
        return now;
    }

    @Test
    void keepsTheFasterCountAfterOneTrialEach() {
        ThreadTuner tuner = new ThreadTuner(2);
        assertEquals(2, tuner.threads(), "the first trial uses every thread");
        long now = run(tuner, 1_000 * MS, 2 * ThreadTuner.TRIAL_NANOS + 50 * MS, new long[] {0, 4 * MS, 10 * MS});
        assertEquals(1, tuner.threads(), "one thread at 250 steps/s beats two at 100 steps/s");
        double[] rates = tuner.rates();
        assertEquals(100, rates[2], 3);
        assertEquals(250, rates[1], 3);

        ThreadTuner other = new ThreadTuner(2);
        run(other, now, 2 * ThreadTuner.TRIAL_NANOS + 50 * MS, new long[] {0, 10 * MS, 4 * MS});
        assertEquals(2, other.threads(), "two threads at 250 steps/s beat one at 100 steps/s");
    }

    @Test
    void triesAgainAfterTheRetuneIntervalAndFollowsTheLoad() {
        ThreadTuner tuner = new ThreadTuner(2);
        long now = run(tuner, 1_000 * MS, 2 * ThreadTuner.TRIAL_NANOS + 50 * MS, new long[] {0, 4 * MS, 10 * MS});
        assertEquals(1, tuner.threads());
        // the load changes: now two threads are faster; after the retune interval the tuner finds it
        now = run(tuner, now, ThreadTuner.RETUNE_NANOS + 2 * ThreadTuner.TRIAL_NANOS + 100 * MS,
                new long[] {0, 10 * MS, 4 * MS});
        assertEquals(2, tuner.threads());
    }

    @Test
    void aPauseIsNotMeasured() {
        ThreadTuner tuner = new ThreadTuner(2);
        long[] perStep = {0, 5 * MS, 5 * MS};
        long now = run(tuner, 1_000 * MS, 100 * MS, perStep);
        now += 3_000 * MS;                              // paused for 3 s in the middle of the first trial
        run(tuner, now, 2 * ThreadTuner.TRIAL_NANOS + 50 * MS, perStep);
        assertEquals(200, tuner.rates()[2], 3, "the pause would have dragged this trial's rate near 0");
        assertArrayEquals(new double[] {0, 200, 200}, tuner.rates(), 3);
    }

    @Test
    void oneCoreNeverSwitches() {
        ThreadTuner tuner = new ThreadTuner(1);
        run(tuner, 1_000 * MS, 5 * ThreadTuner.TRIAL_NANOS, new long[] {0, 5 * MS});
        assertEquals(1, tuner.threads());
    }
}
