package org.attnlab.engine.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnlab.engine.compute.Precision;
import org.attnlab.engine.io.Checkpoint;
import org.attnlab.engine.io.DType;
import org.attnlab.engine.io.SafeTensorsException;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.tasks.Metrics;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.Tasks;

/**
 * Checkpoints of a training run: the model checkpoint of docs/engine.md plus metadata
 * {@code run} (the run's {@link RunSpec} as JSON), and for readers that predate it {@code task},
 * {@code task_options} (JSON), {@code preset} (the spec's name, if it has one), then {@code step}
 * and, when known, {@code metrics} (JSON of the last evaluation), and the AdamW state. Written
 * atomically. The training history, when there is one, goes into a sidecar file
 * ({@link TrainingHistoryFile}).
 *
 * <p>A checkpoint without {@code run} (written before it existed, like the shipped lesson
 * checkpoints) opens with its spec rebuilt ({@link #rebuiltSpec}): its task, options and model,
 * and the training settings, target and name of the preset it names when that preset is known
 * and trains the same task options (then with its curriculum, and its options as the preset
 * writes them, so an old checkpoint of a preset's own model opens as that preset), else of the
 * task's default preset (without a curriculum unless that preset trains the same options).
 */
public final class TrainingCheckpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingCheckpoints() {
    }

    /**
     * A loaded training checkpoint.
     *
     * @param checkpoint the model checkpoint
     * @param spec       the run it belongs to (metadata {@code run}, or rebuilt for an older file)
     * @param step       the training step it was saved at
     * @param curriculumMasteredAt per curriculum stage, the step after which the run mastered it
     *                   (0: not); metadata {@code curriculum_mastered}, empty when absent
     */
    public record Loaded(Checkpoint checkpoint, RunSpec spec, long step, long[] curriculumMasteredAt) {
        /** A checkpoint without mastery steps (its curriculum, if any, has none recorded). */
        public Loaded(Checkpoint checkpoint, RunSpec spec, long step) {
            this(checkpoint, spec, step, new long[0]);
        }

        /** @return the task, the spec's */
        public Task task() {
            return spec.task();
        }

        /** A trainer that continues this run exactly: same spec, parameters, AdamW moments and step. */
        public Trainer resume() {
            return resume(spec);
        }

        /**
         * A trainer that continues this run with other training settings (same seed and schedule
         * as before to continue it bit for bit).
         */
        public Trainer resume(TrainingSettings settings) {
            return resume(spec.withTraining(settings));
        }

        /**
         * A trainer that continues this checkpoint's parameters, AdamW moments and step as {@code run}
         * says (its model must be the checkpoint's).
         *
         * @throws IllegalArgumentException if {@code run}'s model is not the checkpoint's
         */
        public Trainer resume(RunSpec run) {
            AdamW opt = new AdamW(run.training().adamw());
            if (!checkpoint.optimizer().isEmpty()) {
                opt.restore(checkpoint.optimizer(), checkpoint.optimizerStep());
            }
            Trainer t = new Trainer(run, checkpoint.params(), opt, step);
            if (curriculumMasteredAt.length > 0 && run.curriculum().equals(spec.curriculum())) {
                t.restoreCurriculumMasteredAt(curriculumMasteredAt);   // the same curriculum continues
            }
            return t;
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
     * Saves the trainer's model, optimizer, run spec and step.
     *
     * @throws IOException if writing fails (the previous file is then intact)
     */
    public static void save(Path path, Trainer trainer) throws IOException {
        save(path, trainer, null);
    }

    /**
     * Saves the trainer's model, optimizer, run spec and step, and then the training history in a
     * sidecar file next to it ({@link TrainingHistoryFile}); without a history (null or empty) a
     * stale sidecar of an earlier save is deleted, so that it cannot be taken for this run's.
     *
     * @param history the run's history, or {@code null}
     * @throws IOException if writing fails (the previous files are then intact)
     */
    public static void save(Path path, Trainer trainer, TrainingHistory history) throws IOException {
        save(path, trainer, history, true);
    }

    /**
     * Saves the trainer's model, run spec and step, with or without the optimizer state, and the
     * training history next to it as {@link #save(Path, Trainer, TrainingHistory)} does.
     * Without the optimizer (weights only, a third of the size) the file evaluates, predicts and
     * opens the same; continuing training from it starts a fresh AdamW ({@link Loaded#weightsOnly()}).
     *
     * @param history   the run's history, or {@code null}
     * @param optimizer whether to store the AdamW moments
     * @throws IOException if writing fails (the previous files are then intact)
     */
    public static void save(Path path, Trainer trainer, TrainingHistory history, boolean optimizer)
            throws IOException {
        RunSpec spec = trainer.spec();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("task", trainer.task().name());
        meta.put("task_options", toJson(trainer.task().options()));
        meta.put("step", Long.toString(trainer.stepCount()));
        if (spec.name() != null) {
            meta.put("preset", spec.name());
        }
        meta.put("run", spec.toJson());
        long[] mastered = trainer.curriculumMasteredAt();
        if (java.util.Arrays.stream(mastered).anyMatch(x -> x > 0)) {
            StringBuilder b = new StringBuilder();
            for (long m : mastered) {
                b.append(b.length() == 0 ? "" : ",").append(m);
            }
            meta.put("curriculum_mastered", b.toString());
        }
        Evaluation e = trainer.lastEvaluation();
        if (e != null && e.step() == trainer.stepCount()) {
            meta.put("metrics", metricsJson(e.metrics()));
        }
        // a float32 run's parameters are float32 values (rounded after every step): F32 loses nothing
        Checkpoint.save(path, trainer.params(), meta, optimizer ? trainer.optimizer() : null,
                spec.training().precision() == Precision.F32 ? DType.F32 : DType.F64);
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
     * @throws SafeTensorsException naming the file if it is not a checkpoint, lacks a task, its
     *     {@code run} is malformed or disagrees with its model or task, or the task does not fit the model
     * @throws IOException if it cannot be read
     */
    public static Loaded load(Path path) throws IOException {
        return fromCheckpoint(Checkpoint.load(path), path.toString());
    }

    /**
     * Reads the run spec and step of a checkpoint already parsed (the second half of {@link #load}).
     *
     * @param ck  the checkpoint
     * @param src where it came from, for messages (a file name)
     * @throws SafeTensorsException naming {@code src} and the metadata key if the checkpoint lacks
     *     a task, its {@code run} or task options are malformed, {@code run} describes another model
     *     or task than the file's {@code config} and {@code task}, the task does not fit the model,
     *     or the step is not an integer
     */
    public static Loaded fromCheckpoint(Checkpoint ck, String src) throws SafeTensorsException {
        String taskName = ck.metadata().get("task");
        String runJson = ck.metadata().get("run");
        if (taskName == null && runJson == null) {
            throw new SafeTensorsException(src, "checkpoint has no task in its metadata (was it written by train?)");
        }
        Task task = null;
        if (taskName != null) {
            Map<String, String> options;
            try {
                options = JSON.readValue(ck.metadata().getOrDefault("task_options", "{}"),
                        new TypeReference<LinkedHashMap<String, String>>() { });
            } catch (JsonProcessingException e) {
                throw new SafeTensorsException(src, "metadata task_options is not a JSON object of strings");
            }
            if (options == null) {
                throw new SafeTensorsException(src, "metadata task_options is not a JSON object of strings");
            }
            try {
                task = Tasks.byName(taskName, Tasks.storedOptions(taskName, options));
                Trainer.checkFits(task, ck.config());
            } catch (IllegalArgumentException e) {
                throw new SafeTensorsException(src, e.getMessage());
            }
        }
        RunSpec spec = runJson != null ? storedSpec(ck, task, runJson, src) : rebuiltSpec(ck, task, src);
        long step;
        try {
            step = Long.parseLong(ck.metadata().getOrDefault("step", "0"));
        } catch (NumberFormatException e) {
            throw new SafeTensorsException(src, "metadata step is not an integer");
        }
        return new Loaded(ck, spec, step, masteredAt(ck, spec, src));
    }

    /**
     * Metadata {@code curriculum_mastered}: comma-separated steps, one per curriculum stage, each
     * 0 or a step up to the checkpoint's after which an {@code until_mastered} stage was mastered.
     */
    private static long[] masteredAt(Checkpoint ck, RunSpec spec, String src) throws SafeTensorsException {
        String text = ck.metadata().get("curriculum_mastered");
        if (text == null) {
            return new long[0];
        }
        String[] parts = text.split(",", -1);
        if (parts.length != spec.curriculum().size()) {
            throw new SafeTensorsException(src, "metadata curriculum_mastered has " + parts.length
                    + " entries for a curriculum of " + spec.curriculum().size() + " stages");
        }
        long[] steps = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                steps[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new SafeTensorsException(src, "metadata curriculum_mastered entry " + i + " is not a step: '"
                        + parts[i] + "'");
            }
            if (steps[i] < 0 || (steps[i] > 0 && !spec.curriculum().get(i).untilMastered())) {
                throw new SafeTensorsException(src, "metadata curriculum_mastered entry " + i + " (" + steps[i]
                        + ") does not fit curriculum stage " + i);
            }
        }
        return steps;
    }

    /** The spec stored as metadata {@code run}, checked against the file's model and task. */
    private static RunSpec storedSpec(Checkpoint ck, Task task, String json, String src) throws SafeTensorsException {
        RunSpec spec;
        try {
            spec = RunSpec.parse(json);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(src, "metadata run: " + oneLine(e.getMessage()));
        }
        if (!spec.config().equals(ck.config())) {
            throw new SafeTensorsException(src, "metadata run describes another model than metadata config");
        }
        if (task != null && !(spec.taskName().equals(task.name()) && spec.task().options().equals(task.options()))) {
            throw new SafeTensorsException(src, "metadata run describes another task than metadata task and "
                    + "task_options");
        }
        return spec;
    }

    /**
     * The spec of a checkpoint written before metadata {@code run} existed: its task, options and
     * model; the training settings, target, name and description of the preset named in metadata
     * {@code preset} when that preset is known and trains the same task options (then with its
     * curriculum), else of the task's default preset ({@link Presets#forTask}; with its curriculum
     * only if it trains the same options).
     */
    static RunSpec rebuiltSpec(Checkpoint ck, Task task, String src) throws SafeTensorsException {
        RunSpec base = Presets.find(ck.metadata().get("preset"))
                .filter(p -> p.taskName().equals(task.name()) && p.task().options().equals(task.options()))
                .orElse(null);
        try {
            if (base == null) {
                base = Presets.forTask(task.name());
            }
            boolean same = base.task().options().equals(task.options());
            return new RunSpec(base.name(), base.description(), task.name(), same ? base.taskOptions()
                    : task.options(), ck.config(), base.training(), same ? base.curriculum() : java.util.List.of(),
                    base.target());
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(src, oneLine(e.getMessage()));
        }
    }

    private static String oneLine(String s) {
        return s == null ? "invalid" : s.replace('\n', ' ').replace('\r', ' ');
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
