package org.attnlab.engine.train;

import java.util.Map;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.tasks.Metrics;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.Tasks;

/**
 * A named recipe that reliably solves a task: the task and its options, the model
 * configuration, the training settings, and the target it reaches (a headline metric and its
 * threshold). A preset is data, so the window, the command line and lessons share it.
 *
 * @param name        the preset's id, e.g. {@code lego6}
 * @param description one line for menus and {@code --help}
 * @param taskName    a {@link Tasks} name
 * @param taskOptions the task's options
 * @param config      the model configuration (fits the task)
 * @param training    optimizer, schedule, batch, seed
 * @param targetMetric the metric the preset is judged by (a key of the task's metrics); for a
 *                     metric with one value per position, every position must reach the target
 * @param target      the value {@code targetMetric} reaches (at least)
 */
public record Preset(String name, String description, String taskName, Map<String, String> taskOptions,
                     TransformerConfig config, TrainingSettings training, String targetMetric, double target) {

    /** @return a new task instance of this preset */
    public Task task() {
        return Tasks.byName(taskName, taskOptions);
    }

    /**
     * @return the value judged against {@link #target()}: the metric itself, or the smallest
     *     entry of a per-position metric (NaN entries, positions without data, are skipped);
     *     NaN if the metrics lack {@link #targetMetric()}
     */
    public double targetValue(Metrics metrics) {
        if (!metrics.names().contains(targetMetric)) {
            return Double.NaN;
        }
        double min = Double.POSITIVE_INFINITY;
        for (double x : metrics.get(targetMetric)) {
            if (!Double.isNaN(x)) {
                min = Math.min(min, x);
            }
        }
        return min == Double.POSITIVE_INFINITY ? Double.NaN : min;
    }

    /** @return whether {@code metrics} reach the target */
    public boolean reached(Metrics metrics) {
        return targetValue(metrics) >= target;
    }
}
