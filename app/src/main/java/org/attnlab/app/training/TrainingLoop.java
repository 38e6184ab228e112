package org.attnlab.app.training;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.attnlab.engine.train.Trainer;

/**
 * The training thread of a {@link TrainingSession}: one background (daemon) thread that owns
 * the {@link RunState} and runs, in a loop, the commands queued to it (between two steps),
 * training steps while playing (under the speed limit), and snapshot publishing
 * ({@link SnapshotPublisher}). The JavaFX side only queues commands and sets the volatile flags
 * (playing, speed limit), which the thread reads before every step.
 */
final class TrainingLoop {
    private static final long IDLE_POLL_MILLIS = 100;

    private final LinkedBlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
    private final SnapshotPublisher snapshots;
    private final Integer fixedThreads;
    private final Thread thread;
    private volatile TrainingSession.Opened opened;
    private volatile boolean running;
    private volatile boolean closed;
    private volatile double maxStepsPerSecond;          // 0: as fast as possible

    // ---- touched by the training thread only ----
    private final RunState run = new RunState();
    private final ThreadTuner tuner;
    private final StepRate rate = new StepRate();
    private long pauseAt;
    private boolean finished;
    private long nextStepAt;

    /**
     * @param fixedThreads the thread count of every step, or {@code null} to let a {@link ThreadTuner}
     *                     choose up to {@code maxThreads}
     */
    TrainingLoop(SnapshotPublisher snapshots, Integer fixedThreads, int maxThreads) {
        this.snapshots = snapshots;
        this.fixedThreads = fixedThreads;
        this.tuner = new ThreadTuner(fixedThreads != null ? 1 : maxThreads);
        thread = new Thread(this::loop, "attnlab-training");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues {@code c} to run on the training thread between two steps. */
    void submit(Runnable c) {
        commands.add(c);
    }

    /** @return the run (training thread only) */
    RunState run() {
        return run;
    }

    /** @return the checkpoint the current run was opened from, or null */
    TrainingSession.Opened opened() {
        return opened;
    }

    /** Starts (or continues) training; past the schedule's end it continues at the floor learning rate. */
    void play() {
        submit(() -> {
            if (finished) {
                finished = false;
                pauseAt = Long.MAX_VALUE;
            }
        });
        running = true;
    }

    /** Stops training before the next step. */
    void pause() {
        running = false;
        submit(() -> { });       // wake the thread so that the paused state is published
    }

    /** Stops training before the next step without waking the thread (a command follows). */
    void stop() {
        running = false;
    }

    boolean isRunning() {
        return running;
    }

    /** Pauses and takes exactly one step. */
    void stepOnce() {
        running = false;
        submit(run::step);
    }

    void setMaxStepsPerSecond(double stepsPerSecond) {
        maxStepsPerSecond = Math.max(0, stepsPerSecond);
    }

    /**
     * Makes {@code t} the current run (training thread): its threads, its probe, paused at the
     * end of its schedule (an opened run already past it plays on).
     *
     * @param from the checkpoint it was opened from, or null
     */
    void install(Trainer t, TrainingSession.Opened from) {
        opened = from;                      // before the run's first snapshot, which the window reads it with
        tuner.restart();
        t.setThreads(fixedThreads != null ? Math.max(1, fixedThreads) : tuner.threads());
        run.install(t, t.spec().sameTask(run.spec()));
        int steps = t.spec().training().steps();
        pauseAt = t.stepCount() >= steps ? Long.MAX_VALUE : steps;
        finished = false;
        rate.clear();
    }

    /** Stops the thread (waits up to a second). */
    void close() {
        closed = true;
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
                    if (changed || snapshots.due()) {
                        publish();
                    }
                } else {
                    if (changed || rate.rate() != 0) {
                        rate.clear();
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
        if (limit <= 0 && fixedThreads == null) {        // under a speed limit the rate says nothing
            run.trainer().setThreads(tuner.stepped(start, end));
        }
        rate.stepped(start, end);
    }

    private void publish() {
        snapshots.publish(run.snapshot(running, finished, rate.rate()));
    }

    /** @return the exception's message on one line, or its class name */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return m.replace('\n', ' ');
    }
}
