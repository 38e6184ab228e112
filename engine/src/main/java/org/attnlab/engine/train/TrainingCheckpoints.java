package org.attnlab.engine.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnlab.engine.io.Checkpoint;
import org.attnlab.engine.io.SafeTensorsException;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.tasks.Metrics;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.Tasks;

/**
 * Checkpoints of a training run: the model checkpoint of docs/engine.md plus metadata {@code task},
 * {@code task_options} (JSON), {@code step}, {@code preset} and, when known, {@code metrics}
 * (JSON of the last evaluation), and the AdamW state. Written atomically. The training
 * history, when there is one, goes into a sidecar file ({@link TrainingHistoryFile}).
 */
public final class TrainingCheckpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingCheckpoints() {
    }

    /**
     * A loaded training checkpoint.
     *
     * @param checkpoint the model checkpoint
     * @param task       the task rebuilt from metadata
     * @param step       the training step it was saved at
     */
    public record Loaded(Checkpoint checkpoint, Task task, long step) {
        /**
         * A trainer that continues this run exactly: same parameters, AdamW moments and step.
         *
         * @param settings the run's settings (same seed and schedule as before to continue it bit for bit)
         */
        public Trainer resume(TrainingSettings settings) {
            AdamW opt = new AdamW(settings.adamw());
            if (!checkpoint.optimizer().isEmpty()) {
                opt.restore(checkpoint.optimizer(), checkpoint.optimizerStep());
            }
            return new Trainer(task, checkpoint.params(), settings, opt, step);
        }

        /**
         * @return whether the checkpoint was saved after training but without its optimizer state
         *     (weights only): {@link #resume} then continues with fresh AdamW moments, not bit for bit
         */
        public boolean weightsOnly() {
            return step > 0 && checkpoint.optimizer().isEmpty();
        }
    }

    /**
     * Saves the trainer's model, optimizer, task and step.
     *
     * @param preset the preset name, or {@code null}
     * @throws IOException if writing fails (the previous file is then intact)
     */
    public static void save(Path path, Trainer trainer, String preset) throws IOException {
        save(path, trainer, preset, null);
    }

    /**
     * Saves the trainer's model, optimizer, task and step, and then the training history in a
     * sidecar file next to it ({@link TrainingHistoryFile}); without a history (null or empty) a
     * stale sidecar of an earlier save is deleted, so that it cannot be taken for this run's.
     *
     * @param preset  the preset name, or {@code null}
     * @param history the run's history, or {@code null}
     * @throws IOException if writing fails (the previous files are then intact)
     */
    public static void save(Path path, Trainer trainer, String preset, TrainingHistory history) throws IOException {
        save(path, trainer, preset, history, true);
    }

    /**
     * Saves the trainer's model, task and step, with or without the optimizer state, and the
     * training history next to it as {@link #save(Path, Trainer, String, TrainingHistory)} does.
     * Without the optimizer (weights only, a third of the size) the file evaluates, predicts and
     * opens the same; continuing training from it starts a fresh AdamW ({@link Loaded#weightsOnly()}).
     *
     * @param preset    the preset name, or {@code null}
     * @param history   the run's history, or {@code null}
     * @param optimizer whether to store the AdamW moments
     * @throws IOException if writing fails (the previous files are then intact)
     */
    public static void save(Path path, Trainer trainer, String preset, TrainingHistory history, boolean optimizer)
            throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("task", trainer.task().name());
        meta.put("task_options", toJson(trainer.task().options()));
        meta.put("step", Long.toString(trainer.stepCount()));
        if (preset != null) {
            meta.put("preset", preset);
        }
        Evaluation e = trainer.lastEvaluation();
        if (e != null && e.step() == trainer.stepCount()) {
            meta.put("metrics", metricsJson(e.metrics()));
        }
        Checkpoint.save(path, trainer.params(), meta, optimizer ? trainer.optimizer() : null);
        TrainingHistoryFile.save(path, history, trainer.params().config(), trainer.stepCount());
    }

    /**
     * The training history saved next to a checkpoint, if any ({@link TrainingHistoryFile#load}).
     *
     * @param path   the checkpoint's path
     * @param loaded the checkpoint as loaded from {@code path}
     * @throws IOException naming the sidecar if it cannot be read or is malformed
     */
    public static java.util.Optional<TrainingHistory> history(Path path, Loaded loaded) throws IOException {
        return TrainingHistoryFile.load(path, loaded.checkpoint().config(), loaded.step());
    }

    /**
     * @throws SafeTensorsException naming the file if it is not a checkpoint, lacks a task, or
     *     the task does not fit the model
     * @throws IOException if it cannot be read
     */
    public static Loaded load(Path path) throws IOException {
        return fromCheckpoint(Checkpoint.load(path), path.toString());
    }

    /**
     * Reads the task and step of a checkpoint already parsed (the second half of {@link #load}).
     *
     * @param ck  the checkpoint
     * @param src where it came from, for messages (a file name)
     * @throws SafeTensorsException naming {@code src} if the checkpoint lacks a task, its task
     *     options are malformed, the task does not fit the model, or the step is not an integer
     */
    public static Loaded fromCheckpoint(Checkpoint ck, String src) throws SafeTensorsException {
        String taskName = ck.metadata().get("task");
        if (taskName == null) {
            throw new SafeTensorsException(src, "checkpoint has no task in its metadata (was it written by train?)");
        }
        Map<String, String> options;
        try {
            options = JSON.readValue(ck.metadata().getOrDefault("task_options", "{}"),
                    new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(src, "metadata task_options is not a JSON object of strings");
        }
        Task task;
        try {
            task = Tasks.byName(taskName, options);
            Trainer.checkFits(task, ck.config());
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(src, e.getMessage());
        }
        long step;
        try {
            step = Long.parseLong(ck.metadata().getOrDefault("step", "0"));
        } catch (NumberFormatException e) {
            throw new SafeTensorsException(src, "metadata step is not an integer");
        }
        return new Loaded(ck, task, step);
    }

    /** @return the metrics as a JSON object: name to a number or an array of numbers (NaN as null) */
    public static String metricsJson(Metrics m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : m.values().entrySet()) {
            double[] v = e.getValue();
            out.put(e.getKey(), v.length == 1 ? finite(v[0]) : java.util.Arrays.stream(v).mapToObj(
                    TrainingCheckpoints::finite).toList());
        }
        return toJson(out);
    }

    private static Object finite(double x) {
        return Double.isFinite(x) ? (Object) x : null;
    }

    private static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
