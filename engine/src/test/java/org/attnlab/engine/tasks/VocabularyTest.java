package org.attnlab.engine.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    private final Vocabulary v = Vocabulary.of("a", "b", "c", "=", "+", "-", ";", "1");

    @Test
    void encodesAndDecodesRoundTrip() {
        int[] ids = v.encode("  b = - a ;\tc   = + b ; ");
        assertArrayEquals(new int[] {1, 3, 5, 0, 6, 2, 3, 4, 1, 6}, ids);
        assertEquals("b = - a ; c = + b ;", v.decode(ids));
        assertEquals("- a", v.decode(ids, 2, 4));
        assertEquals(0, v.encode("   ").length);
        assertEquals(8, v.size());
        assertEquals("=", v.token(3));
        assertEquals(7, v.id("1"));
        assertTrue(v.contains(";"));
    }

    @Test
    void unknownTokenNamesTokenAndPosition() {
        UnknownTokenException e = assertThrows(UnknownTokenException.class, () -> v.encode("a = + x ;"));
        assertEquals("x", e.token());
        assertEquals(3, e.position());
        assertEquals("unknown token 'x' at position 3 (vocabulary: a b c = + - ; 1)", e.getMessage());
        assertTrue(e instanceof IllegalArgumentException);

        UnknownTokenException alone = assertThrows(UnknownTokenException.class, () -> v.id("zz"));
        assertEquals("zz", alone.token());
        assertEquals(-1, alone.position());
        assertEquals("unknown token 'zz' (vocabulary: a b c = + - ; 1)", alone.getMessage());
    }

    @Test
    void badIdsAndBadTokensAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.decode(new int[] {0, 8}));
        assertEquals("token id 8 at position 1 is outside [0, 8)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v.token(-1));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of("a", "a"));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of("a b"));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(""));
        assertThrows(IllegalArgumentException.class, () -> new Vocabulary(List.of()));
    }

    @Test
    void longVocabulariesAreAbbreviatedInMessages() {
        Vocabulary big = AutomatonTask.of(AutomatonTask.Kind.SYMMETRIC).vocabulary();
        String msg = assertThrows(UnknownTokenException.class, () -> big.encode("e q999")).getMessage();
        assertTrue(msg.startsWith("unknown token 'q999' at position 1 (vocabulary: e (01) (01234) q0 q1"), msg);
        assertTrue(msg.endsWith("... (123 tokens))"), msg);
    }
}
