package org.attnlab.app.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the window's background work (training, its helper threads, analyses: every thread whose
 * name starts with {@value #PREFIX}) at a lower operating-system priority than the JavaFX and
 * render threads, so that drawing gets a core the moment it needs one.
 *
 * <p>Why: training uses every core. On Linux the JVM ignores {@link Thread#setPriority}, so the
 * JavaFX thread and the renderer queued for a core behind the trainer's threads: the window
 * measured pulse gaps of 50-140 ms in which the two threads had used only 10-40 ms of CPU.
 * With the trainer at nice {@value #NICE} (about a third of a nice-0 thread's share under the
 * Linux scheduler's weights) the window's own work runs at once and the trainer still gets
 * everything the window does not use.
 *
 * <p>How: on Linux each thread is a task with its own nice value; a scan every
 * {@value #SCAN_SECONDS} s lists {@code /proc/self/task/<tid>/comm} and runs
 * {@code renice -n NICE -p <tids>} for new background threads (raising one's own niceness needs
 * no privilege). Elsewhere, or if {@code /proc} or {@code renice} is missing, nothing happens
 * (Java thread priorities are set as well, which Windows and macOS honour).
 */
public final class BackgroundPriority {
    /** The name prefix of the program's background threads. */
    public static final String PREFIX = "attnlab-";
    /** The nice value background threads get (0 is normal, 19 the lowest priority). */
    public static final int NICE = 5;
    static final int SCAN_SECONDS = 2;
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final Set<String> DONE = new HashSet<>();
    private static ScheduledExecutorService scanner;

    private BackgroundPriority() {
    }

    /** Starts the periodic scan (once; later calls do nothing). */
    public static synchronized void start() {
        if (scanner != null || !Files.isDirectory(TASKS)) {
            return;
        }
        scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, PREFIX + "priority");
            t.setDaemon(true);
            return t;
        });
        scanner.scheduleWithFixedDelay(() -> {
            if (!scanOnce()) {
                scanner.shutdown();          // no renice here: stop trying
            }
        }, 0, SCAN_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Lowers the priority of background threads not lowered yet.
     *
     * @return false if it cannot be done on this system (no {@code /proc/self/task} or no
     *     {@code renice}), true otherwise
     */
    public static synchronized boolean scanOnce() {
        List<String> fresh = new ArrayList<>();
        Set<String> alive = new HashSet<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String tid = task.getFileName().toString();
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                } catch (IOException e) {
                    continue;                    // the thread ended meanwhile
                }
                if (name.startsWith(PREFIX)) {
                    alive.add(tid);
                    // never raise a priority: a program started with nice 10 keeps it
                    if (!DONE.contains(tid) && niceOf(tid) < NICE) {
                        fresh.add(tid);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        DONE.retainAll(alive);                   // a task id can be reused by a later thread
        if (fresh.isEmpty()) {
            return true;
        }
        List<String> cmd = new ArrayList<>(List.of("renice", "-n", Integer.toString(NICE), "-p"));
        cmd.addAll(fresh);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            // renice exits non-zero when one of the tasks ended meanwhile: still done for the others
            DONE.addAll(fresh);
            return true;
        } catch (IOException e) {
            return false;                        // no renice on this system
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @param tid a task (thread) id of this process
     * @return its nice value as the kernel reports it, or {@link Integer#MIN_VALUE} if unknown
     */
    public static int niceOf(String tid) {
        try {
            String stat = Files.readString(TASKS.resolve(tid).resolve("stat"));
            // fields after the command name "(...)": state is field 3, nice is field 19
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Integer.parseInt(f[19 - 3]);
        } catch (IOException | RuntimeException e) {
            return Integer.MIN_VALUE;
        }
    }

    /** @return the calling thread's task id on Linux, or null */
    public static String currentTid() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
