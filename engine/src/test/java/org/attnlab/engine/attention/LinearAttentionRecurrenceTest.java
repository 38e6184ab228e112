package org.attnlab.engine.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.intervene.TestModels;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig.PositionalEmbedding;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.transformer.Transformer;
import org.junit.jupiter.api.Test;

/**
 * The recurrent form of causal linear attention, reached through the linear kernel, reproduces
 * the engine's parallel hook_z to 1e-10.
 */
class LinearAttentionRecurrenceTest {
    @Test
    void recurrentOutputsEqualTheParallelForm() {
        List<TransformerConfig> configs = List.of(
                TransformerConfig.builder(13, 24, 12, 2, 2).attentionType(AttentionKernels.LINEAR).build(),
                TransformerConfig.builder(13, 24, 16, 4, 3).attentionType(AttentionKernels.LINEAR)
                        .positionalEmbeddingType(PositionalEmbedding.ROTARY).attnOnly(true).build(),
                TransformerConfig.builder(13, 24, 8, 1, 1).attentionType(AttentionKernels.LINEAR)
                        .normalizationType(TransformerConfig.Normalization.NONE).build());
        int seed = 0;
        for (TransformerConfig c : configs) {
            Parameters p = TestModels.random(c, ++seed);
            int[] toks = TestModels.tokens(13, 24, seed);
            ActivationCache cache = new Transformer(p).runWithCache(toks, 1, 24);
            Recurrence r = AttentionKernels.of(c).recurrence(c).orElseThrow();
            assertSame(LinearAttentionRecurrence.INSTANCE, r);
            assertEquals(c.dHead() * c.dHead() + c.dHead(), r.stateSize(c));
            for (int l = 0; l < c.nLayers(); l++) {
                for (int h = 0; h < c.nHeads(); h++) {
                    LinearAttentionRecurrence.Trace tr = LinearAttentionRecurrence.INSTANCE.run(c, cache, l, h);
                    assertEquals(tr.maxAbsDifference(), r.run(c, cache, l, h).maxAbsDifference(), 0.0);
                    assertTrue(tr.maxAbsDifference() <= 1e-10, c + " L" + l + "H" + h + ": " + tr.maxAbsDifference());
                    assertEquals(24, tr.steps().size());
                    for (LinearAttentionRecurrence.Step s : tr.steps()) {
                        for (int e = 0; e < c.dHead(); e++) {
                            double z = cache.get(HookPoint.of(l, HookPoint.Site.ATTN_Z)).get(0, s.t(), h, e);
                            assertEquals(z, s.output()[e], 1e-10, "t=" + s.t() + " e=" + e);
                            assertEquals(c.dHead() * c.dHead(), s.state().length, "constant state size");
                        }
                    }
                    // u_T = sum of phi(k) over all positions, checked against hook_k directly
                    LinearAttentionRecurrence.Step last = tr.steps().get(23);
                    for (int e = 0; e < c.dHead(); e++) {
                        double u = 0;
                        for (int t = 0; t < 24; t++) {
                            double k = cache.get(HookPoint.of(l, HookPoint.Site.ATTN_K)).get(0, t, h, e);
                            u += k > 0 ? k + 1 : Math.exp(k);
                        }
                        assertEquals(u, last.normalizer()[e], 1e-10);
                    }
                }
            }
        }
    }

    @Test
    void aSoftmaxModelsWeightsRunAsCausalLinearAttention() {
        TransformerConfig c = TransformerConfig.builder(9, 12, 8, 2, 2).build();
        Parameters p = TestModels.random(c, 5);
        assertTrue(AttentionKernels.of(c).recurrence(c).isEmpty(), "softmax attention has no recurrent form");
        assertThrows(IllegalArgumentException.class,
                () -> LinearAttentionRecurrence.INSTANCE.run(c, new Transformer(p).runWithCache(new int[] {1, 2}, 1, 2), 0, 0));
        Parameters lin = LinearAttentionRecurrence.asCausalLinear(p);
        assertSame(lin, LinearAttentionRecurrence.asCausalLinear(lin));
        assertSame(AttentionKernels.LINEAR, lin.config().attentionType());
        assertEquals(p.get("blocks.1.attn.W_Q").toFileOrder()[3], lin.get("blocks.1.attn.W_Q").toFileOrder()[3]);
        Transformer linear = new Transformer(lin);
        assertTrue(LinearAttentionRecurrence.INSTANCE.run(lin.config(), linear.runWithCache(TestModels.tokens(9, 12, 1),
                1, 12), 1, 1).maxAbsDifference() <= 1e-10);
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class, () -> LinearAttentionRecurrence
                .INSTANCE.run(lin.config(), linear.runWithCache(TestModels.tokens(9, 24, 1), 2, 12), 1, 1));
        assertTrue(two.getMessage().contains("one sequence"), two.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinearAttentionRecurrence.INSTANCE.run(lin.config(),
                new ActivationCache(), 1, 1), "a pass without the attention hooks");
        assertEquals(2 * 7 * 4, LinearAttentionRecurrence.kvCacheSize(7, 4));
        assertEquals(4 * 4 + 4, LinearAttentionRecurrence.recurrentStateSize(4));
    }

    @Test
    void bidirectionalLinearAttentionHasNoRecurrenceAndAlibiHasNoLinearForm() {
        TransformerConfig bi = TransformerConfig.builder(9, 12, 8, 2, 1).attentionType(AttentionKernels.LINEAR)
                .attentionDir(TransformerConfig.AttentionDir.BIDIRECTIONAL).build();
        assertTrue(AttentionKernels.of(bi).recurrence(bi).isEmpty());
        Parameters alibi = TestModels.random(TransformerConfig.builder(9, 12, 8, 2, 1)
                .positionalEmbeddingType(PositionalEmbedding.ALIBI).build(), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearAttentionRecurrence.asCausalLinear(alibi));
        assertTrue(e.getMessage().contains("positional_embedding_type") && e.getMessage().contains("attention_type"),
                e.getMessage());
    }
}
