package org.attnlab.engine.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.attnlab.engine.model.Batch;
import org.junit.jupiter.api.Test;

/** The corruptions each task offers for activation patching, their arguments and what they change. */
class CorruptionTest {

    private static int[] row(Batch b, int r) {
        return Arrays.copyOfRange(b.tokens(), r * b.seqLen(), (r + 1) * b.seqLen());
    }

    @Test
    void everyTaskReplacesATokenAndOnlyLegoAlsoFlipsASign() {
        for (String name : Tasks.names()) {
            Task task = Tasks.byName(name);
            List<String> names = task.corruptions().stream().map(Corruption::name).toList();
            assertEquals(name.equals("lego") ? List.of("sign_flip", "replace_token") : List.of("replace_token"), names,
                    name);
        }
    }

    @Test
    void replaceTokenChangesOnePositionAndLeavesTheAnswersToTheModel() {
        Task task = Tasks.byName("sort");
        int[] clean = row(task.evalBatch(3, 1), 2);
        Corruption c = task.corruptions().get(0);
        assertEquals("Replace one token", c.label());
        assertTrue(c.appliesTo(clean));
        List<Corruption.Argument> args = c.arguments(clean);
        assertEquals(List.of("position", "token", "answer"), args.stream().map(Corruption.Argument::name).toList());
        assertEquals(0, args.get(0).defaultValue());
        assertEquals((clean[0] + 1) % 3, args.get(1).defaultValue(), "the first token becomes the next one");
        assertEquals(clean.length - 1, args.get(2).defaultValue());
        assertEquals(List.of("0", "1", "2"), args.get(1).valueLabels());
        assertEquals(clean.length, args.get(0).values().size());

        int[] before = clean.clone();
        Corruption.Corrupted x = c.apply(clean, 4, (clean[4] + 2) % 3, 7);
        assertArrayEquals(before, clean, "the clean input is not modified");
        for (int i = 0; i < clean.length; i++) {
            assertEquals(i == 4 ? (clean[4] + 2) % 3 : clean[i], x.tokens()[i]);
        }
        assertEquals(7, x.answerPosition());
        assertEquals(-1, x.correct());
        assertEquals(-1, x.wrong());
        assertEquals("position 4: '" + clean[4] + "' \u2192 '" + (clean[4] + 2) % 3 + "'", x.description());
        assertThrows(IllegalArgumentException.class, () -> c.apply(clean, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> c.apply(clean, clean.length, 1, 0));
    }

    @Test
    void legoSignFlipIsOfferedFirstWithItsDepths() {
        LegoTask task = LegoTask.of(5, 5, true, true);       // the root is + 1: depths 1..4
        int[] clean = row(task.evalBatch(4, 3), 1);
        Corruption flip = task.corruptions().get(0);
        assertEquals("sign_flip", flip.name());
        assertTrue(flip.appliesTo(clean));
        assertFalse(flip.appliesTo(Arrays.copyOf(clean, 20)), "only a sentence of the task's own length");
        LegoTask one = LegoTask.of(1, 1, true, true);
        assertFalse(one.corruptions().get(0).appliesTo(row(one.evalBatch(1, 1), 0)),
                "one variable, a fixed root: no sign to flip");
        LegoTask randomRoot = LegoTask.of(5);
        assertEquals(List.of(0, 1, 2, 3, 4), randomRoot.corruptions().get(0).arguments(clean).get(0).values(),
                "a random root's sign can be flipped too");
        int[] r = row(randomRoot.evalBatch(4, 3), 0);
        Corruption.Corrupted rootFlip = randomRoot.signFlip(r, 0);
        Corruption.Corrupted back = randomRoot.signFlip(rootFlip.tokens(), 0);
        assertArrayEquals(r, back.tokens(), "flipping the root twice gives the clean sentence");
        assertEquals(rootFlip.wrong(), back.correct(), "the root's sign flips the deepest variable's value");
        Corruption.Argument depth = flip.arguments(clean).get(0);
        assertEquals("depth", depth.name());
        assertEquals(List.of(1, 2, 3, 4), depth.values());
        assertEquals(1, depth.defaultValue());
        for (int d = 1; d < 5; d++) {
            Corruption.Corrupted x = flip.apply(clean, d);
            Corruption.Corrupted direct = task.signFlip(clean, d);
            assertArrayEquals(direct.tokens(), x.tokens());
            assertEquals(direct.answerPosition(), x.answerPosition());
            assertEquals(direct.correct(), x.correct());
            assertEquals(direct.wrong(), x.wrong());
            assertTrue(x.description().startsWith("sign of "), x.description());
        }
        assertThrows(IllegalArgumentException.class, () -> flip.apply(clean, 0));
        assertThrows(IllegalArgumentException.class, () -> flip.apply(clean, 1, 2));
    }

    @Test
    void argumentsCheckTheirChoices() {
        assertThrows(IllegalArgumentException.class,
                () -> new Corruption.Argument("x", "x", List.of(1, 2), List.of("1"), 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Corruption.Argument("x", "x", List.of(1, 2), List.of("1", "2"), 3));
        Corruption.Argument a = new Corruption.Argument("t", "becomes", List.of(0, 1), List.of("w", "r"), 1);
        assertEquals("r", a.labelOf(1));
        assertEquals("5", a.labelOf(5));
    }
}
