package org.attnlab.app;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;

/**
 * A long run of the real window, for responsiveness and memory: trains a preset with Play
 * (continuing past its schedule), switches through every view (tab) every few seconds so each
 * one draws live, and once a minute prints the longest gap between two JavaFX pulses in that
 * minute and the heap used after a full GC. A window that never hangs keeps the gap far below
 * 100 ms; one that does not leak keeps the heap flat after warm-up.
 *
 * <pre>DISPLAY=:99 java -cp app/target/attnlab.jar org.attnlab.app.WindowSoak lego6 30</pre>
 */
public final class WindowSoak {
    private static int minutes;
    private static final long TAB_SECONDS = 4;

    private WindowSoak() {
    }

    /** @param args preset name and minutes to run */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: WindowSoak PRESET MINUTES");
            System.exit(2);
        }
        minutes = Integer.parseInt(args[1]);
        System.setProperty(AttnLabApp.PRESET_PROPERTY, args[0]);
        System.setProperty("attnlab.autosaveDir", "off");
        if (!AttnLabApp.displayAvailable()) {
            System.err.println("WindowSoak: no display (set DISPLAY, e.g. under Xvfb)");
            System.exit(1);
        }
        AttnLabApp.tuneRendering();
        Application.launch(Soaked.class, args);
    }

    /** The window, plus a pulse-gap meter and a thread that drives and reports. */
    public static final class Soaked extends AttnLabApp {
        private final AtomicLong maxGapNanos = new AtomicLong();
        private final java.util.Map<String, Long> gapByView = new java.util.concurrent.ConcurrentSkipListMap<>();
        private volatile String view = "";
        private final java.util.Queue<String> longGaps = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private static final long LONG_GAP_NANOS = 50_000_000L;
        private long lastPulse;
        private long lastCpu;
        private long lastRender;

        @Override
        public void start(Stage stage) {
            super.start(stage);
            new AnimationTimer() {
                @Override
                public void handle(long now) {
                    if (lastPulse != 0) {
                        maxGapNanos.accumulateAndGet(now - lastPulse, Math::max);
                        gapByView.merge(view, now - lastPulse, Math::max);
                        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                        long render = org.attnlab.app.training.DrawingBudget.rendererCpu();
                        if (now - lastPulse > LONG_GAP_NANOS) {
                            // JVM uptime at the gap's end (to line it up with -Xlog:gc), and the CPU
                            // time the JavaFX thread itself used in the gap
                            longGaps.add(String.format(Locale.ROOT, "%.3fs %.0fms (cpu: fx %.0f, renderer %.0f) %s",
                                    ManagementFactory.getRuntimeMXBean().getUptime() / 1e3,
                                    (now - lastPulse) / 1e6, (cpu - lastCpu) / 1e6, (render - lastRender) / 1e6, view));
                        }
                        lastCpu = cpu;
                        lastRender = render;
                    }
                    lastPulse = now;
                }
            }.start();
            Thread driver = new Thread(this::drive, "attnlab-soak");
            driver.setDaemon(true);
            driver.start();
        }

        private void drive() {
            try {
                MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                Thread.sleep(2000);
                Platform.runLater(() -> viewModel().training().play());
                long start = System.nanoTime();
                long overall = 0;
                int tab = 0;
                for (int minute = 1; minute <= minutes; minute++) {
                    maxGapNanos.set(0);
                    gapByView.clear();
                    long end = start + minute * 60_000_000_000L;
                    while (System.nanoTime() < end) {
                        int next = tab++;
                        Platform.runLater(() -> {
                            TabPane tabs = (TabPane) viewModelScene().lookup(".tab-pane");
                            if (tabs != null) {
                                String only = System.getProperty("attnlab.soakTabs");     // e.g. 0,3: only these
                                int[] pick = only == null ? null
                                        : java.util.Arrays.stream(only.split(",")).mapToInt(Integer::parseInt).toArray();
                                tabs.getSelectionModel().select(pick == null ? next % tabs.getTabs().size()
                                        : pick[next % pick.length]);
                                view = tabs.getSelectionModel().getSelectedItem().getText();
                            }
                        });
                        Thread.sleep(Math.min(TAB_SECONDS * 1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                    }
                    long gap = maxGapNanos.get();
                    if (minute > 1) {
                        overall = Math.max(overall, gap);
                    }
                    memory.gc();
                    long heap = heapAfterLastFullGc();
                    var s = session().latest();
                    System.out.printf(Locale.ROOT, "minute %d: step %d, longest pulse gap %.1f ms, heap after GC %.1f MB%n",
                            minute, s == null ? 0 : s.step(), gap / 1e6, heap / 1e6);
                    StringBuilder sb = new StringBuilder("  longest gap by open view:");
                    gapByView.forEach((v, g) -> sb.append(String.format(Locale.ROOT, " %s %.0f ms;", v, g / 1e6)));
                    System.out.println(sb);
                    StringBuilder lg = new StringBuilder("  gaps over 50 ms (JVM uptime, length, view):");
                    for (String g; (g = longGaps.poll()) != null; ) {
                        lg.append(' ').append(g).append(';');
                    }
                    System.out.println(lg);
                    System.out.flush();
                    Thread.sleep(300);           // the pulse after our own full GC is not the window's doing
                }
                System.out.printf(Locale.ROOT, "longest pulse gap after the first minute: %.1f ms%n", overall / 1e6);
                System.out.flush();
                Platform.exit();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * @return the heap in use right after the last full collection, as the collector itself
         *     reports it (summed over the heap pools), or -1 if it cannot tell: reading the pools
         *     afterwards would also count what other threads allocated since
         */
        private static long heapAfterLastFullGc() {
            long best = -1;
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof com.sun.management.GarbageCollectorMXBean g && g.getName().contains("Old")
                        && g.getLastGcInfo() != null) {
                    long used = 0;
                    for (var e : g.getLastGcInfo().getMemoryUsageAfterGc().entrySet()) {
                        if (!e.getKey().contains("Metaspace") && !e.getKey().contains("Code")
                                && !e.getKey().contains("Compressed")) {
                            used += e.getValue().getUsed();
                        }
                    }
                    best = used;
                }
            }
            return best;
        }

        private javafx.scene.Scene viewModelScene() {
            return javafx.stage.Window.getWindows().get(0).getScene();
        }
    }
}
