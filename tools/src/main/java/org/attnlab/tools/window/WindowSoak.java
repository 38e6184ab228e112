package org.attnlab.tools.window;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.control.TabPane;
import org.attnlab.app.AttnLabWindow;
import org.attnlab.app.Main;
import org.attnlab.app.training.DrawingBudget;
import org.attnlab.engine.train.Presets;

/**
 * A long run of the real window, for responsiveness and memory: trains a preset with Play
 * (continuing past its schedule), switches through every view (tab) every few seconds so each
 * one draws live, and once a minute prints the longest gap between two JavaFX pulses in that
 * minute and the heap used after a full GC. A window that never hangs keeps the gap far below
 * 100 ms; one that does not leak keeps the heap flat after warm-up.
 *
 * <p>A measuring tool, not part of the product: it opens the window through
 * {@link AttnLabWindow#open} as the program does (the {@code attnlab.*} system properties of
 * {@link Main}), on the preset given and without autosave. {@code -Dattnlab.soakTabs=0,3} shows
 * only those tabs.
 *
 * <pre>DISPLAY=:99 java -cp app/target/attnlab.jar:tools/target/attnlab-tools.jar \
 *     org.attnlab.tools.window.WindowSoak lego6 30</pre>
 */
public final class WindowSoak {
    /** System property: the tabs to show in turn, e.g. {@code 0,3} (default: all). */
    public static final String TABS_PROPERTY = "attnlab.soakTabs";
    private static final long TAB_SECONDS = 4;
    private static final long LONG_GAP_NANOS = 50_000_000L;

    private final AttnLabWindow window;
    private final int minutes;
    private final int[] tabsToShow;
    private final AtomicLong maxGapNanos = new AtomicLong();
    private final Map<String, Long> gapByView = new ConcurrentSkipListMap<>();
    private final Queue<String> longGaps = new ConcurrentLinkedQueue<>();
    private volatile String view = "";
    private long lastPulse;
    private long lastCpu;
    private long lastRender;

    private WindowSoak(AttnLabWindow window, int minutes, int[] tabsToShow) {
        this.window = window;
        this.minutes = minutes;
        this.tabsToShow = tabsToShow;
    }

    /** @param args preset name and minutes to run */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: WindowSoak PRESET MINUTES");
            System.exit(2);
        }
        int minutes = Integer.parseInt(args[1]);
        String only = System.getProperty(TABS_PROPERTY);
        int[] tabs = only == null ? null : Arrays.stream(only.split(",")).mapToInt(Integer::parseInt).toArray();
        System.exit(WindowLauncher.run("WindowSoak", Main.fromSystemProperties().withStartPreset(Presets.byName(args[0]))
                .withoutAutosave(), w -> new WindowSoak(w, minutes, tabs).start()));
    }

    /** Starts the pulse-gap meter and the thread that drives and reports (JavaFX thread). */
    private void start() {
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (lastPulse != 0) {
                    maxGapNanos.accumulateAndGet(now - lastPulse, Math::max);
                    gapByView.merge(view, now - lastPulse, Math::max);
                    long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    long render = DrawingBudget.rendererCpu();
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
            Platform.runLater(() -> window.viewModel().training().play());
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
                        TabPane tabs = window.view().views();
                        tabs.getSelectionModel().select(tabsToShow == null ? next % tabs.getTabs().size()
                                : tabsToShow[next % tabsToShow.length]);
                        view = tabs.getSelectionModel().getSelectedItem().getText();
                    });
                    Thread.sleep(Math.min(TAB_SECONDS * 1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                }
                long gap = maxGapNanos.get();
                if (minute > 1) {
                    overall = Math.max(overall, gap);
                }
                memory.gc();
                long heap = heapAfterLastFullGc();
                var s = window.session().latest();
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
            WindowLauncher.finish();
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
}
