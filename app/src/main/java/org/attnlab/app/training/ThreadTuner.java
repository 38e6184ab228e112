package org.attnlab.app.training;

/**
 * Picks how many threads a training step uses in the window by trying each candidate for a
 * short trial and keeping the fastest, then trying again now and then (the load changes: a
 * view opens, another program starts). The engine gives the same numbers bit for bit for 1 to
 * 4 threads, so switching changes speed only, never the run.
 *
 * <p>Why: on a machine with few cores the JavaFX renderer competes with the training threads.
 * A step split over every core then waits for whichever thread the renderer preempted, and one
 * thread fewer can be faster; for a larger model the split pays off anyway. Which wins depends
 * on the model and the machine, so it is measured, not guessed.
 *
 * <p>Not thread-safe: the training thread alone calls it.
 */
final class ThreadTuner {
    /** Length of one trial. */
    static final long TRIAL_NANOS = 400_000_000L;
    /** Time between two rounds of trials once a choice is made. */
    static final long RETUNE_NANOS = 20_000_000_000L;
    /** A longer time between two steps than this is a pause, not a slow step. */
    static final long GAP_NANOS = 250_000_000L;

    private final int max;
    private final double[] rates;
    private int current;
    private int trial;            // candidate under trial (1-based thread count), or 0 when settled
    private long trialStart;
    private long trialSteps;
    private long settledAt;
    private long lastEnd;

    /** @param max the most threads to try, at least 1 */
    ThreadTuner(int max) {
        this.max = Math.max(1, max);
        this.rates = new double[this.max + 1];
        restart();
    }

    /** Starts a new round of trials with the next step (a new model, or training resumed). */
    void restart() {
        trial = max;              // the largest first: after it, fewer threads must prove faster
        current = max;
        trialStart = 0;
        trialSteps = 0;
    }

    /** @return the thread count to use for the next step */
    int threads() {
        return current;
    }

    /**
     * Records one step and moves the trial on. A pause (a gap of more than {@link #GAP_NANOS}
     * since the previous step) starts the current trial over, so idle time is never measured.
     *
     * @param start {@link System#nanoTime()} before the step
     * @param now   {@link System#nanoTime()} after the step
     * @return the thread count for the next step
     */
    int stepped(long start, long now) {
        boolean gap = start - lastEnd > GAP_NANOS;
        lastEnd = now;
        if (max == 1) {
            return current;
        }
        if (gap) {
            trialStart = 0;
            trialSteps = 0;
        }
        if (trial == 0) {
            if (now - settledAt >= RETUNE_NANOS) {
                restart();
            }
            return current;
        }
        if (trialStart == 0) {              // the first step of a trial warms the new threads up: not counted
            trialStart = now;
            return current;
        }
        trialSteps++;
        if (now - trialStart >= TRIAL_NANOS) {
            rates[trial] = trialSteps * 1e9 / (now - trialStart);
            trial--;
            trialStart = 0;
            trialSteps = 0;
            if (trial == 0) {
                int best = max;
                for (int n = max - 1; n >= 1; n--) {
                    if (rates[n] > rates[best]) {
                        best = n;
                    }
                }
                current = best;
                settledAt = now;
            } else {
                current = trial;
            }
        }
        return current;
    }

    /** @return the steps per second each thread count reached in its last trial ({@code [0]} unused) */
    double[] rates() {
        return rates.clone();
    }
}
