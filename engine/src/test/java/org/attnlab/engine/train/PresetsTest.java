package org.attnlab.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.tasks.LegoTask;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresetsTest {
    private static final RunSpec LEGO6 = Presets.byName("lego6");

    @Test
    void lego6CarriesItsCurriculumWeightSharingAndRotaryPositions() {
        assertTrue(LEGO6.config().weightSharing(), "one block shared by the 6 layers (weight_sharing)");
        assertEquals(6, LEGO6.config().nLayers());
        assertEquals(List.of(3, 4, 5), LEGO6.curriculum().stream().map(s -> Integer.parseInt(s.options().get("n_var")))
                .toList());
        long prev = 0;
        for (Curriculum.Stage s : LEGO6.curriculum()) {
            assertEquals(s.options().get("n_var"), s.options().get("n_train"), "each stage trains all its positions");
            assertTrue(s.untilStep() > prev);
            prev = s.untilStep();
        }
        assertTrue(prev < LEGO6.training().steps(), "the full task is trained after the last stage");
        assertEquals("6", LEGO6.taskOptions().get("n_var"));
        TransformerConfig c = LEGO6.config();
        assertEquals(TransformerConfig.PositionalEmbedding.ROTARY, c.positionalEmbeddingType());
        assertEquals(TransformerConfig.AttentionDir.BIDIRECTIONAL, c.attentionDir());
        assertEquals("accuracy_per_chain_position", LEGO6.target().metric());
        assertEquals(0.99, LEGO6.target().value());
    }

    @Test
    void otherPresetsHaveNoCurriculumOrSharing() {
        for (RunSpec p : Presets.all()) {
            if (!p.name().equals("lego6")) {
                assertTrue(p.curriculum().isEmpty(), p.name());
                assertFalse(p.config().weightSharing(), p.name());
            }
        }
        assertTrue(Presets.find("lego6").isPresent());
        assertTrue(Presets.find("no-such-preset").isEmpty());
    }

    @Test
    void aTrainerOfThePresetTrainsItsCurriculum() {
        Trainer t = new Trainer(LEGO6);
        assertEquals(LEGO6, t.spec());
        assertTrue(t.params().has("blocks.0.attn.W_Q"));
        assertFalse(t.params().has("blocks.1.attn.W_Q"), "the shared block exists once");
        assertEquals(15, t.trainingBatch(1).seqLen(), "3 variables first");
        assertEquals(20, t.trainingBatch(LEGO6.curriculum().get(0).untilStep() + 1).seqLen());
        assertEquals(30, t.trainingBatch(LEGO6.training().steps()).seqLen(), "6 variables at the end");
        assertEquals(30, t.task().seqLen(), "evaluation uses the full task");
    }

    @Test
    void otherOptionsOfThePresetsTaskGetNoCurriculum() {
        RunSpec three = LEGO6.with(Map.of("n_var", "3"));
        assertTrue(three.curriculum().isEmpty(), "the curriculum belongs to the preset's own task options");
        assertFalse(three.config().weightSharing());
        Trainer t = new Trainer(three);
        assertEquals(15, t.trainingBatch(1).seqLen(), "no curriculum");
        assertEquals(15, t.trainingBatch(LEGO6.training().steps()).seqLen());
        Task task = Tasks.byName("lego", Map.of("n_var", "3"));
        Trainer raw = new Trainer(task, LEGO6.config().toBuilder().weightSharing(false).build(), LEGO6.training());
        assertTrue(raw.spec().curriculum().isEmpty(), "a trainer made from parts has no curriculum");
        assertEquals(15, raw.trainingBatch(1).seqLen());
    }

    @Test
    void aTrainerOfExistingParametersDoesNotTouchThem() {
        TransformerConfig unshared = LEGO6.config().toBuilder().weightSharing(false).build();
        Parameters p = Parameters.init(unshared, new SplittableRandom(3));
        Parameters before = p.copy();
        Trainer t = new Trainer(LEGO6.withConfig(unshared), p, null, 2000);
        assertEquals(25, t.trainingBatch(2001).seqLen(), "the curriculum's third stage (5 variables) at step 2001, "
                + "no stage mastered");
        assertEquals(LegoTask.of(6).options(), t.task().options());
        for (org.attnlab.engine.model.Param x : p.all()) {
            assertTrue(java.util.Arrays.equals(before.get(x.name()).value().data, x.value().data), x.name());
        }
    }

    @Test
    void aSharedCheckpointHoldsEachSharedTensorOnceAndResumesBitForBit(@TempDir Path dir) throws Exception {
        TrainingSettings small = LEGO6.training().withBatchSize(2);
        Trainer t = new Trainer(LEGO6.withTraining(small));
        t.step();
        t.step();
        Path f = dir.resolve("l6.safetensors");
        TrainingCheckpoints.save(f, t);
        java.util.Set<String> stored = org.attnlab.engine.io.SafeTensors.read(f).tensors().keySet();
        assertTrue(stored.contains("blocks.0.attn.W_Q") && stored.contains("optim.m.blocks.0.mlp.W_in"), stored.toString());
        assertTrue(stored.stream().noneMatch(n -> n.contains("blocks.1.")), "each shared tensor once: " + stored);
        assertEquals(t.params().all().size() * 3, stored.size(), "parameters and two AdamW moments, once each");
        TrainingCheckpoints.Loaded loaded = TrainingCheckpoints.load(f);
        assertEquals(LEGO6.withTraining(small), loaded.spec(), "the checkpoint holds its run spec");
        Trainer back = loaded.resume();
        assertEquals(2, back.stepCount());
        assertTrue(back.params().config().weightSharing());
        assertEquals(LEGO6.curriculum(), back.spec().curriculum());
        assertEquals(t.trainingBatch(3).seqLen(), back.trainingBatch(3).seqLen());
        assertEquals(t.step().loss(), back.step().loss(), "the resumed run continues bit for bit");
    }

    @Test
    void aCurriculumThatDoesNotFitIsRejected() {
        List<Curriculum.Stage> tooLong = List.of(new Curriculum.Stage(Map.of("n_var", "7", "n_train", "7"), 10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RunSpec("x", "x",
                "lego", Map.of("n_var", "6"), LEGO6.config(), LEGO6.training(), tooLong,
                new RunSpec.Target("accuracy", 0.99)));
        assertTrue(e.getMessage().startsWith("curriculum: "), e.getMessage());
    }
}
