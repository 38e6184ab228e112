package org.attnlab.tests.inside;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.attnlab.engine.inspect.SetFunctionCheck;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.model.TransformerConfig.AttentionDir;
import org.attnlab.engine.model.TransformerConfig.PositionalEmbedding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Permutation equivariance: without positions a bidirectional transformer's outputs permute
 * with its inputs; any positional encoding or a causal mask breaks that.
 */
class SetFunctionCheckTest {
    private static InsideModels.Case model(PositionalEmbedding pe, AttentionDir dir) {
        return InsideModels.random(pe + "-" + dir, TransformerConfig.builder(6, 10, 16, 4, 2).positionalEmbeddingType(pe)
                .attentionDir(dir).build(), 11);
    }

    @Test
    void withoutPositionsABidirectionalModelIsASetFunction() {
        InsideModels.Case k = model(PositionalEmbedding.NONE, AttentionDir.BIDIRECTIONAL);
        assertFalse(SetFunctionCheck.seesPositions(k.params().config()));
        int[] perm = SetFunctionCheck.shuffle(10, 5);
        SetFunctionCheck.Result r = SetFunctionCheck.check(k.params(), k.tokens(), perm);
        assertTrue(r.equivariant());
        assertTrue(r.maxDeviation() < 1e-12, "deviation " + r.maxDeviation());
        for (int i = 0; i < 10; i++) {
            assertEquals(k.tokens()[perm[i]], r.permuted()[i]);
            assertArrayEquals(r.logits()[perm[i]], r.permutedLogits()[i], 1e-12);
        }
    }

    @ParameterizedTest
    @EnumSource(PositionalEmbedding.class)
    void positionsOrACausalMaskBreakIt(PositionalEmbedding pe) {
        for (AttentionDir dir : AttentionDir.values()) {
            if (pe == PositionalEmbedding.NONE && dir == AttentionDir.BIDIRECTIONAL) {
                continue;
            }
            InsideModels.Case k = model(pe, dir);
            assertTrue(SetFunctionCheck.seesPositions(k.params().config()));
            SetFunctionCheck.Result r = SetFunctionCheck.check(k.params(), k.tokens(), SetFunctionCheck.shuffle(10, 5));
            assertFalse(r.equivariant(), pe + " " + dir);
            assertTrue(r.maxDeviation() > 1e-3, pe + " " + dir + ": deviation " + r.maxDeviation());
            // its position-free bidirectional copy is a set function again
            Parameters free = SetFunctionCheck.positionFreeCopy(k.params());
            assertFalse(SetFunctionCheck.seesPositions(free.config()));
            assertEquals(k.params().m("embed.W_E").get(2, 3), free.m("embed.W_E").get(2, 3), 0);
            assertTrue(SetFunctionCheck.check(free, k.tokens(), SetFunctionCheck.shuffle(10, 6)).equivariant());
        }
    }

    @Test
    void shuffleMovesSomethingAndBadPermutationsAreRefused() {
        for (long seed = 0; seed < 20; seed++) {
            int[] p = SetFunctionCheck.shuffle(3, seed);
            assertNotEquals("[0, 1, 2]", Arrays.toString(p));
            assertArrayEquals(new int[] {0, 1, 2}, Arrays.stream(p).sorted().toArray());
        }
        InsideModels.Case k = model(PositionalEmbedding.NONE, AttentionDir.BIDIRECTIONAL);
        assertThrows(IllegalArgumentException.class, () -> SetFunctionCheck.check(k.params(), k.tokens(), new int[10]));
        assertThrows(IllegalArgumentException.class, () -> SetFunctionCheck.check(k.params(), k.tokens(), new int[3]));
    }
}
