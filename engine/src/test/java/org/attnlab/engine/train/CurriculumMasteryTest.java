package org.attnlab.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnlab.engine.io.Checkpoint;
import org.attnlab.engine.io.SafeTensors;
import org.attnlab.engine.io.SafeTensorsException;
import org.attnlab.engine.tasks.Metrics;
import org.attnlab.engine.tasks.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mastery-based curriculum stages ({@link Curriculum.Stage#untilMastered}): a stage ends at the
 * first evaluation at which its own task reaches the run's target, or at its {@code untilStep};
 * the step's batch stays a pure function of the step and the recorded mastery steps; the
 * mastery steps travel in the run spec's JSON and the checkpoint, so a continued run goes on
 * bit for bit.
 */
class CurriculumMasteryTest {
    private static final Map<String, String> THREE = Map.of("n_var", "3", "n_train", "3");
    private static final Map<String, String> FOUR = Map.of("n_var", "4", "n_train", "4");

    @Test
    void aMasteredStageEndsAfterTheStepItWasMasteredAt() {
        Curriculum c = new Curriculum(Tasks.byName("lego", Map.of("n_var", "6")),
                List.of(new Curriculum.Stage(THREE, 100, true), new Curriculum.Stage(FOUR, 200, false)));
        assertEquals(0, c.stageAt(1));
        assertEquals(0, c.stageAt(100), "not mastered: the stage lasts to its untilStep");
        assertEquals(1, c.stageAt(101));
        c.markMastered(0, 40);
        assertEquals(0, c.stageAt(40), "the step of the mastering evaluation still belongs to the stage");
        assertEquals(1, c.stageAt(41));
        assertEquals(15 + 5, c.taskAt(41).seqLen(), "4 variables from step 41");
        assertEquals(1, c.stageAt(200));
        assertEquals(-1, c.stageAt(201), "then the full task");
        c.markMastered(1, 120);
        assertEquals(1, c.stageAt(150), "a stage that is not until_mastered ignores mastery");
        c.markMastered(0, 90);
        assertArrayEquals(new long[] {40, 0}, c.masteredAt(), "the first mastery counts");
        assertThrows(IllegalArgumentException.class, () -> c.markMastered(0, 0));
        assertThrows(IllegalArgumentException.class, () -> c.restoreMasteredAt(new long[] {1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.restoreMasteredAt(new long[] {0, 7}));
        assertTrue(e.getMessage().contains("stage 1"), e.getMessage());
    }

    @Test
    void theTrainerAdvancesAtTheEvaluationThatMastersTheStage() {
        RunSpec reachable = spec(0.0);                    // every accuracy >= 0: mastered at the first evaluation
        Trainer t = new Trainer(reachable);
        List<String> events = new ArrayList<>();
        t.addListener(new TrainingListener() {
            @Override
            public void onStageMastered(int stage, long step, Metrics metrics) {
                events.add(stage + "@" + step + ":" + metrics.names().contains("accuracy_per_chain_position"));
            }
        });
        assertEquals(15, t.trainingBatch(3).seqLen(), "before any evaluation: 3 variables");
        t.step();
        t.step();                                         // eval_every 2: evaluated after step 2
        assertEquals(List.of("0@2:true"), events, "the stage's own metrics judged it");
        assertEquals(0, t.curriculumStageAt(2));
        assertEquals(20, t.trainingBatch(3).seqLen(), "4 variables from step 3");
        assertArrayEquals(new long[] {2, 0}, t.curriculumMasteredAt());

        Trainer never = new Trainer(spec(1.5));           // no accuracy reaches 1.5
        for (int i = 0; i < 6; i++) {
            never.step();
        }
        assertEquals(15, never.trainingBatch(7).seqLen(), "not mastered: the stage goes on");
        assertArrayEquals(new long[] {0, 0}, never.curriculumMasteredAt());
    }

    @Test
    void theMasteryStepsSurviveJsonAndACheckpoint(@TempDir Path dir) throws Exception {
        RunSpec spec = spec(0.0);
        assertEquals(spec, RunSpec.parse(spec.toJson()), "until_mastered reads back");
        assertTrue(spec.toJson().contains("\"until_mastered\":true"), spec.toJson());
        assertThrows(IllegalArgumentException.class,
                () -> RunSpec.parse(spec.toJson().replace("\"until_mastered\":true", "\"until_mastered\":1")));

        Trainer t = new Trainer(spec);
        t.step();
        t.step();
        Path f = dir.resolve("m.safetensors");
        TrainingCheckpoints.save(f, t);
        assertEquals("2,0", SafeTensors.read(f).metadata().get("curriculum_mastered"));
        TrainingCheckpoints.Loaded back = TrainingCheckpoints.load(f);
        assertArrayEquals(new long[] {2, 0}, back.curriculumMasteredAt());
        Trainer resumed = back.resume();
        assertEquals(20, resumed.trainingBatch(3).seqLen(), "the continued run is past the mastered stage");
        assertEquals(t.step().loss(), resumed.step().loss(), "and goes on bit for bit");

        for (String bad : List.of("x,0", "2", "0,3", "-1,0")) {
            Map<String, String> meta = new LinkedHashMap<>(SafeTensors.read(f).metadata());
            meta.keySet().removeAll(List.of("format", "format_version", "config"));   // Checkpoint.save writes them
            meta.put("curriculum_mastered", bad);
            Path g = dir.resolve("bad.safetensors");
            Checkpoint.save(g, t.params(), meta, null);
            SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> TrainingCheckpoints.load(g), bad);
            assertTrue(e.getMessage().contains("curriculum_mastered"), e.getMessage());
        }
    }

    @Test
    void aLegoStageOfFewerTrainedDepthsIsJudgedByThoseDepthsOnly() {
        org.attnlab.engine.tasks.Task three = Tasks.byName("lego", Map.of("n_var", "6", "n_train", "3"));
        Map<String, double[]> v = new LinkedHashMap<>();
        v.put("accuracy", new double[] {0.995});
        v.put("accuracy_per_chain_position", new double[] {1.0, 0.995, 0.991, 0.6, 0.5, 0.5});
        v.put("accuracy_extrapolation", new double[] {0.53});
        Metrics all = Metrics.of(v, "accuracy");
        RunSpec.Target target = new RunSpec.Target("accuracy_per_chain_position", 0.99);
        assertTrue(!target.reachedBy(all), "all six depths: not reached");
        Metrics trained = three.trainedPart(all);
        assertArrayEquals(new double[] {1.0, 0.995, 0.991}, trained.get("accuracy_per_chain_position"));
        assertTrue(target.reachedBy(trained), "depths 0 to 2: reached");
        assertTrue(!trained.names().contains("accuracy_extrapolation"));
        org.attnlab.engine.tasks.Task six = Tasks.byName("lego", Map.of("n_var", "6"));
        assertEquals(all, six.trainedPart(all), "every depth trained: all metrics");
    }

    /** lego6 small enough for a test, stages of 3 (until mastered) and 4 variables, the given target. */
    private static RunSpec spec(double target) {
        RunSpec small = Presets.byName("lego6").with(Map.of("d_model", "16", "d_mlp", "32", "batch_size", "4",
                "eval_batch", "8", "eval_every", "2", "seed", "5"));
        return new RunSpec(small.name(), small.description(), small.taskName(), small.taskOptions(), small.config(),
                small.training(), List.of(new Curriculum.Stage(THREE, 100, true), new Curriculum.Stage(FOUR, 200)),
                new RunSpec.Target("accuracy_per_chain_position", target));
    }
}
