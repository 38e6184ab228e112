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
}
