package org.attnlab.engine.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.ParamSpec;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig.AttentionDir;
import org.attnlab.engine.model.TransformerConfig.PositionalEmbedding;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.transformer.Transformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The registry of attention types, and what each kernel declares against what the engine does. */
class AttentionKernelsTest {
    @Test
    void theRegistryHoldsSoftmaxAndLinear() {
        assertEquals(List.of("softmax", "linear"), AttentionKernels.types());
        assertSame(AttentionKernels.SOFTMAX, AttentionKernels.byType("softmax"));
        assertSame(AttentionKernels.LINEAR, AttentionKernels.byType("linear"));
        Set<String> types = new HashSet<>();
        for (AttentionKernel k : AttentionKernels.all()) {
            assertTrue(types.add(k.type()), "one registration per type: " + k.type());
            assertFalse(k.description().isBlank());
        }
        assertSame(AttentionKernels.SOFTMAX, TransformerConfig.builder(5, 4, 8, 2, 1).build().attentionType(),
                "softmax is the default");
    }

    @Test
    void anUnknownTypeNamesTheRegisteredOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttentionKernels.byType("aft_full"));
        assertTrue(e.getMessage().contains("attention_type") && e.getMessage().contains("'aft_full'"), e.getMessage());
        for (String t : AttentionKernels.types()) {
            assertTrue(e.getMessage().contains(t), e.getMessage());
        }
    }

    @Test
    void linearWithAlibiIsRefusedNamingBothKeys() {
        TransformerConfig.Builder b = TransformerConfig.builder(5, 4, 8, 2, 1)
                .positionalEmbeddingType(PositionalEmbedding.ALIBI).attentionType(AttentionKernels.LINEAR);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("positional_embedding_type \"alibi\"")
                && e.getMessage().contains("attention_type \"linear\""), e.getMessage());
        TransformerConfig softmaxAlibi = b.attentionType(AttentionKernels.SOFTMAX).build();
        AttentionKernels.SOFTMAX.validate(softmaxAlibi);             // softmax takes every encoding
        assertThrows(IllegalArgumentException.class, () -> AttentionKernels.LINEAR.validate(softmaxAlibi));
    }

    static Stream<Arguments> configs() {
        Stream.Builder<Arguments> out = Stream.builder();
        for (AttentionKernel k : AttentionKernels.all()) {
            for (PositionalEmbedding pe : PositionalEmbedding.values()) {
                for (AttentionDir dir : AttentionDir.values()) {
                    if (KernelCases.accepts(k, pe, dir)) {
                        out.add(Arguments.of(TransformerConfig.builder(7, 5, 8, 2, 2).attentionType(k)
                                .positionalEmbeddingType(pe).attentionDir(dir).build()));
                    }
                }
            }
        }
        return out.build();
    }

    /** The hooks a kernel declares are exactly the attention hooks a forward pass fires, in order. */
    @ParameterizedTest
    @MethodSource("configs")
    void theDeclaredHooksAreTheFiredOnes(TransformerConfig c) {
        Parameters p = Parameters.init(c, new SplittableRandom(1));
        ActivationCache cache = new Transformer(p).runWithCache(new int[] {1, 2, 3, 4, 5}, 1, 5);
        Set<HookPoint.Site> attention = EnumSet.of(HookPoint.Site.ATTN_Q, HookPoint.Site.ATTN_K,
                HookPoint.Site.ATTN_V, HookPoint.Site.ATTN_SCORES, HookPoint.Site.ATTN_PATTERN, HookPoint.Site.ATTN_Z);
        for (int l = 0; l < c.nLayers(); l++) {
            Set<HookPoint.Site> fired = new LinkedHashSet<>();
            for (HookPoint pt : cache.points()) {
                if (pt.layer() == l && attention.contains(pt.site())) {
                    fired.add(pt.site());
                }
            }
            assertEquals(List.copyOf(c.attentionType().hooks(c)), List.copyOf(fired), c.attentionType() + " layer " + l);
        }
        assertEquals(c.attentionType() == AttentionKernels.SOFTMAX,
                c.attentionType().hooks(c).contains(HookPoint.Site.ATTN_SCORES));
        assertTrue(c.attentionType().hasPattern());
    }

    /** The model's attention parameters are the kernel's, with their shapes, init rules and layouts. */
    @ParameterizedTest
    @MethodSource("configs")
    void theModelsAttentionParametersAreTheKernels(TransformerConfig c) {
        Parameters p = new Parameters(c);
        for (int l = 0; l < c.nLayers(); l++) {
            for (ParamSpec s : c.attentionType().parameters(c)) {
                ParamSpec got = p.block(l, s.name()).spec();
                assertEquals(s.named("blocks." + l + "." + s.name()), got);
            }
        }
        ParamSpec wq = p.get("blocks.0.attn.W_Q").spec();
        assertEquals(ParamSpec.Layout.HEADS_TO_COLUMNS, wq.layout());
        assertEquals(ParamSpec.Layout.ROW_MAJOR, p.get("blocks.0.attn.W_O").spec().layout());
        assertEquals(1.0 / Math.sqrt(c.dModel()), wq.init().std(), 0.0);
        assertEquals(1.0 / Math.sqrt(2.0 * c.nLayers()) / Math.sqrt(c.headsWidth()),
                p.get("blocks.1.attn.W_O").spec().init().std(), 0.0);
        assertEquals(ParamSpec.Init.ZEROS, p.get("blocks.1.attn.b_V").spec().init());
    }

    /** The kernel's plain-loop reference computes what the engine's fast path computes. */
    @ParameterizedTest
    @MethodSource("configs")
    void theReferenceAgreesWithTheEngine(TransformerConfig c) {
        TransformerConfig plain = c.toBuilder().normalizationType(TransformerConfig.Normalization.NONE).build();
        SplittableRandom rng = new SplittableRandom(4);
        Parameters p = Parameters.init(plain, rng);
        int[] toks = {3, 1, 4, 1, 5};
        ActivationCache cache = new Transformer(p).runWithCache(toks, 1, 5);
        double[][] aIn = new double[5][];
        double[] x = cache.get(HookPoint.of(1, HookPoint.Site.RESID_PRE)).data();
        for (int i = 0; i < 5; i++) {
            aIn[i] = java.util.Arrays.copyOfRange(x, i * plain.dModel(), (i + 1) * plain.dModel());
        }
        ReferenceAttention r = AttentionKernels.of(plain).reference(p, 1, aIn);
        double[] pattern = cache.get(HookPoint.of(1, HookPoint.Site.ATTN_PATTERN)).data();
        double[] out = cache.get(HookPoint.of(1, HookPoint.Site.ATTN_OUT)).data();
        int h = plain.nHeads();
        for (int hh = 0; hh < h; hh++) {
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(pattern[(hh * 5 + i) * 5 + j], r.pattern()[hh][i][j], 1e-12);
                }
            }
        }
        for (int i = 0; i < 5; i++) {
            for (int d = 0; d < plain.dModel(); d++) {
                assertEquals(out[i * plain.dModel() + d], r.out()[i][d], 1e-12);
            }
        }
        assertEquals(plain.attentionType().hooks(plain).contains(HookPoint.Site.ATTN_SCORES), r.scores() != null);
        List<AttentionStage> stages = AttentionKernels.of(plain).stages(plain, r, 1, 3, List.of("a", "b", "c", "d", "e"));
        assertEquals(AttentionStage.Step.DOTS, stages.get(0).step());
        AttentionStage last = stages.get(stages.size() - 1);
        assertTrue(last.step().yieldsPattern());
        assertEquals(plain.attentionType().patternStep(), last.title());
        assertEquals(5, last.values().length);
        for (int j = 0; j < 5; j++) {
            assertEquals(r.pattern()[1][3][j], last.values()[j], 0.0);
        }
    }

    /** The step-through shows a kernel's stages as its own kinds: every step has one of the same name. */
    @Test
    void theScoresStepIsNamedAfterWhatTheKernelComputes() {
        TransformerConfig causal = TransformerConfig.builder(5, 4, 8, 2, 1).attentionDir(AttentionDir.CAUSAL).build();
        TransformerConfig alibi = TransformerConfig.builder(5, 4, 8, 2, 1).attentionDir(AttentionDir.BIDIRECTIONAL)
                .positionalEmbeddingType(PositionalEmbedding.ALIBI).build();
        assertEquals("q\u00b7k, scale, mask", AttentionKernels.SOFTMAX.scoresStep(causal));
        assertEquals("q\u00b7k, scale, ALiBi", AttentionKernels.SOFTMAX.scoresStep(alibi));
        // linear attention has neither a 1/sqrt(d_head) scale nor a softmax
        assertEquals("\u03c6(q)\u00b7\u03c6(k), mask", AttentionKernels.LINEAR.scoresStep(causal));
    }

    @Test
    void everyStepHasAStepThroughKind() {
        for (AttentionStage.Step s : AttentionStage.Step.values()) {
            assertEquals(s.name(), org.attnlab.engine.inspect.ForwardTrace.Kind.valueOf(s.name()).name());
        }
    }
}
