package org.attnlab.engine.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnlab.engine.compute.Precision;
import org.attnlab.engine.model.ConfigJson;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.Tasks;

/**
 * {@link RunSpec#with}: {@code key=value} overrides of a run (docs/engine.md, "Run
 * specification"). Each key is a model key, a training key or a task option; the rules are those
 * the command line's {@code --set} has always had.
 */
final class RunOverrides {
    private RunOverrides() {
    }

    static RunSpec apply(RunSpec spec, Map<String, String> overrides) {
        Map<String, String> taskOptions = new LinkedHashMap<>(spec.taskOptions());
        Map<String, String> model = new LinkedHashMap<>();
        Map<String, String> training = new LinkedHashMap<>();
        Map<String, Object> modelKeys = spec.config().toMap();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String k = e.getKey(), v = e.getValue();
            if (v == null) {
                throw new IllegalArgumentException(k + " needs a value");
            }
            if (RunSpec.TRAINING_KEYS.contains(k)) {
                training.put(k, v);
            } else if (modelKeys.containsKey(k)) {
                model.put(k, v);
            } else {
                taskOptions.put(k, v);          // Tasks.byName names an unknown option
            }
        }
        Task t;
        try {
            t = Tasks.byName(spec.taskName(), taskOptions);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("unknown option")) {
                throw new IllegalArgumentException(e.getMessage() + "; model keys: " + String.join(", ",
                        modelKeys.keySet()) + "; training keys: " + String.join(", ", RunSpec.TRAINING_KEYS));
            }
            throw e;
        }
        TransformerConfig c = spec.config();
        List<Curriculum.Stage> curriculum = spec.curriculum();
        if (!t.options().equals(spec.task().options())) {
            // the preset's curriculum and weight sharing belong to its own task: another version of
            // the task gets the preset's model and settings without them (unless weight_sharing is set)
            c = c.toBuilder().dVocab(Math.max(c.dVocab(), t.vocabulary().size()))
                    .nCtx(Math.max(c.nCtx(), t.seqLen())).weightSharing(false).build();
            curriculum = List.of();
        }
        if (!model.isEmpty()) {
            c = ConfigJson.with(c, model);
        }
        TrainingSettings s = training.isEmpty() ? spec.training() : training(spec.training(), training);
        return new RunSpec(spec.name(), spec.description(), spec.taskName(), taskOptions, c, s, curriculum,
                spec.target());
    }

    /**
     * The training keys applied together: {@code steps} first (clipping the warmup to it unless
     * {@code warmup} is given too), then the others, validated once as a whole.
     */
    private static TrainingSettings training(TrainingSettings s, Map<String, String> keys) {
        AdamW.Settings a = s.adamw();
        double lr = a.lr(), beta1 = a.beta1(), beta2 = a.beta2(), eps = a.eps(), decay = a.weightDecay();
        int batch = s.batchSize(), steps = s.steps(), warmup = s.warmupSteps(), evalEvery = s.evalEvery();
        int evalBatch = s.evalBatchSize();
        double clip = s.gradClip(), minLr = s.minLrFraction();
        long seed = s.seed();
        Precision precision = s.precision();
        InitScheme init = s.init();
        if (keys.containsKey("steps")) {
            steps = integer("steps", keys.get("steps"));
            warmup = Math.min(warmup, Math.max(steps, 1));
        }
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String k = e.getKey(), v = e.getValue();
            switch (k) {
                case "lr" -> lr = number(k, v);
                case "beta1" -> beta1 = number(k, v);
                case "beta2" -> beta2 = number(k, v);
                case "adam_eps" -> eps = number(k, v);
                case "weight_decay" -> decay = number(k, v);
                case "batch_size" -> batch = integer(k, v);
                case "steps" -> { }                      // above
                case "warmup" -> warmup = integer(k, v);
                case "grad_clip" -> clip = number(k, v);
                case "eval_every" -> evalEvery = integer(k, v);
                case "eval_batch" -> evalBatch = integer(k, v);
                case "min_lr_fraction" -> minLr = number(k, v);
                case "seed" -> seed = seed(v);
                case "dtype" -> precision = precision(v);
                case "init" -> init = InitScheme.parse(v);
                default -> throw new IllegalStateException(k);
            }
        }
        return new TrainingSettings(adamw(lr, beta1, beta2, eps, decay), batch, steps, warmup, minLr, clip, evalEvery,
                evalBatch, seed, precision, init);
    }

    /** @throws IllegalArgumentException naming the key and the accepted values */
    static Precision precision(String v) {
        try {
            return Precision.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dtype must be f32 or f64 (got '" + v + "')");
        }
    }

    /** AdamW's settings; its {@code eps} is the run's {@code adam_eps} (the model's {@code eps} is LayerNorm's). */
    static AdamW.Settings adamw(double lr, double beta1, double beta2, double eps, double decay) {
        try {
            return new AdamW.Settings(lr, beta1, beta2, eps, decay);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new IllegalArgumentException(m != null && m.startsWith("eps ") ? "adam_" + m : m);
        }
    }

    private static double number(String key, String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a number");
        }
    }

    private static int integer(String key, String value) {
        double x = number(key, value);
        int i = (int) x;
        if (x != i) {
            throw new IllegalArgumentException(key + " must be an integer (got " + value + ")");
        }
        return i;
    }

    private static long seed(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seed must be an integer (got " + value + ")");
        }
    }
}
