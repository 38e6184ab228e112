package org.attnlab.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    private static final Task TASK = Tasks.byName("flipflop", java.util.Map.of("T", "8"));

    private static TransformerConfig config() {
        return TransformerConfig.builder(TASK.vocabulary().size(), TASK.seqLen(), 16, 2, 1).build();
    }

    private static TrainingSettings settings(long seed, double lr) {
        return new TrainingSettings(new AdamW.Settings(lr, 0.9, 0.98, 1e-8, 0.01), 8, 40, 4, 0.1, 1.0, 0, 32, seed);
    }

    private static double[] losses(Trainer t, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = t.step().loss();
        }
        return out;
    }

    @Test
    void sameSeedGivesTheSameLossCurveBitForBit() {
        double[] a = losses(new Trainer(TASK, config(), settings(7, 3e-3)), 25);
        double[] b = losses(new Trainer(TASK, config(), settings(7, 3e-3)), 25);
        assertArrayEquals(a, b, 0.0);
        double[] c = losses(new Trainer(TASK, config(), settings(8, 3e-3)), 25);
        assertFalse(java.util.Arrays.equals(a, c), "another seed must give another curve");
    }

    @Test
    void changingTheThreadCountMidRunChangesNothing() {
        Trainer fixed = new Trainer(TASK, config(), settings(9, 3e-3));
        fixed.setThreads(1);
        double[] a = losses(fixed, 24);
        Trainer switching = new Trainer(TASK, config(), settings(9, 3e-3));
        double[] b = new double[24];
        int[] counts = {2, 1, 3, 4, 1, 2};
        for (int i = 0; i < b.length; i++) {
            switching.setThreads(counts[i % counts.length]);
            assertEquals(counts[i % counts.length], switching.threads());
            b[i] = switching.step().loss();
        }
        assertArrayEquals(a, b, 0.0);
        assertEquals(fixed.evaluate().loss(), switching.evaluate().loss(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> fixed.setThreads(0));
    }

    @Test
    void aNonFiniteHeldOutLossRollsTheModelBackToTheLastGoodEvaluation() {
        Trainer t = new Trainer(TASK, config(), settings(11, 3e-3));
        losses(t, 6);
        double good = t.evaluate().loss();
        Parameters kept = t.params().copy();
        java.util.Map<String, double[][]> keptMoments = new java.util.LinkedHashMap<>();
        t.optimizer().state().forEach((k, mv) -> keptMoments.put(k, new double[][] {mv[0].clone(), mv[1].clone()}));
        losses(t, 3);                                        // three more (good) steps, not evaluated
        java.util.Arrays.fill(t.params().m("unembed.W_U").data, 1e308);   // weights blown up
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::evaluate);
        assertEquals(9, e.step());
        assertTrue(e.getMessage().contains("rolled back to step 6"), e.getMessage());
        assertEquals(6, t.stepCount());
        for (Param p : kept.all()) {
            assertArrayEquals(p.value().data, t.params().get(p.name()).value().data, 0.0, p.name());
        }
        t.optimizer().state().forEach((k, mv) -> {
            assertArrayEquals(keptMoments.get(k)[0], mv[0], 0.0, k);
            assertArrayEquals(keptMoments.get(k)[1], mv[1], 0.0, k);
        });
        assertEquals(good, t.evaluate().loss(), 0.0, "the rolled-back model scores as it did");
        assertEquals(7, t.step().step(), "training continues from the rolled-back step");
    }

    @Test
    void trainingLowersTheLoss() {
        Trainer t = new Trainer(TASK, config(), settings(3, 1e-2));
        double first = t.evaluate().loss();
        losses(t, 40);
        double last = t.evaluate().loss();
        assertTrue(last < 0.7 * first, "held-out loss " + first + " -> " + last);
    }

    @Test
    void aRunResumedFromACheckpointContinuesExactly(@TempDir Path dir) throws Exception {
        Trainer straight = new Trainer(TASK, config(), settings(5, 3e-3));
        double[] all = losses(straight, 30);

        Trainer first = new Trainer(TASK, config(), settings(5, 3e-3));
        losses(first, 12);
        Path ck = dir.resolve("ck.safetensors");
        TrainingCheckpoints.save(ck, first);
        TrainingCheckpoints.Loaded loaded = TrainingCheckpoints.load(ck);
        assertEquals(12, loaded.step());
        assertEquals(TASK.name(), loaded.task().name());
        Trainer resumed = loaded.resume(settings(5, 3e-3));
        double[] rest = losses(resumed, 18);
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 12, 30), rest, 0.0);
        for (Param p : straight.params().all()) {
            assertArrayEquals(p.toFileOrder(), resumed.params().get(p.name()).toFileOrder(), 0.0, p.name());
        }
    }

    @Test
    void divergenceStopsBeforeTheUpdateAndExplains() {
        Trainer t = new Trainer(TASK, config(), settings(1, 3e-3));
        losses(t, 3);
        Parameters before = t.params().copy();
        // Poison one weight so the next loss is NaN.
        t.params().get("unembed.W_U").value().data[0] = Double.NaN;
        Parameters poisoned = t.params().copy();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::step);
        assertEquals(4, e.step());
        assertTrue(e.getMessage().contains("lower learning rate"), e.getMessage());
        assertEquals(3, t.stepCount(), "the failed step is not counted");
        for (Param p : poisoned.all()) {
            assertArrayEquals(p.toFileOrder(), t.params().get(p.name()).toFileOrder(), 0.0,
                    "no update after divergence: " + p.name());
        }
        assertTrue(Double.isFinite(before.get("unembed.W_U").value().data[0]));
    }

    @Test
    void learningRateWarmsUpThenFollowsTheCosine() {
        TrainingSettings s = new TrainingSettings(new AdamW.Settings(1.0, 0.9, 0.98, 1e-8, 0), 1, 110, 10, 0.1, 0, 0,
                1, 0);
        assertEquals(0.1, s.learningRate(1), 1e-15);
        assertEquals(1.0, s.learningRate(10), 1e-15);
        assertEquals(0.55, s.learningRate(60), 1e-12);          // halfway: floor + (peak - floor) / 2
        assertEquals(0.1, s.learningRate(110), 1e-15);
        assertEquals(0.1, s.learningRate(500), 1e-15);
        double prev = 2;
        for (int i = 10; i <= 110; i++) {
            assertTrue(s.learningRate(i) <= prev);
            prev = s.learningRate(i);
        }
    }

    @Test
    void gradientsAreClippedToTheGlobalNorm() {
        Parameters g = new Parameters(config());
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        for (Param p : g.all()) {
            for (int i = 0; i < p.size(); i++) {
                p.value().data[i] = r.nextGaussian();
            }
        }
        double norm = g.norm();
        assertTrue(norm > 10);
        Parameters unclipped = g.copy();
        Trainer.clip(unclipped, norm, 2 * norm);                      // under the bound: untouched
        assertEquals(norm, unclipped.norm(), 0.0);
        Trainer.clip(g, norm, 1.0);
        assertEquals(1.0, g.norm(), 1e-6);
        Trainer.clip(g, g.norm(), 0);                                 // 0 turns clipping off
        assertEquals(1.0, g.norm(), 1e-6);
    }

    @Test
    void aTaskThatDoesNotFitTheModelIsRejected() {
        TransformerConfig small = TransformerConfig.builder(3, 4, 8, 2, 1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(TASK, small, settings(1, 1e-3)));
        assertTrue(e.getMessage().contains("d_vocab"), e.getMessage());
    }

    /**
     * Regression (issue 13): {@code train --task lego --preset lego6 --set attention_type=linear}
     * died at the first step after the first evaluation (ArrayIndexOutOfBoundsException in the
     * attention forward): the held-out chunks (few long sequences) enlarged the pattern buffer but
     * not the row sums, which the next training chunks (more, shorter sequences of the curriculum)
     * overran. Here: training chunks of 16 sequences of 15 tokens, held-out chunks of 6 of 30.
     */
    @Test
    void linearAttentionTrainsOnAcrossEvaluationsThatChangeTheChunkShape() {
        Task lego = Tasks.byName("lego", java.util.Map.of("n_var", "6"));
        TransformerConfig c = TransformerConfig.builder(lego.vocabulary().size(), lego.seqLen(), 16, 2, 2)
                .attentionType(org.attnlab.engine.attention.AttentionKernels.LINEAR)
                .attentionDir(TransformerConfig.AttentionDir.BIDIRECTIONAL).build();
        TrainingSettings s = new TrainingSettings(new AdamW.Settings(1e-3, 0.9, 0.98, 1e-8, 0.01), 64, 8, 2, 0.1, 1.0,
                2, 24, 1);
        Trainer t = new Trainer(RunSpec.of(lego, c, s).withCurriculum(java.util.List.of(
                new Curriculum.Stage(java.util.Map.of("n_var", "3", "n_train", "3"), 100))));
        assertEquals(15, t.trainingBatch(1).seqLen());
        assertEquals(8, t.run(() -> false), "trains through evaluations at steps 2, 4, 6 and 8");
        assertTrue(Double.isFinite(t.lastEvaluation().loss()));
        assertEquals(8, t.lastEvaluation().step());
    }
}
