package org.attnlab.app.training;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.animation.AnimationTimer;

/**
 * Once per frame, reads the newest {@link TrainingSnapshot} and, if it is new, hands it to the
 * view models (on the JavaFX thread). The only bridge from the training thread to the screen.
 */
public final class SnapshotTimer extends AnimationTimer {
    private final Supplier<TrainingSnapshot> source;
    private final List<Consumer<TrainingSnapshot>> consumers;
    private TrainingSnapshot last;
    private long frames;
    private DrawingBudget budget;

    /**
     * @param source    usually {@link TrainingSession#latest()}
     * @param consumers called in order with each new snapshot
     */
    @SafeVarargs
    public SnapshotTimer(Supplier<TrainingSnapshot> source, Consumer<TrainingSnapshot>... consumers) {
        this.source = source;
        this.consumers = List.of(consumers);
    }

    /**
     * Lets a {@link DrawingBudget} space the snapshots so drawing them stays within its share of
     * a core.
     *
     * @param b the budget, or null for none
     */
    public void setBudget(DrawingBudget b) {
        budget = b;
    }

    @Override
    public void handle(long now) {
        frames++;
        TrainingSnapshot s = source.get();
        boolean fresh = s != null && s != last;
        if (budget != null) {
            budget.frame(now, fresh && s.running());
        }
        if (fresh) {
            last = s;
            for (Consumer<TrainingSnapshot> c : consumers) {
                c.accept(s);
            }
        }
    }

    /** @return frames handled so far (for measuring the window's frame rate) */
    public long frames() {
        return frames;
    }
}
