package org.attnlab.app.training;

import java.util.Objects;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.train.Trainer;
import org.attnlab.engine.train.TrainingSettings;

/**
 * What a run trains: the task, the model configuration and the training settings, plus the
 * preset they came from. Immutable (tasks and configurations are), so the JavaFX thread and
 * the training thread can share it.
 *
 * @param presetName the preset's name (saved in checkpoints), never null
 * @param task       the task
 * @param config     the model configuration (fits the task)
 * @param settings   optimizer, batch, schedule, seed
 */
public record RunSetup(String presetName, Task task, TransformerConfig config, TrainingSettings settings) {

    /** @throws IllegalArgumentException if the task does not fit the configuration */
    public RunSetup {
        Objects.requireNonNull(presetName, "presetName");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(settings, "settings");
        Trainer.checkFits(task, config);
    }

    /** @return the setup of a preset as shipped */
    public static RunSetup of(org.attnlab.engine.train.Preset p) {
        return new RunSetup(p.name(), p.task(), p.config(), p.training());
    }

    /** @return whether {@code other} trains the same task with the same options */
    public boolean sameTask(RunSetup other) {
        return other != null && task.name().equals(other.task.name()) && task.options().equals(other.task.options());
    }
}
