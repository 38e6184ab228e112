package org.attnlab.tests.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import org.attnlab.app.common.AnalysisJob;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

/**
 * {@link AnalysisJob}'s delivery rules: an analysis slower than the requests that keep coming for
 * the same scope (the ablation table while training runs) is still shown, in order; a request of
 * another scope stops the running one and drops its result.
 */
@Tag("ui")
class AnalysisJobTest {
    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    /** Runs {@code r} on the JavaFX thread and waits for it. */
    private static void fx(Runnable r) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> {
            r.run();
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
    }

    @Test
    void aSlowAnalysisIsShownWhileRequestsOfItsScopeKeepComing() throws Exception {
        AnalysisJob job = new AnalysisJob();
        List<Integer> shown = new CopyOnWriteArrayList<>();
        // each analysis takes 150 ms; a new request (a newer model, same scope) comes every 30 ms
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        int n = 0;
        while (System.nanoTime() < end) {
            int request = ++n;
            fx(() -> job.submit("table of run 1", stale -> {
                sleep(150);
                return request;
            }, shown::add, e -> { }));
            Thread.sleep(30);
        }
        int last = n;
        long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!shown.contains(last) && System.nanoTime() < wait) {
            Thread.sleep(20);
        }
        // before scopes, every request made the running one stale: nothing was shown until the
        // requests stopped; now results come while they keep coming, newest last
        assertTrue(shown.size() >= 3, "results shown while requests kept coming: " + shown);
        assertEquals(last, shown.get(shown.size() - 1), "the newest request is shown last: " + shown);
        for (int i = 1; i < shown.size(); i++) {
            assertTrue(shown.get(i) > shown.get(i - 1), "results in request order: " + shown);
        }
        boolean[] busy = new boolean[1];
        fx(() -> busy[0] = job.busy());
        assertFalse(busy[0], "not busy once the newest result is shown");
    }

    @Test
    void aRequestOfAnotherScopeStopsTheRunningOneAndDropsItsResult() throws Exception {
        AnalysisJob job = new AnalysisJob();
        List<String> shown = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1), stopped = new CountDownLatch(1);
        fx(() -> job.submit("run 1", stale -> {
            started.countDown();
            while (!stale.getAsBoolean()) {
                sleep(5);
            }
            stopped.countDown();
            return "run 1";
        }, shown::add, e -> { }));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        fx(() -> job.submit("run 2", stale -> "run 2", shown::add, e -> { }));
        assertTrue(stopped.await(10, TimeUnit.SECONDS), "the running analysis saw it was stale");
        long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (shown.isEmpty() && System.nanoTime() < wait) {
            Thread.sleep(20);
        }
        Thread.sleep(100);
        assertEquals(List.of("run 2"), shown);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
