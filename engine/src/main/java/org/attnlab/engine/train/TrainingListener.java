package org.attnlab.engine.train;

import org.attnlab.engine.tasks.Metrics;

/**
 * Observes a {@link Trainer}. Called on the training thread, synchronously: keep it short
 * (copy what you need and hand it to another thread). Both methods default to doing nothing.
 */
public interface TrainingListener {
    /** After each optimizer step. */
    default void onStepEnd(StepResult step) {
    }

    /**
     * After each held-out evaluation.
     *
     * @param step    the optimizer step the model has taken
     * @param metrics the task's metrics on the held-out batch
     * @param loss    the held-out loss
     */
    default void onEvaluation(long step, Metrics metrics, double loss) {
    }

    /**
     * After an evaluation at which an {@code until_mastered} curriculum stage reached the run's
     * target on its own held-out batch: steps from {@code step + 1} sample the next stage.
     *
     * @param stage   the stage's index in the curriculum
     * @param step    the optimizer step the model has taken
     * @param metrics the stage task's metrics on its held-out batch
     */
    default void onStageMastered(int stage, long step, Metrics metrics) {
    }
}
