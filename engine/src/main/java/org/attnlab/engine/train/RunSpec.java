package org.attnlab.engine.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.tasks.Metrics;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.TaskOption;
import org.attnlab.engine.tasks.Tasks;

/**
 * Everything a training run is, as one immutable, validated value (docs/engine.md, "Run
 * specification"): the task and its options, the model configuration (which holds
 * {@code weight_sharing}), the training settings (which hold the seed), the curriculum, the
 * target the run is judged by, and an optional name and description. A preset is a named
 * RunSpec ({@link Presets}); every checkpoint written by training stores its own (metadata
 * {@code run}, {@link TrainingCheckpoints}); {@link #with} is the one {@code key=value} parser
 * the command line's {@code --set}, lessons' {@code set:} and the window's settings sheet use;
 * {@link #toJson} and {@link #parse} are its JSON form, which round-trips exactly.
 *
 * <p>The task options are kept as given (a preset's {@code n_var=6}, a checkpoint's full
 * {@code n_var, n_train, shuffle}), in the order the task declares its options; two specs train
 * the same task when their {@link #task()}s' options are equal ({@link #sameTask}). As in
 * TensorFlow Playground, one serialisable state object doubles as the lesson preset.
 */
public final class RunSpec {
    /**
     * The version of the JSON form this program writes; it reads it and version 1 (before LEGO's
     * root was drawn at random: a version-1 LEGO spec without {@code fixed_root} means
     * {@code fixed_root=true}, see {@code Tasks.storedOptions}).
     */
    public static final int VERSION = 2;

    /**
     * The training keys of {@link #with} and of the JSON form's {@code training} object, in order:
     * AdamW's {@code lr, beta1, beta2, adam_eps, weight_decay}, then {@code batch_size, steps,
     * warmup, grad_clip, eval_every, eval_batch, min_lr_fraction, seed} ({@link TrainingSettings}).
     */
    public static final List<String> TRAINING_KEYS = List.of("lr", "beta1", "beta2", "adam_eps", "weight_decay",
            "batch_size", "steps", "warmup", "grad_clip", "eval_every", "eval_batch", "min_lr_fraction", "seed",
            "dtype", "init");

    /**
     * What a run is judged by.
     *
     * @param metric a metric name of the task's evaluation; for a metric with one value per
     *               position, every position must reach {@code value}
     * @param value  the value {@code metric} reaches (at least)
     */
    public record Target(String metric, double value) {
        /** @throws IllegalArgumentException if the metric is blank or the value not finite */
        public Target {
            if (metric == null || metric.isBlank()) {
                throw new IllegalArgumentException("target metric must be a metric name");
            }
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("target value must be a finite number (got " + value + ")");
            }
        }

        /**
         * @return the value judged against {@link #value()}: the metric itself, or the smallest
         *     entry of a per-position metric (NaN entries, positions without data, are skipped);
         *     NaN if the metrics lack {@link #metric()}
         */
        public double valueOf(Metrics metrics) {
            if (!metrics.names().contains(metric)) {
                return Double.NaN;
            }
            double min = Double.POSITIVE_INFINITY;
            for (double x : metrics.get(metric)) {
                if (!Double.isNaN(x)) {
                    min = Math.min(min, x);
                }
            }
            return min == Double.POSITIVE_INFINITY ? Double.NaN : min;
        }

        /** @return whether {@code metrics} reach the target */
        public boolean reachedBy(Metrics metrics) {
            return valueOf(metrics) >= value;
        }

        /**
         * Whether a model of configuration {@code c} can have this target's metric at all: a
         * per-layer metric ({@code name.L<k>}, e.g. {@code induction_score_max.L1}) needs a layer
         * {@code k}.
         *
         * @return why the metric cannot be measured on such a model, or {@code null} if it can
         */
        public String unmeasurableOn(TransformerConfig c) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(".*\\.L(\\d+)").matcher(metric);
            if (m.matches()) {
                long layer = Long.parseLong(m.group(1));
                if (layer >= c.nLayers()) {
                    return "the model has no layer " + layer + " (n_layers = " + c.nLayers() + ")";
                }
            }
            return null;
        }
    }

    private final String name;
    private final String description;
    private final String taskName;
    private final Map<String, String> taskOptions;
    private final TransformerConfig config;
    private final TrainingSettings training;
    private final List<Curriculum.Stage> curriculum;
    private final Target target;
    private final Task task;

    /**
     * @param name        the preset's id (e.g. {@code lego6}), or {@code null}; a spec changed by
     *                    {@link #with} keeps the name of the preset it came from
     * @param description one line for menus and {@code --help}, or {@code null}
     * @param taskName    a {@link Tasks} name
     * @param taskOptions the task's options as given (absent ones take the task's defaults)
     * @param config      the model configuration; its d_vocab and n_ctx must fit the task
     * @param training    optimizer, schedule, batch, seed
     * @param curriculum  easier versions of the task for the first steps ({@link Curriculum}), empty for none
     * @param target      what the run is judged by
     * @throws IllegalArgumentException naming the key at fault: an unknown task or option, a
     *     model too small for the task (d_vocab, n_ctx), a curriculum stage that does not build,
     *     a blank name
     */
    public RunSpec(String name, String description, String taskName, Map<String, String> taskOptions,
                   TransformerConfig config, TrainingSettings training, List<Curriculum.Stage> curriculum,
                   Target target) {
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank (leave it out instead)");
        }
        this.name = name;
        this.description = description;
        this.taskName = Objects.requireNonNull(taskName, "task");
        this.config = Objects.requireNonNull(config, "model");
        this.training = Objects.requireNonNull(training, "training");
        this.target = Objects.requireNonNull(target, "target");
        this.task = Tasks.byName(taskName, Objects.requireNonNull(taskOptions, "task options"));
        this.taskOptions = declaredOrder(taskName, taskOptions);
        Trainer.checkFits(task, config);
        List<Curriculum.Stage> stages = new ArrayList<>();
        for (Curriculum.Stage s : Objects.requireNonNull(curriculum, "curriculum")) {
            stages.add(new Curriculum.Stage(declaredOrder(taskName, s.options()), s.untilStep(), s.untilMastered()));
        }
        this.curriculum = List.copyOf(stages);
        if (!stages.isEmpty()) {
            try {
                new Curriculum(task, stages);                 // validates the stages
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("curriculum: " + e.getMessage());
            }
        }
    }

    /**
     * The spec of a run made from its parts (a trainer built without a spec): no name, no
     * curriculum, the target of the task's default preset ({@link Presets#forTask}).
     *
     * @throws IllegalArgumentException if the task does not fit the configuration
     */
    public static RunSpec of(Task task, TransformerConfig config, TrainingSettings training) {
        return new RunSpec(null, null, task.name(), task.options(), config, training, List.of(),
                Presets.forTask(task.name()).target());
    }

    /** @return {@code options} in the order task {@code taskName} declares its options */
    private static Map<String, String> declaredOrder(String taskName, Map<String, String> options) {
        Map<String, String> out = new LinkedHashMap<>();
        for (TaskOption o : Tasks.options(taskName)) {
            if (options.containsKey(o.key())) {
                out.put(o.key(), options.get(o.key()));
            }
        }
        options.forEach(out::putIfAbsent);          // none: Tasks.byName refused unknown options
        return Collections.unmodifiableMap(out);
    }

    // ------------------------------------------------------------------ parts

    /** @return the preset's id, or {@code null} for a run that names none */
    public String name() {
        return name;
    }

    /** @return the description, or {@code null} */
    public String description() {
        return description;
    }

    /** @return the name, else the task's name: what a title or a file name calls the run */
    public String label() {
        return name != null ? name : taskName;
    }

    /** @return the task's name ({@link Tasks}) */
    public String taskName() {
        return taskName;
    }

    /** @return the task's options as given, in the task's declared order (unmodifiable) */
    public Map<String, String> taskOptions() {
        return taskOptions;
    }

    /** @return the task, built once from name and options (tasks are immutable) */
    public Task task() {
        return task;
    }

    /** @return the model configuration */
    public TransformerConfig config() {
        return config;
    }

    /** @return the training settings */
    public TrainingSettings training() {
        return training;
    }

    /** @return the curriculum's stages, empty for none (unmodifiable) */
    public List<Curriculum.Stage> curriculum() {
        return curriculum;
    }

    /** @return the target */
    public Target target() {
        return target;
    }

    /** @return whether {@code other} trains the same task with the same options (defaults filled in) */
    public boolean sameTask(RunSpec other) {
        return other != null && taskName.equals(other.taskName) && task.options().equals(other.task.options());
    }

    // ------------------------------------------------------------------ changed copies

    /**
     * Applies {@code key=value} overrides: the one parser of a run's keys (docs/engine.md, "Run
     * specification"). A key is a model key ({@code n_layers}, {@code positional_embedding_type},
     * {@code weight_sharing}, ... applied together through {@code ConfigJson.with}), a training key
     * ({@link #TRAINING_KEYS}) or an option of the task ({@code n_var}, {@code T}, ...). When the
     * task's options change, d_vocab and n_ctx grow to fit the new task, and the curriculum and
     * weight sharing are dropped: they belong to the preset's own task (unless
     * {@code weight_sharing} is among the overrides). A changed {@code steps} clips the warmup to
     * it unless {@code warmup} is given too. Name and description are kept.
     *
     * @param overrides key to value, as typed (e.g. {@code lr -> 1e-3}); empty for this spec
     * @return the new, validated spec
     * @throws IllegalArgumentException naming the key at fault: an unknown key (the message lists
     *     the model, training and task keys), a value that does not parse or is out of range
     */
    public RunSpec with(Map<String, String> overrides) {
        return overrides.isEmpty() ? this : RunOverrides.apply(this, overrides);
    }

    /** @return {@link #with} of one key */
    public RunSpec with(String key, String value) {
        return with(Map.of(key, value));
    }

    /** @return a copy with other training settings */
    public RunSpec withTraining(TrainingSettings t) {
        return new RunSpec(name, description, taskName, taskOptions, config, t, curriculum, target);
    }

    /** @return a copy with another model configuration (it must fit the task) */
    public RunSpec withConfig(TransformerConfig c) {
        return new RunSpec(name, description, taskName, taskOptions, c, training, curriculum, target);
    }

    /** @return a copy with another curriculum */
    public RunSpec withCurriculum(List<Curriculum.Stage> stages) {
        return new RunSpec(name, description, taskName, taskOptions, config, training, stages, target);
    }

    /** @return a copy with another name and description (either may be {@code null}) */
    public RunSpec withName(String newName, String newDescription) {
        return new RunSpec(newName, newDescription, taskName, taskOptions, config, training, curriculum, target);
    }

    /** @return the keys {@link #with} takes for this spec: model keys, training keys, the task's options */
    public List<String> keys() {
        List<String> keys = new ArrayList<>(config.toMap().keySet());
        keys.addAll(TRAINING_KEYS);
        Tasks.options(taskName).forEach(o -> keys.add(o.key()));
        return keys;
    }

    // ------------------------------------------------------------------ JSON

    /** @return the JSON form (compact; docs/engine.md, "Run specification") */
    public String toJson() {
        return RunSpecJson.write(this);
    }

    /**
     * @param json the JSON form
     * @return the spec it describes, equal to the one that wrote it
     * @throws IllegalArgumentException naming the key at fault (e.g. {@code training.lr}) for
     *     malformed JSON, an unknown or missing key, a value of the wrong type or out of range, or
     *     a version this program does not read
     */
    public static RunSpec parse(String json) {
        return RunSpecJson.read(json);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunSpec r && Objects.equals(name, r.name) && Objects.equals(description, r.description)
                && taskName.equals(r.taskName) && taskOptions.equals(r.taskOptions) && config.equals(r.config)
                && training.equals(r.training) && curriculum.equals(r.curriculum) && target.equals(r.target);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description, taskName, taskOptions, config, training, curriculum, target);
    }

    /** @return the JSON form */
    @Override
    public String toString() {
        return toJson();
    }
}
