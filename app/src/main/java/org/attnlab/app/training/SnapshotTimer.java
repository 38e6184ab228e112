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

    /**
     * @param source    usually {@link TrainingSession#latest()}
     * @param consumers called in order with each new snapshot
     */
    @SafeVarargs
    public SnapshotTimer(Supplier<TrainingSnapshot> source, Consumer<TrainingSnapshot>... consumers) {
        this.source = source;
        this.consumers = List.of(consumers);
    }

    @Override
    public void handle(long now) {
        frames++;
        TrainingSnapshot s = source.get();
        if (s != null && s != last) {
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
