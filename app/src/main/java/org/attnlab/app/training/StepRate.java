package org.attnlab.app.training;

/**
 * Steps per second while training, measured over windows of half a second (training thread
 * only). 0 while paused: {@link #clear()} restarts the measurement.
 */
final class StepRate {
    private static final long WINDOW_NANOS = 500_000_000L;
    private long windowStart;
    private long windowSteps;
    private double rate;

    /** Counts a step that ran from {@code start} to {@code end} ({@link System#nanoTime()}). */
    void stepped(long start, long end) {
        if (windowStart == 0) {
            windowStart = start;
        }
        windowSteps++;
        if (end - windowStart >= WINDOW_NANOS) {
            rate = windowSteps * 1e9 / (end - windowStart);
            windowStart = end;
            windowSteps = 0;
        }
    }

    /** @return the last window's steps per second, or 0 */
    double rate() {
        return rate;
    }

    /** Forgets the measurement (a new run, a pause). */
    void clear() {
        rate = 0;
        windowStart = 0;
        windowSteps = 0;
    }
}
