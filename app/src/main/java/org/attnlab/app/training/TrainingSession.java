package org.attnlab.app.training;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.attnlab.engine.train.RunSpec;
import org.attnlab.engine.train.Trainer;

/**
 * Owns the trainer and runs it on one background (daemon) thread ({@link TrainingLoop}); nothing
 * else touches the model. The JavaFX side talks to it in two ways only:
 * <ul>
 *   <li>volatile flags read before every step: {@link #play()}, {@link #pause()} (so a pause
 *   takes effect within one step) and the speed limit;</li>
 *   <li>commands queued to the thread and run between two steps: reset, step once, probe
 *   changes, save, open ({@link CheckpointCommands}). Reset, save and open answer with a future.</li>
 * </ul>
 * The thread publishes an immutable {@link TrainingSnapshot} ({@link SnapshotPublisher}) at most
 * every {@value #PUBLISH_MILLIS} ms (by default) while training (about once per frame) and after
 * every command; only then does it run the probe example through the model, so watching costs
 * little. {@link #latest()} is what the window's {@code AnimationTimer} reads. A run is a
 * {@link RunSpec}: a reset trains a fresh model of one, an opened checkpoint continues its own.
 * This class imports no JavaFX: it never touches a node.
 */
public final class TrainingSession implements AutoCloseable {
    /** Default least time between two snapshots while training (and so between two probe forward passes). */
    public static final long PUBLISH_MILLIS = 50;
    /**
     * The most threads a training step uses in the window: the machine's cores, at most 4. The
     * {@link ThreadTuner} measures which count is fastest under the window's load (on 2 cores the
     * renderer competes with the training threads) and uses it; results do not depend on it (1 to
     * 4 threads give the same numbers bit for bit). The system property
     * {@code attnlab.trainingThreads} fixes the count instead (for measuring).
     */
    static final int MAX_TRAINING_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private static final Integer FIXED_THREADS = Integer.getInteger("attnlab.trainingThreads");

    /**
     * The checkpoint the current run was opened from.
     *
     * @param path        the file
     * @param weightsOnly whether it held the weights only (saved with {@code train --no-optimizer}):
     *                    training on starts a fresh AdamW optimizer rather than continuing the saved one
     */
    public record Opened(Path path, boolean weightsOnly) {
    }

    private final SnapshotPublisher snapshots;
    private final TrainingLoop loop;

    /**
     * Starts the training thread, paused, building the model of {@code initial} on it.
     *
     * @param initial the first run
     */
    public TrainingSession(RunSpec initial) {
        this(initial, PUBLISH_MILLIS);
    }

    /**
     * @param initial       the first run
     * @param publishMillis least time between two snapshots while training, at least 1
     */
    public TrainingSession(RunSpec initial, long publishMillis) {
        Objects.requireNonNull(initial, "initial");
        snapshots = new SnapshotPublisher(publishMillis);
        loop = new TrainingLoop(snapshots, FIXED_THREADS, MAX_TRAINING_THREADS);
        loop.submit(() -> loop.install(new Trainer(initial), null));
        loop.start();
    }

    /** @return the newest snapshot, or {@code null} before the first one */
    public TrainingSnapshot latest() {
        return snapshots.latest();
    }

    /** Starts (or continues) training; past the schedule's end it continues at the floor learning rate. */
    public void play() {
        loop.play();
    }

    /** Stops training before the next step. */
    public void pause() {
        loop.pause();
    }

    /** @return whether training is playing (the thread clears it at the schedule's end) */
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** Pauses and takes exactly one step. */
    public void stepOnce() {
        loop.stepOnce();
    }

    /** @param stepsPerSecond the most steps per second, or 0 for as fast as possible */
    public void setMaxStepsPerSecond(double stepsPerSecond) {
        loop.setMaxStepsPerSecond(stepsPerSecond);
    }

    /**
     * Pauses and starts a fresh model of {@code next} (its seed, settings and curriculum).
     *
     * @return completes with {@code next} once the new model is in place, or exceptionally (the
     *     current model then stays)
     */
    public CompletableFuture<RunSpec> reset(RunSpec next) {
        Objects.requireNonNull(next, "next");
        loop.stop();
        CompletableFuture<RunSpec> done = new CompletableFuture<>();
        loop.submit(() -> {
            try {
                loop.install(new Trainer(next), null);
                done.complete(next);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /**
     * Spaces snapshots further apart while training, e.g. because drawing them costs the window
     * more than it should take from training (see {@link SnapshotTimer}).
     *
     * @param nanos the least time between two snapshots; below the interval the session was made
     *     with, that interval is used
     */
    public void setPublishInterval(long nanos) {
        snapshots.setInterval(nanos);
    }

    /** @return the least time between two snapshots while training, in nanoseconds */
    public long publishInterval() {
        return snapshots.interval();
    }

    /** Draws a new probe example from the task. */
    public void regenerateProbe() {
        loop.submit(() -> loop.run().drawProbe());
    }

    /**
     * Uses typed token ids as the probe. Ids equal to the current probe's keep its targets; ids
     * that no longer fit the model (validated against an older one) are ignored.
     */
    public void setProbe(int[] tokens) {
        int[] copy = tokens.clone();
        loop.submit(() -> loop.run().typedProbe(copy));
    }

    /**
     * Saves the model, optimizer, run spec and step, and the training history next to it
     * ({@link org.attnlab.engine.train.TrainingHistoryFile}), between two steps.
     *
     * @return completes with the path, or exceptionally with the I/O error
     */
    public CompletableFuture<Path> save(Path path) {
        CompletableFuture<Path> done = new CompletableFuture<>();
        loop.submit(() -> {
            try {
                CheckpointCommands.save(path, loop.run());
                done.complete(path);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /**
     * Opens a checkpoint and continues its run, paused: the run spec it stores (task, model,
     * training settings, curriculum, target), or for an older checkpoint the spec rebuilt from
     * its preset ({@link org.attnlab.engine.train.TrainingCheckpoints}); the probe stays if the
     * task is the same.
     *
     * @return completes with the run, or exceptionally with the file's one-line error (the current
     *     model then keeps going as before)
     */
    public CompletableFuture<RunSpec> open(Path path) {
        CompletableFuture<RunSpec> done = new CompletableFuture<>();
        loop.submit(() -> {
            try {
                CheckpointCommands.Opening o = CheckpointCommands.open(path);
                loop.stop();
                loop.install(o.trainer(), o.opened());
                CheckpointCommands.restoreHistory(path, o.loaded(), loop.run());
                done.complete(o.trainer().spec());
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** @return the checkpoint the current run was opened from, or null (a fresh or reset model) */
    public Opened opened() {
        return loop.opened();
    }

    /** Stops the thread (waits up to a second). */
    @Override
    public void close() {
        loop.close();
    }
}
