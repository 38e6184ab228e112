package org.attnlab.engine.train;

import org.attnlab.engine.tasks.Metrics;

/**
 * A held-out evaluation.
 *
 * @param step    optimizer steps the model had taken
 * @param loss    masked cross-entropy on the held-out batch
 * @param metrics the task's metrics plus its model metrics ({@code Task.modelMetrics()}: greedy exact match for sort,
 *                induction scores per head for induction)
 */
public record Evaluation(long step, double loss, Metrics metrics) {
}
