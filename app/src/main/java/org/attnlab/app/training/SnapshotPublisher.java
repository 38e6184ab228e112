package org.attnlab.app.training;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the training thread leaves its {@link TrainingSnapshot}s for the window: the newest one
 * in an {@link AtomicReference}, published at most every publish interval while training (about
 * once per frame) and after every command. The window's {@code AnimationTimer} reads
 * {@link #latest()}; the interval can be widened when drawing costs the window too much
 * ({@link SnapshotTimer}).
 */
final class SnapshotPublisher {
    private final AtomicReference<TrainingSnapshot> latest = new AtomicReference<>();
    private final long minPublishNanos;
    private volatile long publishNanos;
    private long lastPublish;                  // training thread only

    /** @param publishMillis least time between two snapshots while training, at least 1 */
    SnapshotPublisher(long publishMillis) {
        if (publishMillis < 1) {
            throw new IllegalArgumentException("publishMillis must be at least 1");
        }
        this.minPublishNanos = publishMillis * 1_000_000L;
        this.publishNanos = minPublishNanos;
    }

    /** @return the newest snapshot, or {@code null} before the first one */
    TrainingSnapshot latest() {
        return latest.get();
    }

    /** Publishes {@code s} (training thread). */
    void publish(TrainingSnapshot s) {
        latest.set(s);
        lastPublish = System.nanoTime();
    }

    /** @return whether the publish interval has passed since the last snapshot (training thread) */
    boolean due() {
        return System.nanoTime() - lastPublish >= publishNanos;
    }

    /** @param nanos the least time between two snapshots; below the session's own interval, that one */
    void setInterval(long nanos) {
        publishNanos = Math.max(minPublishNanos, nanos);
    }

    /** @return the least time between two snapshots while training, in nanoseconds */
    long interval() {
        return publishNanos;
    }
}
