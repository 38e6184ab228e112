package org.attnlab.app.training;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Keeps what the window spends on drawing training snapshots within a share of one core, so that
 * training in the window runs nearly as fast as headless: once a second it measures the CPU the
 * JavaFX thread and the renderer used per snapshot drawn, and asks the training session to space
 * snapshots so that drawing takes at most {@value #SHARE} of a core (never fewer than
 * {@value #MIN_PER_SECOND} snapshots a second). A window of small views on a fast machine keeps
 * the session's own rate; a projector PC drawing in software gets fewer, equally live, frames.
 *
 * <p>Called on the JavaFX thread only.
 */
public final class DrawingBudget {
    /** The share of one core the window may spend drawing snapshots while training. */
    public static final double SHARE = 0.10;
    /** The fewest snapshots a second while training. */
    public static final int MIN_PER_SECOND = 3;
    private static final long MEASURE_NANOS = 1_000_000_000L;

    private final LongConsumer interval;
    private final LongSupplier drawingCpu;
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private long windowStart, cpu0;
    private int drawn;
    private long lastInterval = -1;

    /** @param interval receives the least time between snapshots, in nanoseconds */
    public DrawingBudget(LongConsumer interval) {
        this.interval = interval;
        this.drawingCpu = () -> mx.getCurrentThreadCpuTime() + rendererCpu();
    }

    /**
     * @param interval   receives the least time between snapshots, in nanoseconds
     * @param drawingCpu CPU nanoseconds used so far by the threads that draw (tests pass their own)
     */
    public DrawingBudget(LongConsumer interval, LongSupplier drawingCpu) {
        this.interval = interval;
        this.drawingCpu = drawingCpu;
    }

    /**
     * Called once per frame on the JavaFX thread (public for tests).
     *
     * @param now      the frame's time stamp (nanoseconds)
     * @param drewOne  whether this frame handed a new snapshot of a running model to the views
     */
    public void frame(long now, boolean drewOne) {
        if (drewOne) {
            drawn++;
        }
        if (windowStart == 0) {
            start(now);
            return;
        }
        if (now - windowStart < MEASURE_NANOS) {
            return;
        }
        if (drawn >= 2) {
            long cpu = drawingCpu.getAsLong() - cpu0;
            double perSnapshot = (double) cpu / drawn;
            long next = (long) Math.min(1e9 / MIN_PER_SECOND, perSnapshot / SHARE);
            if (lastInterval < 0 || Math.abs(next - lastInterval) > lastInterval / 5) {
                lastInterval = next;
                interval.accept(next);
            }
        }
        start(now);
    }

    /** @return the interval last asked for, in nanoseconds, or -1 */
    public long lastInterval() {
        return lastInterval;
    }

    private void start(long now) {
        windowStart = now;
        drawn = 0;
        cpu0 = drawingCpu.getAsLong();
    }

    /** The render thread's id once found (0: none), or -1 before the first look. */
    private static volatile long rendererId = -1;

    /** @return CPU nanoseconds used by the JavaFX render thread so far, or 0 if unknown */
    public static long rendererCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (rendererId < 0) {
            long id = 0;
            for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (info != null && info.getThreadName().startsWith("QuantumRenderer")) {
                    id = info.getThreadId();
                }
            }
            rendererId = id;
        }
        return rendererId > 0 ? Math.max(0, mx.getThreadCpuTime(rendererId)) : 0;
    }
}
