package org.attnlab.engine.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnlab.engine.compute.Precision;
import org.attnlab.engine.model.ConfigJson;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.tasks.Tasks;

/**
 * The JSON form of a {@link RunSpec} (docs/engine.md, "Run specification"):
 * <pre>
 * {"version": 1, "name": "flipflop16", "description": "...",
 *  "task": {"name": "flipflop", "options": {"T": "16"}},
 *  "model": { the configuration JSON of docs/engine.md, "Configuration" },
 *  "training": {"lr": 0.003, "beta1": 0.9, "beta2": 0.98, "adam_eps": 1e-8, "weight_decay": 0.01,
 *               "batch_size": 32, "steps": 600, "warmup": 30, "grad_clip": 1.0, "eval_every": 50,
 *               "eval_batch": 256, "min_lr_fraction": 0.1, "seed": 1, "dtype": "f32", "init": "normal"},
 *  "curriculum": [{"options": {"n_var": "3", "n_train": "3"}, "until_step": 500}, ...],
 *  "target": {"metric": "accuracy", "value": 0.99}}
 * </pre>
 * {@code name}, {@code description} and {@code curriculum} may be left out (and {@code training.dtype}
 * and {@code training.init}, which older files lack: f64 and normal); every other key is
 * required, and unknown keys are refused. Numbers are written as Java's shortest round-tripping
 * decimal, so every double reads back bit for bit.
 */
final class RunSpecJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> TOP = Set.of("version", "name", "description", "task", "model", "training",
            "curriculum", "target");

    private RunSpecJson() {
    }

    static String write(RunSpec s) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", RunSpec.VERSION);
        if (s.name() != null) root.put("name", s.name());
        if (s.description() != null) root.put("description", s.description());
        ObjectNode task = root.putObject("task");
        task.put("name", s.taskName());
        strings(task.putObject("options"), s.taskOptions());
        root.set("model", tree(ConfigJson.toJson(s.config())));
        TrainingSettings t = s.training();
        ObjectNode tr = root.putObject("training");
        AdamW.Settings a = t.adamw();
        tr.put("lr", a.lr());
        tr.put("beta1", a.beta1());
        tr.put("beta2", a.beta2());
        tr.put("adam_eps", a.eps());
        tr.put("weight_decay", a.weightDecay());
        tr.put("batch_size", t.batchSize());
        tr.put("steps", t.steps());
        tr.put("warmup", t.warmupSteps());
        tr.put("grad_clip", t.gradClip());
        tr.put("eval_every", t.evalEvery());
        tr.put("eval_batch", t.evalBatchSize());
        tr.put("min_lr_fraction", t.minLrFraction());
        tr.put("seed", t.seed());
        tr.put("dtype", t.precision().id());
        tr.put("init", t.init().id());
        if (!s.curriculum().isEmpty()) {
            ArrayNode stages = root.putArray("curriculum");
            for (Curriculum.Stage st : s.curriculum()) {
                ObjectNode o = stages.addObject();
                strings(o.putObject("options"), st.options());
                o.put("until_step", st.untilStep());
                if (st.untilMastered()) {
                    o.put("until_mastered", true);
                }
            }
        }
        ObjectNode target = root.putObject("target");
        target.put("metric", s.target().metric());
        target.put("value", s.target().value());
        return root.toString();
    }

    static RunSpec read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("run spec is not valid JSON: " + oneLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("run spec must be a JSON object");
        }
        known(root, "", TOP);
        JsonNode version = require(root, "version");
        if (!version.isIntegralNumber()) {
            throw new IllegalArgumentException("version must be an integer (got " + version + ")");
        }
        if (version.asLong() != RunSpec.VERSION && version.asLong() != 1) {
            throw new IllegalArgumentException("run spec version " + version + " is not one this program reads (1 to "
                    + RunSpec.VERSION + ")");
        }
        String name = optionalText(root, "name");
        String description = optionalText(root, "description");
        JsonNode task = object(root, "task", "task");
        known(task, "task.", Set.of("name", "options"));
        String taskName = text(task, "name", "task.name");
        Map<String, String> options = strings(object(task, "options", "task.options"), "task.options");
        if (version.asLong() == 1) {
            options = Tasks.storedOptions(taskName, options);   // written before some options existed
        }
        JsonNode model = object(root, "model", "model");
        TransformerConfig config;
        try {
            config = ConfigJson.parse(model.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model: " + e.getMessage());
        }
        TrainingSettings training = training(object(root, "training", "training"));
        List<Curriculum.Stage> curriculum = new ArrayList<>();
        JsonNode stages = root.get("curriculum");
        if (stages != null && !stages.isNull()) {
            if (!stages.isArray()) {
                throw new IllegalArgumentException("curriculum must be an array of stages");
            }
            for (int i = 0; i < stages.size(); i++) {
                String at = "curriculum[" + i + "]";
                JsonNode st = stages.get(i);
                if (!st.isObject()) {
                    throw new IllegalArgumentException(at + " must be an object");
                }
                known(st, at + ".", Set.of("options", "until_step", "until_mastered"));
                JsonNode mastered = st.get("until_mastered");
                if (mastered != null && !mastered.isBoolean()) {
                    throw new IllegalArgumentException(at + ".until_mastered must be true or false (got " + mastered
                            + ")");
                }
                curriculum.add(new Curriculum.Stage(strings(object(st, "options", at + ".options"), at + ".options"),
                        longValue(st, "until_step", at + ".until_step"), mastered != null && mastered.asBoolean()));
            }
        }
        JsonNode target = object(root, "target", "target");
        known(target, "target.", Set.of("metric", "value"));
        RunSpec.Target t = new RunSpec.Target(text(target, "metric", "target.metric"),
                number(target, "value", "target.value"));
        return new RunSpec(name, description, taskName, options, config, training, curriculum, t);
    }

    private static TrainingSettings training(JsonNode n) {
        known(n, "training.", Set.copyOf(RunSpec.TRAINING_KEYS));
        AdamW.Settings a = RunOverrides.adamw(number(n, "lr", "training.lr"), number(n, "beta1", "training.beta1"),
                number(n, "beta2", "training.beta2"), number(n, "adam_eps", "training.adam_eps"),
                number(n, "weight_decay", "training.weight_decay"));
        return new TrainingSettings(a, integer(n, "batch_size"), integer(n, "steps"), integer(n, "warmup"),
                number(n, "min_lr_fraction", "training.min_lr_fraction"), number(n, "grad_clip", "training.grad_clip"),
                integer(n, "eval_every"), integer(n, "eval_batch"), longValue(n, "seed", "training.seed"),
                choice(n, "dtype", Precision.F64, Precision::parse, "\"f32\" or \"f64\""),
                choice(n, "init", InitScheme.NORMAL, InitScheme::parse, "\"normal\" or \"mimetic\""));
    }

    /**
     * An optional text key of {@code training}, parsed by {@code parse}; absent (a spec from before
     * the key existed) it means {@code absent}, what those runs had: f64 for {@code dtype},
     * normal for {@code init}.
     *
     * @param accepted the values, quoted, for the message (e.g. {@code "f32" or "f64"})
     * @throws IllegalArgumentException naming {@code training.<key>} and the accepted values
     */
    private static <T> T choice(JsonNode n, String key, T absent, java.util.function.Function<String, T> parse,
                                String accepted) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return absent;
        }
        try {
            if (v.isTextual()) {
                return parse.apply(v.asText());
            }
        } catch (IllegalArgumentException e) {
            // reported below, with the key's full name
        }
        throw new IllegalArgumentException("training." + key + " must be " + accepted + " (got " + v + ")");
    }

    private static void known(JsonNode n, String prefix, Set<String> keys) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!keys.contains(k)) {
                throw new IllegalArgumentException("unknown key '" + prefix + k + "' in the run spec (known: "
                        + String.join(", ", new java.util.TreeSet<>(keys)) + ")");
            }
        }
    }

    private static JsonNode require(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("run spec is missing " + key);
        }
        return v;
    }

    private static JsonNode object(JsonNode n, String key, String path) {
        JsonNode v = require(n, key);
        if (!v.isObject()) {
            throw new IllegalArgumentException(path + " must be a JSON object");
        }
        return v;
    }

    private static String text(JsonNode n, String key, String path) {
        JsonNode v = require(n, key);
        if (!v.isTextual()) {
            throw new IllegalArgumentException(path + " must be a string (got " + v + ")");
        }
        return v.textValue();
    }

    private static String optionalText(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(key + " must be a string (got " + v + ")");
        }
        return v.textValue();
    }

    private static double number(JsonNode n, String key, String path) {
        JsonNode v = require(n, key);
        if (!v.isNumber()) {
            throw new IllegalArgumentException(path + " must be a number (got " + v + ")");
        }
        return v.doubleValue();
    }

    private static int integer(JsonNode n, String key) {
        JsonNode v = require(n, key);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException("training." + key + " must be an integer (got " + v + ")");
        }
        return v.intValue();
    }

    private static long longValue(JsonNode n, String key, String path) {
        JsonNode v = require(n, key);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(path + " must be an integer (got " + v + ")");
        }
        return v.longValue();
    }

    private static Map<String, String> strings(JsonNode n, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException(path + "." + e.getKey() + " must be a string (got "
                        + e.getValue() + ")");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    private static void strings(ObjectNode into, Map<String, String> values) {
        values.forEach(into::put);
    }

    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
