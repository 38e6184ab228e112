package org.attnlab.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
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
 * @param weightSharing whether the layers share one set of block weights (ALBERT; {@link Trainer#setWeightSharing})
 */
public record Preset(String name, String description, String taskName, Map<String, String> taskOptions,
                     TransformerConfig config, TrainingSettings training, String targetMetric, double target,
                     List<Curriculum.Stage> curriculum, boolean weightSharing) {

    /** @throws IllegalArgumentException if a curriculum stage does not fit the task */
    public Preset {
        curriculum = List.copyOf(curriculum);
        if (!curriculum.isEmpty()) {
            new Curriculum(Tasks.byName(taskName, taskOptions), curriculum);     // validates the stages
        }
    }

    /** A preset without curriculum or weight sharing. */
    public Preset(String name, String description, String taskName, Map<String, String> taskOptions,
                  TransformerConfig config, TrainingSettings training, String targetMetric, double target) {
        this(name, description, taskName, taskOptions, config, training, targetMetric, target, List.of(), false);
    }

    /**
     * Applies what this recipe needs beyond the model configuration and the settings to a
     * trainer of it: the curriculum and weight sharing. Both belong to the preset's own task: a
     * trainer of another task, or of this task with other options (say {@code --set n_var=3}),
     * is left as it is. Weight sharing is turned on only for a fresh model (step 0) or one whose
     * layers are already equal (a checkpoint of a shared run), so that opening a checkpoint
     * trained without sharing never overwrites its layers with layer 0.
     *
     * @return whether the trainer was changed
     */
    public boolean configure(Trainer trainer) {
        Task t = trainer.task();
        if (!t.name().equals(taskName) || !t.options().equals(task().options())) {
            return false;
        }
        boolean changed = false;
        if (!curriculum.isEmpty()) {
            trainer.setCurriculum(new Curriculum(t, curriculum));
            changed = true;
        }
        if (weightSharing && (trainer.stepCount() == 0 || layersEqual(trainer.params()))) {
            trainer.setWeightSharing(true);
            changed = true;
        }
        return changed;
    }

    /** @return whether every block weight of every layer equals layer 0's */
    static boolean layersEqual(Parameters params) {
        List<Param> first = new ArrayList<>();
        for (Param p : params.all()) {
            if (p.name().startsWith("blocks.0.")) {
                first.add(p);
            }
        }
        for (int l = 1; l < params.config().nLayers(); l++) {
            for (Param p : first) {
                Param q = params.get("blocks." + l + "." + p.name().substring("blocks.0.".length()));
                if (!java.util.Arrays.equals(p.value().data, 0, p.size(), q.value().data, 0, q.size())) {
                    return false;
                }
            }
        }
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
