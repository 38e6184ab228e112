package org.attnlab.app.common;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.application.Platform;

/**
 * One analysis a view model keeps up to date (a logit lens, an ablation table, a forward trace),
 * computed off the JavaFX thread on the window's one shared analysis thread
 * ({@value #THREAD_NAME}, a low-priority daemon; {@link BackgroundPriority} renices it on Linux),
 * newest request only: a request replaces any of this job that has not started. A request has a
 * <em>scope</em>: what its result is about apart from the model that changes as training runs
 * (the run, the selected heads, the mode). A newer request of another scope makes a running one
 * stale (its {@code stale} test turns true, it may stop early, and its result is dropped); a newer
 * request of the same scope (only the model moved on) lets the running one finish and deliver,
 * then runs itself. Without that, an analysis slower than the snapshots would never be shown
 * while training runs. A result reaches the JavaFX thread (through {@link Platform#runLater})
 * only if it is newer than the last one delivered and its scope is still the current one. One
 * thread for all jobs, so analyses never compete with each other for the cores training uses.
 */
public final class AnalysisJob {
    /** The name of the shared analysis thread. */
    public static final String THREAD_NAME = BackgroundPriority.PREFIX + "analysis";

    private static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, THREAD_NAME);
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        return t;
    });

    private static final long MAX_REST_NANOS = 1_000_000_000L;
    /** How long the last analysis ran and when it ended (only the executor's thread writes them). */
    private static volatile long lastRunNanos, lastEndNanos;
    /** How many jobs wait for a result. */
    private static final AtomicInteger BUSY = new AtomicInteger();

    /** Counts requests. */
    private final AtomicLong generation = new AtomicLong();
    /** Counts scope changes and cancels: a request whose count is not the current one is stale. */
    private final AtomicLong scopeGeneration = new AtomicLong();
    private final AtomicReference<Runnable> pending = new AtomicReference<>();
    /** JavaFX thread only: the scope of the newest request, and the newest request delivered. */
    private Object scope = NO_SCOPE;
    private long delivered;
    private boolean busy;
    private static final Object NO_SCOPE = new Object();

    /**
     * Computes {@code work} in the background and hands the result to {@code done} on the JavaFX
     * thread, unless a newer request of this job came first (every request has a scope of its own);
     * a failure goes to {@code failed} likewise. Call on the JavaFX thread.
     *
     * @param work   given a "stale" test; may return null to deliver nothing
     * @param done   receives the result on the JavaFX thread
     * @param failed receives a {@link RuntimeException} thrown by {@code work}, on the JavaFX thread
     */
    public <T> void submit(Function<BooleanSupplier, T> work, Consumer<T> done, Consumer<RuntimeException> failed) {
        submit(new Object(), work, done, failed);
    }

    /**
     * Computes {@code work} in the background and hands the result to {@code done} on the JavaFX
     * thread, unless a request of another scope came meanwhile or a newer result was delivered
     * first; a failure goes to {@code failed} likewise. Call on the JavaFX thread.
     *
     * @param scope  what the result is about apart from the model (compared with {@code equals});
     *               a request of an equal scope does not stop a running one
     * @param work   given a "stale" test (true once the scope changed or the job was cancelled);
     *               may return null to deliver nothing
     * @param done   receives the result on the JavaFX thread
     * @param failed receives a {@link RuntimeException} thrown by {@code work}, on the JavaFX thread
     */
    public <T> void submit(Object scope, Function<BooleanSupplier, T> work, Consumer<T> done,
                           Consumer<RuntimeException> failed) {
        if (!scope.equals(this.scope)) {
            this.scope = scope;
            scopeGeneration.incrementAndGet();
        }
        long g = generation.incrementAndGet(), sg = scopeGeneration.get();
        BooleanSupplier stale = () -> scopeGeneration.get() != sg;
        setBusy(true);
        Runnable task = () -> {
            if (stale.getAsBoolean()) {
                return;
            }
            try {
                T result = work.apply(stale);
                Platform.runLater(() -> {
                    if (deliverable(g, stale)) {
                        if (result != null) {
                            done.accept(result);
                        }
                    }
                });
            } catch (RuntimeException e) {
                Platform.runLater(() -> {
                    if (deliverable(g, stale)) {
                        failed.accept(e);
                    }
                });
            }
        };
        // at most one request of this job waits in the executor's queue: a newer one replaces it
        // there, so a long analysis never piles up requests (each holds a parameter copy)
        if (pending.getAndSet(task) == null) {
            EXECUTOR.execute(() -> {
                // rest as long as the last analysis took (at most a second) before the next one:
                // while training, snapshots arrive faster than a table computes, and analyses
                // back to back would take a core from training and the window
                long rest = lastRunNanos - (System.nanoTime() - lastEndNanos);
                if (rest > 0) {
                    LockSupport.parkNanos(Math.min(rest, MAX_REST_NANOS));
                }
                Runnable next = pending.getAndSet(null);
                if (next != null) {
                    long start = System.nanoTime();
                    next.run();
                    lastEndNanos = System.nanoTime();
                    lastRunNanos = lastEndNanos - start;
                }
            });
        }
    }

    /** Drops the request waiting or running, if any: its result will not be delivered (JavaFX thread). */
    public void cancel() {
        generation.incrementAndGet();
        scopeGeneration.incrementAndGet();
        scope = NO_SCOPE;
        setBusy(false);
    }

    /**
     * JavaFX thread: whether the result of request {@code g} may be shown, and if so records it
     * (the job stays busy while a newer request of the same scope is still to come).
     */
    private boolean deliverable(long g, BooleanSupplier stale) {
        if (stale.getAsBoolean() || g <= delivered) {
            return false;
        }
        delivered = g;
        if (g == generation.get()) {
            setBusy(false);
        }
        return true;
    }

    private void setBusy(boolean b) {
        if (busy != b) {
            busy = b;
            BUSY.addAndGet(b ? 1 : -1);
        }
    }

    /** @return whether a request is waiting for its result (JavaFX thread) */
    public boolean busy() {
        return busy;
    }

    /**
     * @return how many jobs of the window wait for a result (JavaFX thread): 0 once every analysis
     *     asked for is on screen (tests wait for it before they look)
     */
    public static int busyJobs() {
        return BUSY.get();
    }
}
