package org.attnlab.tests.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.attnlab.app.common.BackgroundPriority;
import org.junit.jupiter.api.Test;

/**
 * The window's background threads (named {@code attnlab-...}) run at a lower OS priority than
 * the JavaFX thread: on Linux the scan renices exactly those tasks and leaves the others alone.
 */
class BackgroundPriorityTest {
    @Test
    void backgroundThreadsAreRenicedAndOthersAreNot() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        AtomicReference<String> bgTid = new AtomicReference<>(), fgTid = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(2), done = new CountDownLatch(1);
        Thread bg = new Thread(() -> park(bgTid, started, done), BackgroundPriority.PREFIX + "test-bg");
        Thread fg = new Thread(() -> park(fgTid, started, done), "some-other-thread");
        bg.start();
        fg.start();
        try {
            started.await();
            assertNotNull(bgTid.get());
            int before = BackgroundPriority.niceOf(fgTid.get());
            assertEquals(before, BackgroundPriority.niceOf(bgTid.get()), "both start at the creator's nice value");
            assertTrue(BackgroundPriority.scanOnce(), "renice is available on this Linux");
            int expected = Math.max(before, BackgroundPriority.NICE);   // renice never raises priority unprivileged
            assertEquals(expected, BackgroundPriority.niceOf(bgTid.get()));
            assertEquals(before, BackgroundPriority.niceOf(fgTid.get()));
        } finally {
            done.countDown();
            bg.join();
            fg.join();
        }
    }

    private static void park(AtomicReference<String> tid, CountDownLatch started, CountDownLatch done) {
        tid.set(BackgroundPriority.currentTid());
        started.countDown();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
