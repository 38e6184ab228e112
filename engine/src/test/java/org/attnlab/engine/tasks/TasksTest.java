package org.attnlab.engine.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.TransformerConfig.AttentionDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TasksTest {

    static Stream<Task> allTasks() {
        return Stream.concat(Tasks.names().stream().map(Tasks::byName),
                Stream.of(Tasks.byName("lego", Map.of("n_var", "8", "n_train", "4", "shuffle", "false")),
                        Tasks.byName("s3", Map.of("T", "10")), Tasks.byName("ffl", Map.of("p", "0.98", "T", "32"))));
    }

    @ParameterizedTest
    @MethodSource("allTasks")
    void sameSeedSameBatchDifferentSeedDifferentBatch(Task task) {
        assertEquals(task.sample(8, new SplittableRandom(1)), task.sample(8, new SplittableRandom(1)));
        assertEquals(task.sample(8, new Random(1)), task.sample(8, new Random(1)), "any RandomGenerator");
        assertNotEquals(task.sample(8, new SplittableRandom(1)), task.sample(8, new SplittableRandom(2)));
        SplittableRandom rng = new SplittableRandom(1);
        assertNotEquals(task.sample(8, rng), task.sample(8, rng), "the generator advances");
        assertEquals(task.evalBatch(8, 5), task.evalBatch(8, 5));
        assertNotEquals(task.evalBatch(8, 5), task.evalBatch(8, 6));
    }

    @ParameterizedTest
    @MethodSource("allTasks")
    void batchesAreWellFormedAndPerfectLogitsScoreOne(Task task) {
        int v = task.vocabulary().size();
        for (Batch batch : List.of(task.sample(16, new SplittableRandom(3)), task.evalBatch(16, 3))) {
            assertEquals(16, batch.batchSize());
            assertEquals(task.seqLen(), batch.seqLen());
            for (int i = 0; i < batch.tokens().length; i++) {
                assertTrue(batch.tokens()[i] >= 0 && batch.tokens()[i] < v);
                assertTrue(batch.targets()[i] >= -1 && batch.targets()[i] < v);
                assertEquals(batch.targets()[i] >= 0, batch.lossMask()[i] != 0, "targets are -1 exactly where unscored");
            }
            assertTrue(batch.scoredCount() > 0);
            Metrics m = task.evaluate(batch, TestLogits.perfect(batch, v + 1), v + 1);
            assertEquals(1.0, m.headline(), task.toString());
            assertEquals(m.headline(), m.scalar(m.headlineName()));
        }
        assertThrows(IllegalArgumentException.class, () -> task.sample(0, new SplittableRandom(1)));
        Batch b = task.evalBatch(2, 1);
        assertThrows(IllegalArgumentException.class, () -> task.evaluate(b, new double[2 * task.seqLen() * (v - 1)], v - 1));
    }

    @ParameterizedTest
    @MethodSource("allTasks")
    void optionsRebuildTheSameTask(Task task) {
        Task rebuilt = Tasks.byName(task.name(), task.options());
        assertEquals(task.getClass(), rebuilt.getClass());
        assertEquals(task.options(), rebuilt.options());
        assertEquals(task.vocabulary(), rebuilt.vocabulary());
        assertEquals(task.seqLen(), rebuilt.seqLen());
        assertEquals(task.displayName(), rebuilt.displayName());
        assertEquals(task.sample(4, new SplittableRandom(9)), rebuilt.sample(4, new SplittableRandom(9)));
        assertEquals(task.evalBatch(4, 9), rebuilt.evalBatch(4, 9));
    }

    /** Every name the registry accepts: the listed ones and the aliases s3, s4, s6. */
    static Stream<String> everyName() {
        return Stream.concat(Tasks.names().stream(), Stream.of("s3", "s4", "s6"));
    }

    @ParameterizedTest
    @MethodSource("everyName")
    void everyRegisteredTaskBuildsWithItsDefaultsAndDeclaresWhatItStores(String name) {
        assertTrue(Tasks.exists(name));
        Task task = Tasks.byName(name);
        assertEquals(name, task.name());
        List<TaskOption> declared = Tasks.options(name);
        assertEquals(declared.stream().map(TaskOption::key).toList(), List.copyOf(task.options().keySet()),
                "a task stores exactly the options it declares, in the same order");
        for (TaskOption o : declared) {
            assertFalse(o.description().isBlank(), o.key());
            if (!o.derived()) {
                Task explicit = Tasks.byName(name, Map.of(o.key(), o.defaultValue()));
                assertEquals(task.options(), explicit.options(), "the declared default of " + o.key() + " is the default");
                assertEquals(task.sample(4, new SplittableRandom(2)), explicit.sample(4, new SplittableRandom(2)));
            }
        }
        assertEquals("unknown option 'zzz' for task '" + name + "'; its options are "
                        + String.join(", ", declared.stream().map(TaskOption::key).toList()),
                assertThrows(IllegalArgumentException.class, () -> Tasks.byName(name, Map.of("zzz", "1"))).getMessage());
    }

    @Test
    void declaredDefaultsAreTheClassesDefaults() {
        assertEquals(LegoTask.of().options(), Tasks.byName("lego").options());
        for (AutomatonTask.Kind k : AutomatonTask.Kind.values()) {
            AutomatonTask a = AutomatonTask.of(k);
            assertEquals(a.options(), Tasks.byName(a.name()).options(), a.name());
        }
        assertEquals(FlipFlopLanguageTask.of().options(), Tasks.byName("ffl").options());
        assertEquals(InductionTask.of().options(), Tasks.byName("induction").options());
        assertEquals(SortTask.of().options(), Tasks.byName("sort").options());
        assertEquals(List.of("n_var [6]: number of variables (chain length), 1..26", "n_train [n_var]: chain depths "
                        + "0..n_train-1 are scored in training; deeper ones measure length generalization",
                "shuffle [true]: shuffle the clauses (false: chain order, root first)",
                "fixed_root [false]: true: the root is always '+ 1' (else + 1 or - 1 at random, as in the paper)"),
                Tasks.options("lego").stream().map(TaskOption::toString).toList());
        assertEquals(List.of("n", "T", "p0"), Tasks.options("dihedral").stream().map(TaskOption::key).toList());
        assertEquals("4", Tasks.options("dihedral").get(0).defaultValue());
        assertTrue(Tasks.options("cyclic").get(2).derived(), "cyclic's p0 defaults to 1/n");
    }

    @Test
    void registryListsOneTypePerTaskClass() {
        assertEquals(5, Tasks.types().size());
        assertEquals(Tasks.names(), Tasks.types().stream().flatMap(t -> t.names().stream()).toList());
        assertFalse(Tasks.exists("s7"));
        assertFalse(Tasks.names().contains("s4"), "aliases are accepted, not listed");
    }

    @Test
    void displayNamesAndAttentionDirections() {
        Map<String, String> titles = new java.util.LinkedHashMap<>();  // the app's titles before the tasks held them
        titles.put("lego", "LEGO (chain reasoning)");
        titles.put("parity", "Parity");
        titles.put("cyclic", "Cyclic group C5");
        titles.put("dihedral", "Dihedral group D4");
        titles.put("flipflop", "Flip-flop automaton");
        titles.put("gridworld", "Gridworld");
        titles.put("s5", "Symmetric group S5");
        titles.put("ffl", "Flip-flop language");
        titles.put("induction", "Induction heads");
        titles.put("sort", "Sort");
        assertEquals(List.copyOf(titles.keySet()), Tasks.names());
        titles.forEach((name, title) -> {
            assertEquals(title, Tasks.displayName(name));
            assertEquals(title, Tasks.byName(name).displayName());
            assertEquals(name.equals("lego") ? AttentionDir.BIDIRECTIONAL : AttentionDir.CAUSAL,
                    Tasks.byName(name).attentionDir(), name);
        });
        assertEquals("Cyclic group C7", Tasks.byName("cyclic", Map.of("n", "7")).displayName());
        assertEquals("Symmetric group S4", Tasks.displayName("s4"));
        assertEquals("no-such-task", Tasks.displayName("no-such-task"), "an unknown name is its own title");
    }

    @Test
    void namesAndOptions() {
        assertEquals(List.of("lego", "parity", "cyclic", "dihedral", "flipflop", "gridworld", "s5", "ffl",
                "induction", "sort"), Tasks.names());
        for (String name : Tasks.names()) {
            assertEquals(name, Tasks.byName(name).name());
        }
        LegoTask lego = (LegoTask) Tasks.byName("lego", Map.of("n_var", "6", "shuffle", "false"));
        assertEquals(6, lego.nTrain());
        assertFalse(lego.shuffle());
        AutomatonTask s5 = (AutomatonTask) Tasks.byName("s5", Map.of("T", "16"));
        assertEquals(120, s5.nStates());
        assertEquals(5, ((AutomatonTask) Tasks.byName("cyclic", Map.of("n", "5"))).n());
        assertEquals(0.98, ((FlipFlopLanguageTask) Tasks.byName("ffl", Map.of("p", "0.98"))).pIgnore());
        assertEquals(11, Tasks.byName("sort", Map.of("length", "6")).seqLen());
    }

    @Test
    void errorsNameTheProblem() {
        assertEquals("unknown task 'legos'; tasks are lego, parity, cyclic, dihedral, flipflop, gridworld, s5, ffl,"
                + " induction, sort", assertThrows(IllegalArgumentException.class, () -> Tasks.byName("legos")).getMessage());
        assertEquals("unknown option 'nvar' for task 'lego'; its options are n_var, n_train, shuffle, fixed_root",
                assertThrows(IllegalArgumentException.class, () -> Tasks.byName("lego", Map.of("nvar", "3"))).getMessage());
        assertEquals("unknown option 'n' for task 's5'; its options are T, p0",
                assertThrows(IllegalArgumentException.class, () -> Tasks.byName("s5", Map.of("n", "5"))).getMessage());
        assertEquals("option n_var of task 'lego' must be an integer, got 'six'",
                assertThrows(IllegalArgumentException.class, () -> Tasks.byName("lego", Map.of("n_var", "six"))).getMessage());
        assertEquals("option shuffle of task 'lego' must be true or false, got 'yes'",
                assertThrows(IllegalArgumentException.class, () -> Tasks.byName("lego", Map.of("shuffle", "yes"))).getMessage());
        assertEquals("option p of task 'ffl' must be a number, got 'NaN'",
                assertThrows(IllegalArgumentException.class, () -> Tasks.byName("ffl", Map.of("p", "NaN"))).getMessage());
        assertEquals("option T of task 's4' must be an integer, got '1.5'",
                assertThrows(IllegalArgumentException.class, () -> Tasks.byName("s4", Map.of("T", "1.5"))).getMessage());
        assertEquals("unknown task 'null'; tasks are " + String.join(", ", Tasks.names()),
                assertThrows(IllegalArgumentException.class, () -> Tasks.byName("null")).getMessage());
        assertEquals("n_var must be in [1, 26], got 30",
                assertThrows(IllegalArgumentException.class, () -> Tasks.byName("lego", Map.of("n_var", "30"))).getMessage());
    }
}
