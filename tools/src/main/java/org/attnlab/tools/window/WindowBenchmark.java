package org.attnlab.tools.window;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javafx.application.Platform;
import org.attnlab.app.AttnLabWindow;
import org.attnlab.app.Main;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.train.RunSpec;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.Trainer;

/**
 * Measures training speed with the window open. Opens the real window on a preset, presses Play
 * and lets the window train {@code N} steps from a cold start with the grid, curves and table
 * updating (compare with {@code attnlab train --preset P --steps N --quiet}, also from a cold
 * start); then, for reference, trains a fresh model of the preset headless in the same JVM with
 * the window idle. Prints steps per second over all N steps and over the last four fifths
 * (after the JIT has compiled the window's code), the CPU each thread used, and quits.
 *
 * <p>A measuring tool, not part of the product: it opens the window through {@link AttnLabWindow#open}
 * as the program does, configured like the program (the {@code attnlab.*} system properties of
 * {@link Main}) on the preset given.
 *
 * <pre>DISPLAY=:99 java -cp app/target/attnlab.jar:tools/target/attnlab-tools.jar \
 *     org.attnlab.tools.window.WindowBenchmark flipflop16 600</pre>
 */
public final class WindowBenchmark {
    private static int steps;

    private WindowBenchmark() {
    }

    /** @param args preset name and number of steps (at most the preset's) */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: WindowBenchmark PRESET STEPS");
            System.exit(2);
        }
        steps = Integer.parseInt(args[1]);
        RunSpec p = Presets.byName(args[0]);
        System.exit(WindowLauncher.run("WindowBenchmark", Main.fromSystemProperties().withStartPreset(p), w -> {
            Thread monitor = new Thread(() -> measure(w, p), "attnlab-benchmark");
            monitor.setDaemon(true);
            monitor.start();
        }));
    }

    /** @return CPU time in nanoseconds of every live thread, by name */
    static Map<String, Long> threadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new TreeMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                out.merge(info.getThreadName(), Math.max(0, mx.getThreadCpuTime(info.getThreadId())), Long::sum);
            }
        }
        return out;
    }

    /** @return CPU time of the whole JVM (all threads, GC and compiler included) in nanoseconds, or 0 */
    static long processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /**
     * Trains a fresh model of {@code p} for {@link #steps} steps on this thread.
     *
     * @return steps per second over all steps, and over the last four fifths (after warm-up)
     */
    static double[] headless(RunSpec p) {
        Trainer t = new Trainer(p);         // as the window does (lego6: its curriculum; its config shares layers)
        long t0 = System.nanoTime();
        t.run(() -> t.stepCount() >= steps / 5);
        long t1 = System.nanoTime();
        t.run(() -> t.stepCount() >= steps);
        long t2 = System.nanoTime();
        return new double[] {steps / ((t2 - t0) / 1e9), (steps - steps / 5) / ((t2 - t1) / 1e9)};
    }

    /** Rounds of the interleaved comparison. */
    private static final int ROUNDS = 4;

    /**
     * The comparison again, robust to a machine whose load drifts: {@value #ROUNDS} rounds, each
     * {@code steps / 5} steps in the window (playing, views updating) and then as many steps of a
     * headless trainer of the same preset (the window idle), so both see the same load on
     * average. Prints each round's ratio and the ratio of the summed rates.
     */
    static void interleaved(AttnLabWindow app, RunSpec p) throws InterruptedException {
            int n = Math.max(1, steps / 5);
            Trainer headless = new Trainer(p);
            headless.run(() -> headless.stepCount() >= n);                       // warm up
            double windowNanos = 0, headlessNanos = 0;
            StringBuilder rounds = new StringBuilder();
            for (int r = 0; r < ROUNDS; r++) {
                long from = app.session().latest().step();
                long a = System.nanoTime();
                Platform.runLater(() -> app.viewModel().training().play());
                TrainingSnapshot s;
                while ((s = app.session().latest()) == null || s.step() < from + n) {
                    Thread.sleep(1);
                }
                long b = System.nanoTime();
                long done = s.step() - from;
                Platform.runLater(() -> app.viewModel().training().pause());
                while (app.session().isRunning() || app.session().latest().running()) {
                    Thread.sleep(5);
                }
                Thread.sleep(200);
                long h0 = headless.stepCount();
                long c = System.nanoTime();
                headless.run(() -> headless.stepCount() >= h0 + n);
                long d = System.nanoTime();
                double wRate = done / ((b - a) / 1e9), hRate = n / ((d - c) / 1e9);
                windowNanos += (b - a) * ((double) n / done);
                headlessNanos += d - c;
                rounds.append(String.format(Locale.ROOT, " %.0f%%", 100 * wRate / hRate));
            }
            System.out.printf(Locale.ROOT, "  interleaved, %d rounds of %d steps: window / headless =%s per round, "
                    + "%.0f%% overall%n", ROUNDS, n, rounds, 100 * headlessNanos / windowNanos);
            System.out.flush();
    }

    /** Measures the open window {@code w} of preset {@code p} (on its own thread), prints, and closes it. */
    private static void measure(AttnLabWindow w, RunSpec p) {
        try {
            while (w.session().latest() == null) {
                Thread.sleep(20);
            }
            Thread.sleep(1000);                           // the window is up and drawing
            long start = System.nanoTime();
            Platform.runLater(() -> w.viewModel().training().play());
            TrainingSnapshot s;
            while ((s = w.session().latest()) == null || s.step() < steps / 5) {
                Thread.sleep(2);
            }
            long warmStep = s.step();
            long frames0 = w.timer().frames();
            long process0 = processCpu();
            Map<String, Long> cpu0 = threadCpu();
            long t0 = System.nanoTime();
            while ((s = w.session().latest()) == null || s.step() < steps) {
                Thread.sleep(2);
            }
            long t1 = System.nanoTime();
            double secs = (t1 - t0) / 1e9;
            long frames = w.timer().frames() - frames0;
            Map<String, Long> cpu1 = threadCpu();
            long process1 = processCpu();
            Platform.runLater(() -> w.viewModel().training().pause());
            Thread.sleep(500);
            double[] headless = headless(p);
            double window = s.step() / ((t1 - start) / 1e9);
            double windowSteady = (s.step() - warmStep) / secs;
            System.out.printf(Locale.ROOT, "%s, %d steps: window %.1f steps/s from a cold start (compare with "
                    + "'attnlab train --preset %s --steps %d --quiet')%n", p.name(), steps, window, p.name(), steps);
            System.out.printf(Locale.ROOT, "  after warm-up (last 4/5): window %.1f steps/s (%.0f frames/s, a snapshot "
                    + "at most every %.0f ms), the same trainer headless in this JVM %.1f steps/s -> window / headless "
                    + "= %.0f%%%n", windowSteady, frames / secs, w.session().publishInterval() / 1e6, headless[1],
                    100 * windowSteady / headless[1]);
            StringBuilder sb = new StringBuilder("  cpu seconds per thread during the window's last "
                    + String.format(Locale.ROOT, "%.1f", secs) + " s:");
            cpu1.forEach((name, ns) -> {
                double used = (ns - cpu0.getOrDefault(name, 0L)) / 1e9;
                if (used >= 0.05) {
                    sb.append(String.format(Locale.ROOT, " %s %.2f;", name, used));
                }
            });
            sb.append(String.format(Locale.ROOT, " whole process %.2f", (process1 - process0) / 1e9));
            System.out.println(sb);
            System.out.flush();
            interleaved(w, p);
            WindowLauncher.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
