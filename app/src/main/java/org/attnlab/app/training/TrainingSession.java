package org.attnlab.app.training;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.attnlab.engine.train.Preset;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.Trainer;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.attnlab.engine.train.TrainingSettings;

/**
 * Owns the trainer and runs it on one background (daemon) thread; nothing else touches the
 * model. The JavaFX side talks to it in two ways only:
 * <ul>
 *   <li>volatile flags read before every step: {@link #play()}, {@link #pause()} (so a pause
 *   takes effect within one step) and the speed limit;</li>
 *   <li>commands queued to the thread and run between two steps: reset, step once, probe
 *   changes, save, open. Reset, save and open answer with a future.</li>
 * </ul>
 * The thread publishes an immutable {@link TrainingSnapshot} into an {@link AtomicReference}
 * at most every {@value #PUBLISH_MILLIS} ms (by default) while training (about once per frame) and after
 * every command; only then does it run the probe example through the model, so watching costs
 * little. {@link #latest()} is what the window's {@code AnimationTimer} reads. This class
 * imports no JavaFX: it never touches a node.
 */
public final class TrainingSession implements AutoCloseable {
    /** Default least time between two snapshots while training (and so between two probe forward passes). */
    public static final long PUBLISH_MILLIS = 50;
    private static final long RATE_WINDOW_NANOS = 500_000_000L;
    private static final long IDLE_POLL_MILLIS = 100;

    private final LinkedBlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
    private final AtomicReference<TrainingSnapshot> latest = new AtomicReference<>();
    /**
     * The most threads a training step uses in the window: the machine's cores, at most 4. The
     * {@link ThreadTuner} measures which count is fastest under the window's load (on 2 cores the
     * renderer competes with the training threads) and uses it; results do not depend on it (1 to
     * 4 threads give the same numbers bit for bit). The system property
     * {@code attnlab.trainingThreads} fixes the count instead (for measuring).
     */
    static final int MAX_TRAINING_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private static final Integer FIXED_THREADS = Integer.getInteger("attnlab.trainingThreads");

    private final Thread thread;
    private final long minPublishNanos;
    private volatile long publishNanos;
    /**
     * The checkpoint the current run was opened from.
     *
     * @param path        the file
     * @param weightsOnly whether it held the weights only (saved with {@code train --no-optimizer}):
     *                    training on starts a fresh AdamW optimizer rather than continuing the saved one
     */
    public record Opened(Path path, boolean weightsOnly) {
    }

    private volatile Opened opened;
    private volatile boolean running;
    private volatile boolean closed;
    private volatile double maxStepsPerSecond;          // 0: as fast as possible

    // ---- touched by the training thread only ----
    private final RunState run = new RunState();
    private final ThreadTuner tuner = new ThreadTuner(FIXED_THREADS != null ? 1 : MAX_TRAINING_THREADS);
    private long pauseAt;
    private boolean finished;
    private long lastPublish;
    private long nextStepAt;
    private long rateWindowStart;
    private long rateWindowSteps;
    private double rate;

    /**
     * Starts the training thread, paused, building the model of {@code initial} on it.
     *
     * @param initial the first run
     */
    public TrainingSession(RunSetup initial) {
        this(initial, PUBLISH_MILLIS);
    }

    /**
     * @param initial       the first run
     * @param publishMillis least time between two snapshots while training, at least 1
     */
    public TrainingSession(RunSetup initial, long publishMillis) {
        Objects.requireNonNull(initial, "initial");
        if (publishMillis < 1) {
            throw new IllegalArgumentException("publishMillis must be at least 1");
        }
        this.minPublishNanos = publishMillis * 1_000_000L;
        this.publishNanos = minPublishNanos;
        commands.add(() -> install(initial, new Trainer(initial.task(), initial.config(), initial.settings()), null));
        thread = new Thread(this::loop, "attnlab-training");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return the newest snapshot, or {@code null} before the first one */
    public TrainingSnapshot latest() {
        return latest.get();
    }

    /** Starts (or continues) training; past the schedule's end it continues at the floor learning rate. */
    public void play() {
        commands.add(() -> {
            if (finished) {
                finished = false;
                pauseAt = Long.MAX_VALUE;
            }
        });
        running = true;
    }

    /** Stops training before the next step. */
    public void pause() {
        running = false;
        commands.add(() -> { });       // wake the thread so that the paused state is published
    }

    /** @return whether training is playing (the thread clears it at the schedule's end) */
    public boolean isRunning() {
        return running;
    }

    /** Pauses and takes exactly one step. */
    public void stepOnce() {
        running = false;
        commands.add(run::step);
    }

    /** @param stepsPerSecond the most steps per second, or 0 for as fast as possible */
    public void setMaxStepsPerSecond(double stepsPerSecond) {
        maxStepsPerSecond = Math.max(0, stepsPerSecond);
    }

    /**
     * Pauses and starts a fresh model.
     *
     * @return completes with {@code next} once the new model is in place, or exceptionally (the
     *     current model then stays)
     */
    public CompletableFuture<RunSetup> reset(RunSetup next) {
        running = false;
        CompletableFuture<RunSetup> done = new CompletableFuture<>();
        commands.add(() -> {
            try {
                install(next, new Trainer(next.task(), next.config(), next.settings()), null);
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
        publishNanos = Math.max(minPublishNanos, nanos);
    }

    /** @return the least time between two snapshots while training, in nanoseconds */
    public long publishInterval() {
        return publishNanos;
    }

    /** Draws a new probe example from the task. */
    public void regenerateProbe() {
        commands.add(run::drawProbe);
    }

    /**
     * Uses typed token ids as the probe. Ids equal to the current probe's keep its targets; ids
     * that no longer fit the model (validated against an older one) are ignored.
     */
    public void setProbe(int[] tokens) {
        int[] copy = tokens.clone();
        commands.add(() -> run.typedProbe(copy));
    }

    /**
     * Saves the model, optimizer, task and step, and the training history next to it
     * ({@link org.attnlab.engine.train.TrainingHistoryFile}), between two steps.
     *
     * @return completes with the path, or exceptionally with the I/O error
     */
    public CompletableFuture<Path> save(Path path) {
        CompletableFuture<Path> done = new CompletableFuture<>();
        commands.add(() -> {
            try {
                TrainingCheckpoints.save(path, run.trainer(), run.setup().presetName(), run.history());
                done.complete(path);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /**
     * Opens a checkpoint and continues from it, paused. The training settings are those of the
     * preset named in the checkpoint (else the task's default preset); the probe stays if the
     * task is the same.
     *
     * @return completes with the new setup, or exceptionally with the file's one-line error
     *     (the current model then keeps going as before)
     */
    public CompletableFuture<RunSetup> open(Path path) {
        CompletableFuture<RunSetup> done = new CompletableFuture<>();
        commands.add(() -> {
            try {
                TrainingCheckpoints.Loaded loaded = TrainingCheckpoints.load(path);
                Preset p = presetOf(loaded);
                TrainingSettings s = p.training();
                RunSetup next = new RunSetup(p.name(), loaded.task(), loaded.checkpoint().config(), s);
                Trainer t = loaded.resume(s);
                running = false;
                install(next, t, new Opened(path, loaded.weightsOnly()));
                restoreHistory(path, loaded);
                done.complete(next);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** Takes the history saved next to an opened checkpoint, if any; a broken one is reported, not fatal. */
    private void restoreHistory(Path path, TrainingCheckpoints.Loaded loaded) {
        try {
            TrainingCheckpoints.history(path, loaded).ifPresent(run::restoreHistory);
        } catch (Exception e) {
            run.error("The training history next to the checkpoint was not restored: " + oneLine(e));
        }
    }

    private static Preset presetOf(TrainingCheckpoints.Loaded loaded) {
        String name = loaded.checkpoint().metadata().get("preset");
        if (name != null) {
            try {
                Preset p = Presets.byName(name);
                if (p.taskName().equals(loaded.task().name())) {
                    return p;
                }
            } catch (IllegalArgumentException e) {
                // a preset this version does not know: use the task's default
            }
        }
        return Presets.forTask(loaded.task().name());
    }

    /** @return the checkpoint the current run was opened from, or null (a fresh or reset model) */
    public Opened opened() {
        return opened;
    }

    /** Stops the thread (waits up to a second). */
    @Override
    public void close() {
        closed = true;
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- the training thread

    private void install(RunSetup next, Trainer t, Opened from) {
        opened = from;                      // before the run's first snapshot, which the window reads it with
        tuner.restart();
        t.setThreads(FIXED_THREADS != null ? Math.max(1, FIXED_THREADS) : tuner.threads());
        Presets.find(next.presetName()).ifPresent(p -> p.configure(t));   // its curriculum (sharing is in the config)
        run.install(next, t, next.sameTask(run.setup()));
        int steps = next.settings().steps();
        pauseAt = t.stepCount() >= steps ? Long.MAX_VALUE : steps;   // an opened, finished run plays on
        finished = false;
        rate = 0;
        rateWindowStart = 0;
        rateWindowSteps = 0;
    }

    private void loop() {
        while (!closed) {
            try {
                boolean changed = drainCommands();
                if (!run.ready()) {
                    changed |= runCommand(commands.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS));
                } else if (running && run.trainer().stepCount() >= pauseAt) {
                    running = false;
                    finished = true;
                    publish();
                } else if (running) {
                    long wait = throttle();
                    if (wait > 0) {
                        changed |= runCommand(commands.poll(wait, TimeUnit.NANOSECONDS));
                    } else {
                        step();
                    }
                    if (changed || System.nanoTime() - lastPublish >= publishNanos) {
                        publish();
                    }
                } else {
                    if (changed || rate != 0) {
                        rate = 0;
                        rateWindowSteps = 0;
                        rateWindowStart = 0;
                        publish();
                    }
                    if (runCommand(commands.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS))) {
                        drainCommands();
                        publish();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) {      // a diverged step or a bug: pause, say so, keep the thread alive
                running = false;
                run.error(oneLine(e));
                if (run.ready()) {
                    publish();
                }
            }
        }
    }

    private boolean drainCommands() {
        boolean any = false;
        Runnable c;
        while ((c = commands.poll()) != null) {
            any |= runCommand(c);
        }
        return any;
    }

    private static boolean runCommand(Runnable c) {
        if (c == null) {
            return false;
        }
        c.run();
        return true;
    }

    /** @return nanoseconds to wait before the next step under the speed limit, or 0 */
    private long throttle() {
        double limit = maxStepsPerSecond;
        long now = System.nanoTime();
        if (limit <= 0) {
            return 0;
        }
        long interval = (long) (1e9 / limit);
        if (nextStepAt - now > interval) {
            nextStepAt = now + interval;      // the limit was lowered: do not keep the old schedule
        }
        return Math.max(0, nextStepAt - now);
    }

    private void step() {
        long start = System.nanoTime();
        run.step();
        double limit = maxStepsPerSecond;
        if (limit > 0) {
            nextStepAt = Math.max(nextStepAt, start) + (long) (1e9 / limit);
        }
        long end = System.nanoTime();
        if (limit <= 0 && FIXED_THREADS == null) {        // under a speed limit the rate says nothing
            run.trainer().setThreads(tuner.stepped(start, end));
        }
        if (rateWindowStart == 0) {
            rateWindowStart = start;
        }
        rateWindowSteps++;
        if (end - rateWindowStart >= RATE_WINDOW_NANOS) {
            rate = rateWindowSteps * 1e9 / (end - rateWindowStart);
            rateWindowStart = end;
            rateWindowSteps = 0;
        }
    }

    private void publish() {
        latest.set(run.snapshot(running, finished, rate));
        lastPublish = System.nanoTime();
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return m.replace('\n', ' ');
    }
}
