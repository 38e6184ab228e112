package org.attnlab.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded thinning, loss bookkeeping, phase-change marks, and a sidecar that reopens identical. */
class TrainingHistoryTest {
    @TempDir
    Path dir;

    private static float[] patterns(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) r.nextDouble();
        }
        return p;
    }

    /** Records {@code steps} steps of loss {@code loss(s)}, a moment whenever due. */
    private static void simulate(TrainingHistory h, long from, long steps, Parameters params,
                                 java.util.function.LongToDoubleFunction loss) {
        for (long s = from + 1; s <= from + steps; s++) {
            h.addLoss(loss.applyAsDouble(s));
            if (h.due(s)) {
                h.record(s, 1.0 / s, s / (double) (from + steps), "accuracy", new int[] {1, 2, 3}, 2, 1, patterns(18, s),
                        h.wantsParams(s) ? params.copy() : null);
            }
        }
    }

    @Test
    void staysBoundedAndKeepsEveryStepsLossInItsMeans() {
        TransformerConfig c = TransformerConfig.builder(5, 3, 4, 1, 2).build();
        Parameters p = new Parameters(c);
        TrainingHistory h = new TrainingHistory(16, 3, 1);
        simulate(h, 0, 10_000, p, s -> s);
        assertTrue(h.size() <= 16 && h.size() >= 8, "size " + h.size());
        assertTrue(h.moments().stream().filter(m -> m.params() != null).count() <= 3);
        assertTrue(h.moments().stream().anyMatch(m -> m.params() != null));
        long covered = 0;
        double sum = 0;
        for (TrainingHistory.Moment m : h.moments()) {
            covered += m.lossCount();
            sum += m.trainLoss() * m.lossCount();
        }
        long last = h.moments().get(h.size() - 1).step();
        assertEquals(last, covered, "every step's loss up to the last moment is in some moment's mean");
        assertEquals(last * (last + 1) / 2.0, sum, 1e-6 * sum, "the means are weighted right: sum of 1..last");
        for (int i = 1; i < h.size(); i++) {
            assertTrue(h.moments().get(i).step() > h.moments().get(i - 1).step());
        }
        assertTrue(h.every() >= 10_000 / 16, "the interval grew to " + h.every());
        assertThrows(IllegalArgumentException.class, () -> h.record(1, 0, 0, null, new int[] {1}, 2, 1, new float[2], null));
    }

    @Test
    void marksASharpDropAfterAPlateauButNotASmoothDecay() {
        TrainingHistory h = new TrainingHistory(64, 2, 10);
        Parameters p = new Parameters(TransformerConfig.builder(5, 3, 4, 1, 2).build());
        simulate(h, 0, 600, p, s -> s < 400 ? 2.0 + 0.001 * Math.sin(s) : 0.3);
        List<Integer> marks = TrainingHistory.phaseChanges(h.moments(), 0.1);
        assertEquals(1, marks.size(), "one phase change: " + marks);
        assertEquals(400, h.moments().get(marks.get(0)).step(), h.every() + 1, "within one interval of the drop");
        TrainingHistory smooth = new TrainingHistory(64, 2, 10);
        simulate(smooth, 0, 600, p, s -> 2 * Math.exp(-s / 200.0));
        assertEquals(List.of(), TrainingHistory.phaseChanges(smooth.moments(), 0.1));
    }

    @Test
    void aSavedHistoryReopensIdentical() throws Exception {
        Task task = Tasks.byName("flipflop", Map.of("T", "8"));
        Trainer trainer = new Trainer(task, Presets.byName("flipflop16").config().toBuilder().nCtx(8).build(),
                Presets.byName("flipflop16").training().withSteps(30));
        TrainingHistory h = new TrainingHistory(8, 2, 1);
        for (int i = 0; i < 30; i++) {
            double loss = trainer.step().loss();
            h.addLoss(loss);
            long s = trainer.stepCount();
            if (h.due(s) && s < 29) {
                TransformerConfig c = trainer.params().config();
                int t = 3 + (int) (s % 3);               // probes of different lengths
                h.record(s, s * 0.5, Double.NaN, s > 10 ? "accuracy" : null, new int[t], c.nLayers(), c.nHeads(),
                        patterns(c.nLayers() * c.nHeads() * t * t, s), h.wantsParams(s) ? trainer.params().copy() : null);
            }
        }
        Path ck = dir.resolve("run.safetensors");
        TrainingCheckpoints.save(ck, trainer, h);
        assertTrue(Files.isRegularFile(dir.resolve("run.history.safetensors")));
        TrainingCheckpoints.Loaded loaded = TrainingCheckpoints.load(ck);
        TrainingHistory back = TrainingCheckpoints.history(ck, loaded).orElseThrow();
        assertEquals(h.size(), back.size());
        assertEquals(h.every(), back.every());
        assertEquals(h.paramEvery(), back.paramEvery());
        assertEquals(h.capacity(), back.capacity());
        assertEquals(h.paramCapacity(), back.paramCapacity());
        assertEquals(h.metricName(), back.metricName());
        assertEquals(h.pendingSum(), back.pendingSum(), 0);
        assertEquals(h.pendingCount(), back.pendingCount());
        assertTrue(h.moments().stream().anyMatch(m -> m.params() != null));
        for (int i = 0; i < h.size(); i++) {
            TrainingHistory.Moment a = h.moments().get(i), b = back.moments().get(i);
            assertEquals(a.step(), b.step());
            assertEquals(Double.doubleToLongBits(a.trainLoss()), Double.doubleToLongBits(b.trainLoss()));
            assertEquals(a.lossCount(), b.lossCount());
            assertEquals(Double.doubleToLongBits(a.evalLoss()), Double.doubleToLongBits(b.evalLoss()));
            assertEquals(Double.doubleToLongBits(a.metric()), Double.doubleToLongBits(b.metric()));
            assertArrayEquals(a.tokens(), b.tokens());
            assertArrayEquals(a.patterns(), b.patterns());
            assertEquals(a.params() == null, b.params() == null);
            if (a.params() != null) {
                for (Param x : a.params().all()) {
                    assertArrayEquals(x.value().data, b.params().m(x.name()).data, x.name());
                }
            }
        }
        // the same continuation from both: the next moment is due at the same step with the same params decision
        long next = trainer.stepCount() + 1;
        assertEquals(h.due(next), back.due(next));
        assertEquals(h.wantsParams(next), back.wantsParams(next));

        // saving without a history removes the stale sidecar; a sidecar of another model is ignored
        TrainingCheckpoints.save(ck, trainer);
        assertFalse(Files.exists(dir.resolve("run.history.safetensors")));
        TrainingHistoryFile.save(ck, h, trainer.params().config().toBuilder().dModel(16).build(), 30);
        assertTrue(TrainingCheckpoints.history(ck, loaded).isEmpty());
        // moments after the checkpoint's step are dropped (a save whose checkpoint write failed)
        TrainingHistoryFile.save(ck, h, trainer.params().config(), 30);
        TrainingHistory early = TrainingHistoryFile.load(ck, trainer.params().config(), 20).orElseThrow();
        assertTrue(early.moments().stream().allMatch(m -> m.step() <= 20));
        assertTrue(early.size() < h.size());
        assertNull(TrainingHistoryFile.load(dir.resolve("none.safetensors"), trainer.params().config(), 1).orElse(null));
    }
}
