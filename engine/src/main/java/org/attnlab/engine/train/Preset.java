package org.attnlab.engine.train;

import java.util.List;
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
 * @param curriculum  easier versions of the task for the first steps ({@link Curriculum}), empty for none
 */
public record Preset(String name, String description, String taskName, Map<String, String> taskOptions,
                     TransformerConfig config, TrainingSettings training, String targetMetric, double target,
                     List<Curriculum.Stage> curriculum) {

    /** @throws IllegalArgumentException if a curriculum stage does not fit the task */
    public Preset {
        curriculum = List.copyOf(curriculum);
        if (!curriculum.isEmpty()) {
            new Curriculum(Tasks.byName(taskName, taskOptions), curriculum);     // validates the stages
        }
    }

    /** A preset without curriculum. */
    public Preset(String name, String description, String taskName, Map<String, String> taskOptions,
                  TransformerConfig config, TrainingSettings training, String targetMetric, double target) {
        this(name, description, taskName, taskOptions, config, training, targetMetric, target, List.of());
    }

    /**
     * Applies what this recipe needs beyond the model configuration and the settings to a
     * trainer of it: the curriculum. It belongs to the preset's own task: a trainer of another
     * task, or of this task with other options (say {@code --set n_var=3}), is left as it is.
     * (Weight sharing is part of the configuration, {@code weight_sharing}.)
     *
     * @return whether the trainer was changed
     */
    public boolean configure(Trainer trainer) {
        Task t = trainer.task();
        if (!t.name().equals(taskName) || !t.options().equals(task().options()) || curriculum.isEmpty()) {
            return false;
        }
        trainer.setCurriculum(new Curriculum(t, curriculum));
        return true;
    }

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
