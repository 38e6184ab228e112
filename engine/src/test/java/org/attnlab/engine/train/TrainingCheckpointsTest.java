package org.attnlab.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.attnlab.engine.io.Checkpoint;
import org.attnlab.engine.io.SafeTensors;
import org.attnlab.engine.io.SafeTensorsException;
import org.attnlab.engine.model.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every checkpoint stores its run spec (metadata {@code run}) next to the keys older readers
 * use; a checkpoint without it (older files, the shipped lesson checkpoints) opens with its spec
 * rebuilt from task, task_options, config and preset.
 */
class TrainingCheckpointsTest {
    private static final Path CHECKPOINTS = Path.of("..", "assets", "lessons", "checkpoints");
    private static final RunSpec LEGO6 = Presets.byName("lego6");

    /** lego6, small enough to take a few steps in a test, with its curriculum and sharing. */
    private static RunSpec smallLego6() {
        return LEGO6.with(Map.of("d_model", "16", "d_mlp", "32", "batch_size", "4", "eval_batch", "8", "seed", "5"));
    }

    @Test
    void aCheckpointSavedWithItsSpecReopensWithAnEqualSpec(@TempDir Path dir) throws Exception {
        RunSpec spec = smallLego6();
        Trainer t = new Trainer(spec);
        t.step();
        t.step();
        Path f = dir.resolve("l.safetensors");
        TrainingCheckpoints.save(f, t);
        Map<String, String> meta = SafeTensors.read(f).metadata();
        assertEquals(spec.toJson(), meta.get("run"));
        assertEquals("lego", meta.get("task"), "the keys older readers use are still there");
        assertEquals("{\"n_var\":\"6\",\"n_train\":\"6\",\"shuffle\":\"true\",\"fixed_root\":\"false\"}",
                meta.get("task_options"));
        assertEquals("lego6", meta.get("preset"));
        assertEquals("2", meta.get("step"));
        TrainingCheckpoints.Loaded back = TrainingCheckpoints.load(f);
        assertEquals(spec, back.spec());
        assertEquals(2, back.step());
        Trainer resumed = back.resume();
        assertEquals(t.trainingBatch(3).seqLen(), resumed.trainingBatch(3).seqLen(), "the curriculum came back");
        assertEquals(t.step().loss(), resumed.step().loss(), "and the run continues bit for bit");

        RunSpec unnamed = RunSpec.of(spec.task(), spec.config(), spec.training());
        Trainer raw = new Trainer(unnamed);
        TrainingCheckpoints.save(f, raw);
        assertFalse(SafeTensors.read(f).metadata().containsKey("preset"), "a run without a name names no preset");
        assertEquals(unnamed, TrainingCheckpoints.load(f).spec());
    }

    @Test
    void anOlderCheckpointOpensWithItsSpecRebuiltFromItsPreset(@TempDir Path dir) throws Exception {
        RunSpec ff = Presets.byName("flipflop16");
        RunSpec model = ff.with(Map.of("n_layers", "2", "steps", "40"));      // the model differs, the task not
        Path f = oldCheckpoint(dir, new Trainer(model), "flipflop16");
        RunSpec back = TrainingCheckpoints.load(f).spec();
        assertEquals(new RunSpec("flipflop16", ff.description(), "flipflop", Map.of("T", "16"), model.config(),
                ff.training(), List.of(), ff.target()), back,
                "its task, options and model; the preset's settings (not the 40 steps it was trained with: an old "
                        + "file did not keep them), target and name");

        Trainer shared = new Trainer(smallLego6());
        Path l = oldCheckpoint(dir, shared, "lego6");
        RunSpec lego = TrainingCheckpoints.load(l).spec();
        assertTrue(lego.config().weightSharing());
        assertEquals(LEGO6.curriculum(), lego.curriculum(), "the preset's own task options: its curriculum");
        assertEquals(LEGO6.training(), lego.training());
        assertEquals(shared.params().config(), lego.config());
        assertEquals(LEGO6.taskOptions(), lego.taskOptions(), "the options as the preset writes them");
        assertEquals(smallLego6().withName("lego6", LEGO6.description()).withTraining(LEGO6.training()), lego);
        Path same = oldCheckpoint(dir, new Trainer(Presets.byName("parity16")), "parity16");
        assertEquals(Presets.byName("parity16"), TrainingCheckpoints.load(same).spec(),
                "an old checkpoint of a preset's own model opens as that preset");
    }

    @Test
    void anOlderCheckpointOfOtherOptionsOrAnUnknownPresetGetsTheTasksDefaultPreset(@TempDir Path dir)
            throws Exception {
        Trainer three = new Trainer(LEGO6.with(Map.of("n_var", "3", "d_model", "16", "d_mlp", "32")));
        Path f = oldCheckpoint(dir, three, "lego6");
        RunSpec back = TrainingCheckpoints.load(f).spec();
        assertEquals("lego6", back.name(), "lego's default preset");
        assertEquals(LEGO6.training(), back.training());
        assertEquals(LEGO6.target(), back.target());
        assertTrue(back.curriculum().isEmpty(), "the curriculum belongs to lego6's own options");
        assertEquals("3", back.taskOptions().get("n_var"));

        RunSpec parity = Presets.byName("parity16");
        for (String preset : new String[] {"no-such-preset", "flipflop16", null}) {
            Path p = oldCheckpoint(dir, new Trainer(parity.with("n_layers", "1")), preset);
            RunSpec s = TrainingCheckpoints.load(p).spec();
            assertEquals("parity16", s.name(), "preset " + preset + ": the task's default");
            assertEquals(parity.training(), s.training(), "preset " + preset);
        }
    }

    @Test
    void aMalformedRunNamesTheFileAndTheKey(@TempDir Path dir) throws Exception {
        Trainer t = new Trainer(Presets.byName("flipflop16").with("d_model", "16"));
        Path f = dir.resolve("f.safetensors");
        TrainingCheckpoints.save(f, t);
        Map<String, String> meta = new LinkedHashMap<>(SafeTensors.read(f).metadata());
        String run = meta.get("run");

        assertRefused(dir, t, withRun(meta, "{\"version\":"), "metadata run: run spec is not valid JSON");
        assertRefused(dir, t, withRun(meta, run.replace("\"lr\":", "\"learning_rate\":")),
                "metadata run: unknown key 'training.learning_rate'");
        assertRefused(dir, t, withRun(meta, run.replace("\"d_model\":16", "\"d_model\":32")),
                "metadata run describes another model than metadata config");
        Map<String, String> otherTask = withRun(meta, run);
        otherTask.put("task_options", "{\"T\":\"8\"}");
        assertRefused(dir, t, otherTask, "metadata run describes another task than metadata task");
    }

    @Test
    void everyShippedLessonCheckpointOpensWithItsRunSpec() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(CHECKPOINTS)) {
            files = s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
        assertEquals(7, files.size(), files.toString());
        for (Path p : files) {
            Map<String, String> meta = SafeTensors.read(p).metadata();
            boolean lego = meta.get("task").equals("lego");
            // the LEGO files were remade on the random-root task and store their run; the others
            // predate run specs and open with one rebuilt from their preset
            assertEquals(lego, meta.containsKey("run"), p + (lego ? " stores its run" : " predates the run spec"));
            TrainingCheckpoints.Loaded l = TrainingCheckpoints.load(p);
            RunSpec base = Presets.byName(meta.get("preset"));
            assertEquals(base.name(), l.spec().name(), p.toString());
            if (!lego) {
                assertEquals(base.training(), l.spec().training(), p.toString());
            }
            assertEquals(base.target(), l.spec().target(), p.toString());
            assertEquals(l.checkpoint().config(), l.spec().config(), p.toString());
            assertEquals(meta.get("task"), l.spec().taskName(), p.toString());
            assertTrue(l.spec().curriculum().isEmpty(), p + ": no shipped checkpoint trains lego6's own options");
            assertTrue(l.weightsOnly(), p.toString());
        }
        TrainingCheckpoints.Loaded lego3 = TrainingCheckpoints.load(CHECKPOINTS.resolve("lego3.safetensors"));
        // the task as the paper defines it: the root's sign random
        assertEquals(Map.of("n_var", "3", "n_train", "3", "shuffle", "true", "fixed_root", "false"),
                lego3.task().options());
        assertEquals(5600, lego3.step());
        assertEquals(6000, lego3.spec().training().steps());
        assertEquals(org.attnlab.engine.compute.Precision.F32, lego3.spec().training().precision());
    }

    @Test
    void aSpecSavedAndReopenedTrainsTheSameModelAsTheSpecItself(@TempDir Path dir) throws Exception {
        RunSpec spec = Presets.byName("sort").with(Map.of("steps", "6", "n_layers", "1", "eval_every", "3"));
        Trainer a = new Trainer(spec);
        a.run(() -> false);
        Path f = dir.resolve("s.safetensors");
        TrainingCheckpoints.save(f, a);
        Trainer b = new Trainer(TrainingCheckpoints.load(f).spec());
        b.run(() -> false);
        for (Param p : a.params().all()) {
            assertArrayEquals(p.value().data, b.params().get(p.name()).value().data, 0.0, p.name());
        }
    }

    /** A checkpoint with today's metadata minus {@code run}: what the program wrote before run specs. */
    private static Path oldCheckpoint(Path dir, Trainer t, String preset) throws IOException {
        Path f = Files.createTempFile(dir, "old", ".safetensors");
        TrainingCheckpoints.save(f, t);
        Map<String, String> meta = new LinkedHashMap<>(SafeTensors.read(f).metadata());
        meta.keySet().retainAll(List.of("task", "task_options", "step"));
        if (preset != null) {
            meta.put("preset", preset);
        }
        Checkpoint.save(f, t.params(), meta, t.optimizer());
        assertFalse(SafeTensors.read(f).metadata().containsKey("run"));
        return f;
    }

    private static Map<String, String> withRun(Map<String, String> meta, String run) {
        Map<String, String> m = new LinkedHashMap<>(meta);
        m.keySet().removeAll(List.of("format", "format_version", "config"));
        m.put("run", run);
        return m;
    }

    private static void assertRefused(Path dir, Trainer t, Map<String, String> meta, String part) throws IOException {
        Path f = Files.createTempFile(dir, "bad", ".safetensors");
        Checkpoint.save(f, t.params(), meta, null);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> TrainingCheckpoints.load(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
    }
}
