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
    private static final Preset LEGO6 = Presets.byName("lego6");

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
        assertEquals("accuracy_per_chain_position", LEGO6.targetMetric());
        assertEquals(0.99, LEGO6.target());
    }

    @Test
    void otherPresetsHaveNoCurriculumOrSharing() {
        for (Preset p : Presets.all()) {
            if (!p.name().equals("lego6")) {
                assertTrue(p.curriculum().isEmpty(), p.name());
                assertFalse(p.config().weightSharing(), p.name());
            }
        }
        assertTrue(Presets.find("lego6").isPresent());
        assertTrue(Presets.find("no-such-preset").isEmpty());
    }

    @Test
    void configureAppliesTheCurriculumToAFreshModelOfThePresetsTask() {
        Trainer t = new Trainer(LEGO6.task(), LEGO6.config(), LEGO6.training());
        assertTrue(LEGO6.configure(t));
        assertTrue(t.params().has("blocks.0.attn.W_Q"));
        assertFalse(t.params().has("blocks.1.attn.W_Q"), "the shared block exists once");
        assertEquals(15, t.trainingBatch(1).seqLen(), "3 variables first");
        assertEquals(20, t.trainingBatch(LEGO6.curriculum().get(0).untilStep() + 1).seqLen());
        assertEquals(30, t.trainingBatch(LEGO6.training().steps()).seqLen(), "6 variables at the end");
        assertEquals(30, t.task().seqLen(), "evaluation uses the full task");
    }

    @Test
    void configureLeavesAnotherTaskOrOtherOptionsAlone() {
        Task three = Tasks.byName("lego", Map.of("n_var", "3"));
        Trainer t = new Trainer(three, LEGO6.config().toBuilder().weightSharing(false).build(), LEGO6.training());
        assertFalse(LEGO6.configure(t));
        assertEquals(15, t.trainingBatch(1).seqLen(), "no curriculum");
        assertEquals(15, t.trainingBatch(LEGO6.training().steps()).seqLen());
        Trainer other = new Trainer(Tasks.byName("parity"), Presets.byName("parity16").config(), LEGO6.training());
        assertFalse(LEGO6.configure(other));
    }

    @Test
    void configureDoesNotTouchTheParameters() {
        TransformerConfig unshared = LEGO6.config().toBuilder().weightSharing(false).build();
        Parameters p = Parameters.init(unshared, new SplittableRandom(3));
        Parameters before = p.copy();
        Trainer t = new Trainer(LegoTask.of(6), p, LEGO6.training(), null, 1200);
        assertTrue(LEGO6.configure(t));
        for (org.attnlab.engine.model.Param x : p.all()) {
            assertTrue(java.util.Arrays.equals(before.get(x.name()).value().data, x.value().data), x.name());
        }
    }

    @Test
    void aSharedCheckpointHoldsEachSharedTensorOnceAndResumesBitForBit(@TempDir Path dir) throws Exception {
        TrainingSettings small = LEGO6.training().withBatchSize(2);
        Trainer t = new Trainer(LEGO6.task(), LEGO6.config(), small);
        LEGO6.configure(t);
        t.step();
        t.step();
        Path f = dir.resolve("l6.safetensors");
        TrainingCheckpoints.save(f, t, "lego6");
        java.util.Set<String> stored = org.attnlab.engine.io.SafeTensors.read(f).tensors().keySet();
        assertTrue(stored.contains("blocks.0.attn.W_Q") && stored.contains("optim.m.blocks.0.mlp.W_in"), stored.toString());
        assertTrue(stored.stream().noneMatch(n -> n.contains("blocks.1.")), "each shared tensor once: " + stored);
        assertEquals(t.params().all().size() * 3, stored.size(), "parameters and two AdamW moments, once each");
        Trainer back = TrainingCheckpoints.load(f).resume(small);
        assertEquals(2, back.stepCount());
        assertTrue(back.params().config().weightSharing());
        assertTrue(LEGO6.configure(back));
        assertEquals(t.trainingBatch(3).seqLen(), back.trainingBatch(3).seqLen());
        assertEquals(t.step().loss(), back.step().loss(), "the resumed run continues bit for bit");
    }

    @Test
    void aCurriculumThatDoesNotFitIsRejected() {
        List<Curriculum.Stage> tooLong = List.of(new Curriculum.Stage(Map.of("n_var", "7", "n_train", "7"), 10));
        assertThrows(IllegalArgumentException.class, () -> new Preset("x", "x", "lego", Map.of("n_var", "6"),
                LEGO6.config(), LEGO6.training(), "accuracy", 0.99, tooLong));
    }
}
