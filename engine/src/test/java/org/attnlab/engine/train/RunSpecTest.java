package org.attnlab.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.tasks.Tasks;
import org.junit.jupiter.api.Test;

/** The run specification: its JSON form, its one {@code key=value} parser, its validation. */
class RunSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RunSpec LEGO6 = Presets.byName("lego6");

    @Test
    void everyPresetRoundTripsThroughJsonExactly() {
        for (RunSpec p : Presets.all()) {
            String json = p.toJson();
            RunSpec back = RunSpec.parse(json);
            assertEquals(p, back, p.name());
            assertEquals(json, back.toJson(), p.name() + ": the same text again");
        }
        for (String task : Tasks.names()) {          // the made-up defaults of tasks without a tuned preset
            RunSpec d = Presets.forTask(task);
            assertEquals(d, RunSpec.parse(d.toJson()), task);
        }
    }

    @Test
    void everyDoubleRoundTripsBitForBit() {
        double lr = Math.nextUp(1e-3), eps = 1.2345678901234567e-9, clip = 0.1 + 0.2, floor = Math.PI / 10;
        TrainingSettings s = new TrainingSettings(new AdamW.Settings(lr, Math.nextDown(0.9), 0.987654321, eps,
                Double.MIN_NORMAL), 7, 123, 11, floor, clip, 3, 5, Long.MIN_VALUE);
        TransformerConfig c = LEGO6.config().toBuilder().eps(Math.nextUp(1e-5)).rotaryBase(10000.000000000002).build();
        RunSpec spec = LEGO6.withTraining(s).withConfig(c).withName("odd", "doubles \u00e9 \"quoted\"");
        RunSpec back = RunSpec.parse(spec.toJson());
        assertEquals(spec, back);
        assertEquals(Double.doubleToLongBits(lr), Double.doubleToLongBits(back.training().adamw().lr()));
        assertEquals(Double.doubleToLongBits(clip), Double.doubleToLongBits(back.training().gradClip()));
        assertEquals(Double.doubleToLongBits(c.eps()), Double.doubleToLongBits(back.config().eps()));
        assertEquals(Long.MIN_VALUE, back.training().seed());
    }

    @Test
    void aVersionOneLegoSpecMeansTheFixedRoot() throws Exception {
        ObjectNode v1 = (ObjectNode) JSON.readTree(LEGO6.toJson());
        v1.put("version", 1);
        ((ObjectNode) v1.get("task").get("options")).remove("fixed_root");
        assertEquals("true", RunSpec.parse(v1.toString()).task().options().get("fixed_root"),
                "written before the root was random: the task it trained");
        assertEquals("false", RunSpec.parse(LEGO6.toJson()).task().options().get("fixed_root"), "today's default");
        ObjectNode v2 = (ObjectNode) JSON.readTree(LEGO6.toJson());
        ((ObjectNode) v2.get("task").get("options")).remove("fixed_root");
        assertEquals("false", RunSpec.parse(v2.toString()).task().options().get("fixed_root"),
                "a version-2 spec without the key takes the default");
    }

    @Test
    void theJsonFormHasTheDocumentedShape() throws Exception {
        JsonNode n = JSON.readTree(LEGO6.toJson());
        assertEquals(List.of("version", "name", "description", "task", "model", "training", "curriculum", "target"),
                fields(n));
        assertEquals(RunSpec.VERSION, n.get("version").asInt());
        assertEquals("lego", n.get("task").get("name").asText());
        assertEquals("6", n.get("task").get("options").get("n_var").asText());
        assertTrue(n.get("model").get("weight_sharing").asBoolean());
        assertEquals(RunSpec.TRAINING_KEYS, fields(n.get("training")));
        assertEquals(0.003, n.get("training").get("lr").asDouble());
        assertEquals("f32", n.get("training").get("dtype").asText());
        assertEquals(1200, n.get("curriculum").get(0).get("until_step").asInt());
        assertTrue(n.get("curriculum").get(0).get("until_mastered").asBoolean());
        assertEquals("3", n.get("curriculum").get(0).get("options").get("n_var").asText());
        assertEquals("accuracy_per_chain_position", n.get("target").get("metric").asText());
        JsonNode plain = JSON.readTree(Presets.byName("flipflop16").with("n_layers", "2").withName(null, null)
                .toJson());
        assertFalse(plain.has("curriculum") || plain.has("name") || plain.has("description"), plain.toString());
        assertEquals(Presets.byName("flipflop16").with("n_layers", "2").withName(null, null),
                RunSpec.parse(plain.toString()));
    }

    @Test
    void malformedJsonIsRefusedNamingTheKey() throws Exception {
        ObjectNode good = (ObjectNode) JSON.readTree(LEGO6.toJson());
        assertMessage("run spec is not valid JSON", () -> RunSpec.parse("{"));
        assertMessage("must be a JSON object", () -> RunSpec.parse("[1]"));
        assertMessage("unknown key 'colour'", () -> RunSpec.parse(edit(good, n -> n.put("colour", "red"))));
        assertMessage("unknown key 'training.learning_rate'", () -> RunSpec.parse(edit(good,
                n -> ((ObjectNode) n.get("training")).put("learning_rate", 1))));
        assertMessage("missing training", () -> RunSpec.parse(edit(good, n -> n.remove("training"))));
        assertMessage("missing steps", () -> RunSpec.parse(edit(good,
                n -> ((ObjectNode) n.get("training")).remove("steps"))));
        assertMessage("training.lr must be a number", () -> RunSpec.parse(edit(good,
                n -> ((ObjectNode) n.get("training")).put("lr", "fast"))));
        assertMessage("training.batch_size must be an integer", () -> RunSpec.parse(edit(good,
                n -> ((ObjectNode) n.get("training")).put("batch_size", 2.5))));
        assertMessage("batch_size must be at least 1", () -> RunSpec.parse(edit(good,
                n -> ((ObjectNode) n.get("training")).put("batch_size", 0))));
        assertMessage("adam_eps must be > 0", () -> RunSpec.parse(edit(good,
                n -> ((ObjectNode) n.get("training")).put("adam_eps", 0.0))));
        assertMessage("model: unknown config key 'n_layer'", () -> RunSpec.parse(edit(good,
                n -> ((ObjectNode) n.get("model")).put("n_layer", 1))));
        assertMessage("version 3 is not one this program reads", () -> RunSpec.parse(edit(good,
                n -> n.put("version", 3))));
        assertMessage("unknown task 'legos'", () -> RunSpec.parse(edit(good,
                n -> ((ObjectNode) n.get("task")).put("name", "legos"))));
        assertMessage("task.options.n_var must be a string", () -> RunSpec.parse(edit(good,
                n -> ((ObjectNode) n.get("task").get("options")).put("n_var", 6))));
        assertMessage("needs n_ctx >= 30", () -> RunSpec.parse(edit(good,
                n -> ((ObjectNode) n.get("model")).put("n_ctx", 20))));
        assertMessage("curriculum: curriculum stages must end at increasing steps", () -> RunSpec.parse(edit(good,
                n -> ((ObjectNode) n.get("curriculum").get(1)).put("until_step", 100))));
        assertMessage("missing metric", () -> RunSpec.parse(edit(good,
                n -> ((ObjectNode) n.get("target")).putNull("metric"))));
        assertMessage("target.value must be a number", () -> RunSpec.parse(edit(good,
                n -> ((ObjectNode) n.get("target")).put("value", "high"))));
    }

    @Test
    void withTakesModelTrainingAndTaskKeys() {
        RunSpec s = Presets.byName("sort").with(ordered("n_layers", "2", "lr", "1e-3", "batch_size", "16",
                "steps", "50", "seed", "9", "weight_decay", "0", "beta2", "0.99", "eval_every", "10", "eval_batch", "32",
                "grad_clip", "0.5", "min_lr_fraction", "0", "warmup", "5", "adam_eps", "1e-9"));
        assertEquals(2, s.config().nLayers());
        TrainingSettings t = s.training();
        assertEquals(new TrainingSettings(new AdamW.Settings(1e-3, 0.9, 0.99, 1e-9, 0), 16, 50, 5, 0, 0.5, 10, 32, 9),
                t);
        assertEquals("sort", s.name(), "a changed preset keeps the name of the preset it came from");
        RunSpec lego = LEGO6.with("n_var", "4");
        assertEquals(Map.of("n_var", "4"), lego.taskOptions());
        assertEquals(20, lego.task().seqLen());
        assertSame(LEGO6, LEGO6.with(Map.of()));
        assertEquals(LEGO6, LEGO6.with("n_var", "6"), "the preset's own options: nothing dropped");
        RunSpec spelled = LEGO6.with("shuffle", "true");
        assertTrue(spelled.sameTask(LEGO6), "a default spelled out is the same task");
        assertEquals(LEGO6.curriculum(), spelled.curriculum(), "so it keeps the curriculum");
        assertTrue(spelled.config().weightSharing(), "and the sharing");
    }

    @Test
    void stepsClipTheWarmupUnlessTheWarmupIsGiven() {
        RunSpec ff = Presets.byName("flipflop16");          // 600 steps, warmup 30
        assertEquals(10, ff.with("steps", "10").training().warmupSteps());
        assertEquals(30, ff.with("steps", "200").training().warmupSteps());
        assertEquals(ff.training().withSteps(10), ff.with("steps", "10").training(), "as TrainingSettings.withSteps");
        assertEquals(8, ff.with(ordered("warmup", "8", "steps", "10")).training().warmupSteps(), "in either order");
        assertMessage("warmup must be in [0, steps = 10]", () -> ff.with(ordered("warmup", "20", "steps", "10")));
    }

    @Test
    void theVocabularyAndContextGrowToFitAChangedTask() {
        RunSpec parity = Presets.byName("parity16");
        RunSpec longer = parity.with("T", "40");
        assertEquals(40, longer.config().nCtx());
        assertEquals(parity.config().dVocab(), longer.config().dVocab());
        RunSpec shorter = parity.with("T", "8");
        assertEquals(16, shorter.config().nCtx(), "n_ctx does not shrink");
        RunSpec cyclic = Presets.byName("cyclic5").with("n", "9");
        assertTrue(cyclic.config().dVocab() >= cyclic.task().vocabulary().size());
        assertTrue(cyclic.config().dVocab() > Presets.byName("cyclic5").config().dVocab(), "d_vocab grows with n");
        RunSpec lego = Presets.byName("lego6").with("n_var", "10");
        assertEquals(50, lego.config().nCtx());
        assertMessage("needs n_ctx >= 40", () -> parity.with(ordered("T", "40", "n_ctx", "20")));
    }

    @Test
    void anotherVersionOfLego6sTaskDropsItsCurriculumAndSharingUnlessSharingIsAsked() {
        RunSpec three = LEGO6.with("n_var", "3");
        assertTrue(three.curriculum().isEmpty());
        assertFalse(three.config().weightSharing());
        assertEquals(LEGO6.config().toBuilder().weightSharing(false).build(), three.config(),
                "otherwise the preset's model (n_ctx 30 fits 15)");
        assertEquals(LEGO6.training(), three.training());
        assertEquals(LEGO6.target(), three.target());
        RunSpec asked = LEGO6.with(ordered("n_var", "3", "weight_sharing", "true"));
        assertTrue(asked.config().weightSharing());
        assertTrue(asked.curriculum().isEmpty());
        RunSpec model = LEGO6.with("n_layers", "4");
        assertEquals(LEGO6.curriculum(), model.curriculum(), "a model change keeps the task's curriculum");
        assertTrue(model.config().weightSharing());
        assertFalse(LEGO6.with("weight_sharing", "false").config().weightSharing());
    }

    @Test
    void anUnknownKeyListsModelTrainingAndTaskKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LEGO6.with("colour", "red"));
        assertEquals("unknown option 'colour' for task 'lego'; its options are n_var, n_train, shuffle, fixed_root; model keys: "
                + String.join(", ", LEGO6.config().toMap().keySet()) + "; training keys: "
                + String.join(", ", RunSpec.TRAINING_KEYS), e.getMessage());
        assertTrue(LEGO6.keys().containsAll(List.of("n_layers", "weight_sharing", "lr", "seed", "n_var")));
    }

    @Test
    void badValuesNameTheKey() {
        assertMessage("lr: 'abc' is not a number", () -> LEGO6.with("lr", "abc"));
        assertMessage("batch_size must be an integer (got 2.5)", () -> LEGO6.with("batch_size", "2.5"));
        assertMessage("batch_size must be at least 1", () -> LEGO6.with("batch_size", "0"));
        assertMessage("seed must be an integer (got x)", () -> LEGO6.with("seed", "x"));
        assertMessage("beta1 must be in [0, 1)", () -> LEGO6.with("beta1", "1"));
        assertMessage("adam_eps must be > 0", () -> LEGO6.with("adam_eps", "0"));
        assertMessage("n_heads", () -> LEGO6.with("n_heads", "5"));
        assertMessage("n_layers", () -> LEGO6.with("n_layers", "x"));
        assertMessage("option n_var of task 'lego' must be an integer, got 'six'", () -> LEGO6.with("n_var", "six"));
        assertMessage("n_var must be in [1, 26]", () -> LEGO6.with("n_var", "30"));
        assertMessage("steps must be at least 1", () -> LEGO6.with("steps", "0"));
    }

    @Test
    void constructionValidatesTheTaskTheFitAndTheCurriculum() {
        TransformerConfig small = LEGO6.config().toBuilder().dVocab(10).build();
        assertMessage("needs d_vocab >= 31 (got 10)", () -> LEGO6.withConfig(small));
        assertMessage("unknown task 'nosuch'", () -> new RunSpec(null, null, "nosuch", Map.of(), LEGO6.config(),
                LEGO6.training(), List.of(), LEGO6.target()));
        assertMessage("curriculum: unknown option 'n_vars'", () -> LEGO6.withCurriculum(List.of(
                new Curriculum.Stage(Map.of("n_vars", "3"), 10))));
        assertMessage("target value must be a finite number", () -> new RunSpec.Target("accuracy", Double.NaN));
        assertMessage("name must not be blank", () -> LEGO6.withName(" ", null));
        assertEquals(List.of("n_var", "n_train", "shuffle"), List.copyOf(new RunSpec(null, null, "lego",
                ordered("shuffle", "false", "n_train", "2", "n_var", "3"), LEGO6.config(), LEGO6.training(),
                List.of(), LEGO6.target()).taskOptions().keySet()), "options in the task's declared order");
    }

    @Test
    void aSpecMadeFromPartsHasTheTasksDefaultTarget() {
        RunSpec s = RunSpec.of(Tasks.byName("sort"), Presets.byName("sort").config(), Presets.byName("sort").training());
        assertEquals(Presets.byName("sort").target(), s.target());
        assertEquals(null, s.name());
        assertEquals("sort", s.label());
        assertTrue(s.sameTask(Presets.byName("sort")));
        assertNotEquals(Presets.byName("sort"), s, "no name, no description");
    }

    @Test
    void initIsATrainingKeyThatDefaultsToNormalInOlderFiles() throws Exception {
        RunSpec mimetic = LEGO6.with(Map.of("init", "mimetic"));
        assertEquals(InitScheme.MIMETIC, mimetic.training().init());
        assertEquals(InitScheme.NORMAL, mimetic.with(Map.of("init", " normal ")).training().init());
        assertEquals(mimetic, RunSpec.parse(mimetic.toJson()));
        assertEquals("mimetic", JSON.readTree(mimetic.toJson()).get("training").get("init").asText());
        ObjectNode old = (ObjectNode) JSON.readTree(mimetic.toJson());
        ((ObjectNode) old.get("training")).remove("init");
        assertEquals(InitScheme.NORMAL, RunSpec.parse(old.toString()).training().init(),
                "written before the key existed: the init those runs had");
        assertMessage("init must be normal or mimetic (got 'xavier')", () -> LEGO6.with(Map.of("init", "xavier")));
        assertMessage("training.init must be \"normal\" or \"mimetic\" (got 3)",
                () -> RunSpec.parse(edit(old, o -> ((ObjectNode) o.get("training")).put("init", 3))));
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static IllegalArgumentException assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(part), "expected '" + part + "' in: " + x.getMessage());
        return x;
    }

    private static String edit(ObjectNode good, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode copy = good.deepCopy();
        change.accept(copy);
        return copy.toString();
    }

    private static List<String> fields(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
