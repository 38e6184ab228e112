package org.attnlab.tests.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.attnlab.app.training.TrainingSession;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.io.SafeTensorsException;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.RunSpec;
import org.attnlab.engine.train.Trainer;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training thread behind the window, without a window: snapshots are immutable copies,
 * pause stops within a step, commands (step, probe, save, open) run between steps, a bad
 * checkpoint leaves the running model alone, and an opened checkpoint continues its own run spec.
 */
class TrainingSessionTest {
    private TrainingSession session;

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
    }

    private TrainingSnapshot await(String what, Predicate<TrainingSnapshot> condition) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            TrainingSnapshot s = session.latest();
            if (s != null && condition.test(s)) {
                return s;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return fail("timed out waiting until " + what);
    }

    @Test
    void publishesCopiesAndPausesWithinAStep() {
        session = new TrainingSession(Presets.byName("flipflop16"));
        TrainingSnapshot first = await("the first snapshot", s -> s.probe() != null);
        assertEquals(0, first.step());
        assertEquals(1, first.probe().layers());
        assertEquals(2, first.probe().heads());
        assertEquals(16 * 16, first.probe().patterns()[0][0].length);
        double[] atStart = first.probe().patterns()[0][0].clone();
        session.play();
        await("20 steps", s -> s.step() >= 20);
        session.pause();
        TrainingSnapshot paused = await("the paused state", s -> !s.running());
        long step = paused.step();
        sleep(200);
        assertEquals(step, session.latest().step(), "no step after the pause was published");
        assertArrayEquals(atStart, first.probe().patterns()[0][0], "an old snapshot never changes");
        assertTrue(paused.trainLossCurve().size() > 0);
        for (int q = 0; q < 16; q++) {             // causal softmax rows sum to one (to float32 round-off:
                                                   // the probe computes in the run's precision)
            double sum = 0;
            for (int k = 0; k < 16; k++) {
                sum += paused.probe().patterns()[0][1][q * 16 + k];
            }
            assertEquals(1, sum, 1e-6);
        }
        session.stepOnce();
        assertEquals(step + 1, await("one more step", s -> s.step() == step + 1).step());
    }

    @Test
    void saveThenOpenRestoresTheModelAndABadFileChangesNothing(@TempDir Path dir) throws Exception {
        session = new TrainingSession(Presets.byName("flipflop16"));
        await("the first snapshot", s -> s.probe() != null);
        session.play();
        await("10 steps", s -> s.step() >= 10);
        session.pause();
        TrainingSnapshot saved = await("paused", s -> !s.running());
        Path file = dir.resolve("ff.safetensors");
        assertEquals(file, session.save(file).get(30, TimeUnit.SECONDS));
        session.stepOnce();
        session.stepOnce();
        await("two more steps", s -> s.step() == saved.step() + 2);

        Path bad = Files.write(dir.resolve("bad.safetensors"), new byte[] {1, 2, 3});
        ExecutionException e = assertThrows(ExecutionException.class, () -> session.open(bad).get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof SafeTensorsException, e.getCause().toString());
        assertTrue(e.getCause().getMessage().contains("bad.safetensors"), e.getCause().getMessage());
        assertEquals(saved.step() + 2, session.latest().step(), "the model stays");

        RunSpec opened = session.open(file).get(30, TimeUnit.SECONDS);
        assertEquals(Presets.byName("flipflop16"), opened, "the run the checkpoint stores");
        TrainingSnapshot back = await("the opened model", s -> s.runId() > saved.runId() && s.step() == saved.step());
        assertNotNull(back.probe());
        assertEquals(saved.probe().predictions(), back.probe().predictions(), "same predictions on the same probe");
        assertArrayEquals(saved.probe().patterns()[0][1], back.probe().patterns()[0][1]);
    }

    /**
     * An opened checkpoint continues the run it stores, with that run's own training settings and
     * curriculum (not its preset's, as checkpoints without a spec do), and a reset to the opened
     * run (a lesson's "Train it yourself") trains that run afresh.
     */
    @Test
    void anOpenedCheckpointContinuesItsOwnRunSpec(@TempDir Path dir) throws Exception {
        RunSpec own = Presets.byName("lego6").with(Map.of("d_model", "16", "d_mlp", "32", "n_layers", "2",
                "lr", "1e-3", "batch_size", "8", "steps", "50", "eval_batch", "16"));
        Trainer t = new Trainer(own);
        t.step();
        Path file = dir.resolve("own.safetensors");
        TrainingCheckpoints.save(file, t);
        session = new TrainingSession(Presets.byName("flipflop16"));
        await("the first snapshot", s -> s.probe() != null);
        RunSpec opened = session.open(file).get(30, TimeUnit.SECONDS);
        assertEquals(own, opened);
        TrainingSnapshot back = await("the opened run", s -> s.step() == 1 && s.spec().equals(own));
        assertEquals(50, back.spec().training().steps());
        assertEquals(own.curriculum(), back.spec().curriculum(), "lego6's curriculum came with the run");
        session.reset(back.spec()).get(30, TimeUnit.SECONDS);
        TrainingSnapshot fresh = await("a fresh model of the run", s -> s.runId() > back.runId());
        assertEquals(0, fresh.step());
        assertEquals(own, fresh.spec());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
