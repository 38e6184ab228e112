package org.attnlab.app.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.attnlab.engine.tasks.Metrics;
import org.attnlab.engine.train.StepResult;
import org.attnlab.engine.train.TrainingListener;

/**
 * A live progress line for headless training: step, loss, the latest held-out metric, steps
 * per second and time left. On a terminal it redraws one line (about 10 times a second);
 * otherwise it prints a line every 10% so logs stay short.
 */
final class ProgressBar implements TrainingListener {
    private static final int WIDTH = 24;
    private final PrintWriter out;
    private final long total;
    private final long firstStep;
    private final boolean enabled, terminal;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long lastDecile = -1;
    private double emaLoss = Double.NaN;
    private String metric = "";

    ProgressBar(PrintWriter out, long total, boolean enabled, boolean terminal) {
        this(out, 0, total, enabled, terminal);
    }

    /** @param firstStep the steps taken before this run (a run continued from a checkpoint) */
    ProgressBar(PrintWriter out, long firstStep, long total, boolean enabled, boolean terminal) {
        this.out = out;
        this.firstStep = firstStep;
        this.total = total;
        this.enabled = enabled;
        this.terminal = terminal;
    }

    @Override
    public void onStepEnd(StepResult r) {
        emaLoss = Double.isNaN(emaLoss) ? r.loss() : 0.95 * emaLoss + 0.05 * r.loss();
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        long decile = r.step() * 10 / Math.max(1, total);
        if (terminal ? now - lastDraw > 100_000_000L || r.step() == total : decile != lastDecile) {
            lastDraw = now;
            lastDecile = decile;
            draw(r.step(), now);
        }
    }

    @Override
    public void onEvaluation(long step, Metrics metrics, double loss) {
        metric = String.format(Locale.ROOT, "  %s %.2f%%", metrics.headlineName(), 100 * metrics.headline());
    }

    /** Prints a line of its own (the stage's metric), e.g. {@code curriculum stage 1 mastered at step 575}. */
    @Override
    public void onStageMastered(int stage, long step, Metrics metrics) {
        if (!enabled) {
            return;
        }
        String line = String.format(Locale.ROOT, "curriculum stage %d mastered at step %d (%s %.2f%%)", stage + 1,
                step, metrics.headlineName(), 100 * metrics.headline());
        out.print(terminal ? "\r" + line + "\u001b[K" + System.lineSeparator() : line + System.lineSeparator());
        out.flush();
    }

    private void draw(long step, long now) {
        double secs = (now - start) / 1e9;
        double rate = (step - firstStep) / Math.max(secs, 1e-9);
        long left = (long) ((total - step) / Math.max(rate, 1e-9));
        int filled = (int) (WIDTH * step / Math.max(1, total));
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        String line = String.format(Locale.ROOT, "step %d/%d [%s] loss %.4f%s  %.0f steps/s  ETA %d:%02d", step,
                total, bar, emaLoss, metric, rate, left / 60, left % 60);
        out.print(terminal ? "\r" + line + "\u001b[K" : line + System.lineSeparator());
        out.flush();
    }

    /** Ends the redrawn line. */
    void finish() {
        if (enabled && terminal) {
            out.println();
            out.flush();
        }
    }
}
