package org.attnlab.engine.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.attnlab.engine.attention.AttentionKernel;
import org.attnlab.engine.attention.AttentionKernels;
import org.attnlab.engine.attention.KernelCases;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig.ActFn;
import org.attnlab.engine.model.TransformerConfig.AttentionDir;
import org.attnlab.engine.model.TransformerConfig.LnPlacement;
import org.attnlab.engine.model.TransformerConfig.Normalization;
import org.attnlab.engine.model.TransformerConfig.PositionalEmbedding;
import org.attnlab.engine.model.TransformerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Structural properties the transformer of docs/engine.md must have, whatever its weights:
 * permutation equivariance without positions, causality, batch independence, well-formed
 * attention patterns, masked scores, and exactly the specification's hook names.
 */
class TransformerPropertiesTest {
    private static final int V = 9, N_CTX = 7, D = 8, H = 2;

    private static TransformerConfig config(String ln, PositionalEmbedding pe, AttentionDir dir, AttentionKernel type,
                                            boolean attnOnly) {
        TransformerConfig.Builder b = TransformerConfig.builder(V, N_CTX, D, H, 2).dMlp(16)
                .positionalEmbeddingType(pe).attentionDir(dir).attentionType(type).attnOnly(attnOnly);
        switch (ln) {
            case "pre" -> b.lnPlacement(LnPlacement.PRE);
            case "post" -> b.lnPlacement(LnPlacement.POST);
            case "none" -> b.normalizationType(Normalization.NONE);
            default -> throw new IllegalArgumentException(ln);
        }
        return b.build();
    }

    /** Random parameters, all entries perturbed so that no bias or LN scale keeps its init value. */
    private static Parameters params(TransformerConfig c, long seed) {
        Random rnd = new Random(seed);
        Parameters p = Parameters.init(c, rnd);
        for (Param q : p.all()) {
            for (int i = 0; i < q.size(); i++) {
                q.value().data[i] += 0.3 * rnd.nextGaussian();
            }
        }
        return p;
    }

    private static int[] randomTokens(Random rnd, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = rnd.nextInt(V);
        }
        return t;
    }

    private static double[] logits(Transformer m, int[] tokens, int b, int t) {
        return m.forward(tokens, b, t, null).data.clone();   // the returned buffer is live
    }

    // ------------------------------------------------------------ (a), (b) permutation equivariance

    static Stream<Arguments> equivariantModels() {
        return Stream.of(
                Arguments.of("pre", AttentionKernels.SOFTMAX, false),
                Arguments.of("post", AttentionKernels.SOFTMAX, false),
                Arguments.of("none", AttentionKernels.SOFTMAX, false),
                Arguments.of("pre", AttentionKernels.LINEAR, false),
                Arguments.of("post", AttentionKernels.LINEAR, false),
                Arguments.of("none", AttentionKernels.LINEAR, true),
                Arguments.of("pre", AttentionKernels.SOFTMAX, true));
    }

    /** pi as used below: token'[i] = token[pi[i]] (neither the identity nor a reversal). */
    private static final int[] PI = {2, 0, 5, 1, 4, 3};

    private static int[] permute(int[] tokens, int b, int t, int[] pi) {
        int[] out = tokens.clone();
        for (int i = 0; i < t; i++) {
            out[b * t + i] = tokens[b * t + pi[i]];
        }
        return out;
    }

    @ParameterizedTest(name = "ln={0} {1} attn_only={2}")
    @MethodSource("equivariantModels")
    void bidirectionalModelWithoutPositionsIsPermutationEquivariant(String ln, AttentionKernel type, boolean attnOnly) {
        TransformerConfig c = config(ln, PositionalEmbedding.NONE, AttentionDir.BIDIRECTIONAL, type, attnOnly);
        Transformer m = new Transformer(params(c, 7));
        int b = 2, t = PI.length;
        int[] tokens = {0, 1, 2, 3, 4, 5, 8, 6, 6, 1, 7, 2};   // distinct tokens in sequence 0
        int[] permuted = permute(tokens, 0, t, PI);              // permute sequence 0 only
        ActivationCache a = m.runWithCache(tokens, b, t);
        ActivationCache p = m.runWithCache(permuted, b, t);
        double[] la = a.get("logits").data(), lp = p.get("logits").data();
        for (int i = 0; i < t; i++) {
            for (int v = 0; v < V; v++) {
                assertEquals(la[PI[i] * V + v], lp[i * V + v], 1e-10, "logits at position " + i + " vocab " + v);
                // sequence 1 is untouched
                assertEquals(la[(t + i) * V + v], lp[(t + i) * V + v], 1e-12);
            }
        }
        for (int l = 0; l < 2; l++) {
            ActivationCache.Activation pa = a.get("blocks." + l + ".attn.hook_pattern");
            ActivationCache.Activation pp = p.get("blocks." + l + ".attn.hook_pattern");
            for (int h = 0; h < H; h++) {
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < t; j++) {
                        assertEquals(pa.get(0, h, PI[i], PI[j]), pp.get(0, h, i, j), 1e-10,
                                "layer " + l + " head " + h + " pattern[" + i + "][" + j + "]");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = PositionalEmbedding.class, names = {"STANDARD", "SINUSOIDAL", "ROTARY", "ALIBI"})
    void positionalInformationBreaksEquivariance(PositionalEmbedding pe) {
        TransformerConfig c = config("pre", pe, AttentionDir.BIDIRECTIONAL, AttentionKernels.SOFTMAX, false);
        Transformer m = new Transformer(params(c, 7));
        int t = PI.length;
        int[] tokens = {0, 1, 2, 3, 4, 5};
        double[] la = logits(m, tokens, 1, t);
        double[] lp = logits(m, permute(tokens, 0, t, PI), 1, t);
        double maxDiff = 0;
        for (int i = 0; i < t; i++) {
            for (int v = 0; v < V; v++) {
                maxDiff = Math.max(maxDiff, Math.abs(la[PI[i] * V + v] - lp[i * V + v]));
            }
        }
        assertTrue(maxDiff > 1e-4, pe + ": permuting the input should not merely permute the logits (max diff "
                + maxDiff + ")");
    }

    // ------------------------------------------------------------ (c) causality

    static Stream<Arguments> causalModels() {
        List<Arguments> a = new ArrayList<>();
        String[] lns = {"pre", "post", "none"};
        int i = 0;
        for (PositionalEmbedding pe : PositionalEmbedding.values()) {
            for (AttentionKernel type : AttentionKernels.all()) {
                if (!KernelCases.accepts(type, pe, AttentionDir.CAUSAL)) {
                    continue;
                }
                a.add(Arguments.of(pe, type, lns[i++ % 3]));
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1} ln={2}")
    @MethodSource("causalModels")
    void causalModelNeverLooksAhead(PositionalEmbedding pe, AttentionKernel type, String ln) {
        TransformerConfig c = config(ln, pe, AttentionDir.CAUSAL, type, false);
        Transformer m = new Transformer(params(c, 11));
        Random rnd = new Random(3);
        int b = 2, t = N_CTX;
        int[] tokens = randomTokens(rnd, b * t);
        double[] base = logits(m, tokens, b, t);
        for (int k = 0; k < t; k++) {
            int[] changed = tokens.clone();
            changed[k] = (tokens[k] + 1 + rnd.nextInt(V - 1)) % V;   // sequence 0, position k
            double[] out = logits(m, changed, b, t);
            for (int i = 0; i < k; i++) {
                for (int v = 0; v < V; v++) {
                    assertEquals(base[i * V + v], out[i * V + v], 1e-12,
                            "changing position " + k + " changed the logits at position " + i);
                    assertTrue(base[i * V + v] == out[i * V + v], "not bit for bit: position " + i + " after "
                            + "changing " + k + ": " + base[i * V + v] + " vs " + out[i * V + v]);
                }
            }
            double diff = 0;
            for (int v = 0; v < V; v++) {
                diff = Math.max(diff, Math.abs(base[k * V + v] - out[k * V + v]));
            }
            assertTrue(diff > 1e-6, "changing the token at " + k + " must change the logits there");
            for (int i = t; i < 2 * t; i++) {   // the other sequence
                for (int v = 0; v < V; v++) {
                    assertEquals(base[i * V + v], out[i * V + v], 1e-12);
                }
            }
        }
    }

    // ------------------------------------------------------------ (d) batch independence

    static Stream<Arguments> allAttentionVariants() {
        List<Arguments> a = new ArrayList<>();
        String[] lns = {"pre", "post", "none"};
        int i = 0;
        for (PositionalEmbedding pe : PositionalEmbedding.values()) {
            for (AttentionDir dir : AttentionDir.values()) {
                for (AttentionKernel type : AttentionKernels.all()) {
                    if (!KernelCases.accepts(type, pe, dir)) {
                        continue;
                    }
                    a.add(Arguments.of(pe, dir, type, lns[i % 3], i % 4 == 3));
                    i++;
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} ln={3} attn_only={4}")
    @MethodSource("allAttentionVariants")
    void sequencesInABatchDoNotInteract(PositionalEmbedding pe, AttentionDir dir, AttentionKernel type, String ln,
                                        boolean attnOnly) {
        TransformerConfig c = config(ln, pe, dir, type, attnOnly);
        Transformer m = new Transformer(params(c, 5));
        Random rnd = new Random(8);
        int b = 3, t = 5;
        int[] tokens = randomTokens(rnd, b * t);
        double[] together = logits(m, tokens, b, t);
        for (int s = 0; s < b; s++) {
            double[] alone = logits(m, Arrays.copyOfRange(tokens, s * t, (s + 1) * t), 1, t);
            for (int i = 0; i < t * V; i++) {
                assertEquals(alone[i], together[s * t * V + i], 1e-12, "sequence " + s + " entry " + i);
            }
        }
        // and replacing the other sequences does not change this one
        int[] other = randomTokens(rnd, b * t);
        System.arraycopy(tokens, t, other, t, t);
        double[] mixed = logits(m, other, b, t);
        for (int i = t * V; i < 2 * t * V; i++) {
            assertEquals(together[i], mixed[i], 1e-12, "sequence 1 entry " + (i - t * V));
        }
    }

    /**
     * The loss is the mean over scored positions of the whole batch, so the gradient of a batch
     * is the count-weighted mean of the gradients of its sequences computed alone.
     */
    @ParameterizedTest(name = "{0} {1} {2} ln={3} attn_only={4}")
    @MethodSource("allAttentionVariants")
    void batchGradientIsTheWeightedMeanOfPerSequenceGradients(PositionalEmbedding pe, AttentionDir dir,
                                                             AttentionKernel type, String ln, boolean attnOnly) {
        TransformerConfig c = config(ln, pe, dir, type, attnOnly);
        Parameters p = params(c, 17);
        Transformer m = new Transformer(p);
        Random rnd = new Random(12);
        int b = 2, t = 4;
        int[] tokens = randomTokens(rnd, b * t), targets = new int[b * t];
        byte[] mask = {0, 1, 1, 1, 1, 0, 1, 0};   // 3 and 2 scored positions
        for (int i = 0; i < b * t; i++) {
            targets[i] = mask[i] == 1 ? rnd.nextInt(V) : -1;
        }
        Parameters gBatch = new Parameters(c);
        double lossBatch = m.lossAndGradients(new Batch(b, t, tokens, targets, mask), gBatch);
        double[] w = {3.0 / 5, 2.0 / 5};
        Parameters[] gs = new Parameters[b];
        double lossMix = 0;
        for (int s = 0; s < b; s++) {
            gs[s] = new Parameters(c);
            lossMix += w[s] * m.lossAndGradients(new Batch(1, t, Arrays.copyOfRange(tokens, s * t, (s + 1) * t),
                    Arrays.copyOfRange(targets, s * t, (s + 1) * t), Arrays.copyOfRange(mask, s * t, (s + 1) * t)),
                    gs[s]);
        }
        assertEquals(lossMix, lossBatch, 1e-12, "loss");
        for (Param q : gBatch.all()) {
            double[] a = gs[0].m(q.name()).data, bb = gs[1].m(q.name()).data;
            for (int i = 0; i < q.size(); i++) {
                double want = w[0] * a[i] + w[1] * bb[i];
                assertEquals(want, q.value().data[i], 1e-12 * (1 + Math.abs(want)), q.name() + "[" + i + "]");
            }
        }
    }

    /** Buffers are reused between calls: changing B and T back and forth must not leave stale state. */
    @ParameterizedTest(name = "{0} {1} {2} ln={3} attn_only={4}")
    @MethodSource("allAttentionVariants")
    void aModelReusedAcrossShapesMatchesAFreshOne(PositionalEmbedding pe, AttentionDir dir, AttentionKernel type,
                                                  String ln, boolean attnOnly) {
        TransformerConfig c = config(ln, pe, dir, type, attnOnly);
        Parameters p = params(c, 19);
        Transformer reused = new Transformer(p);
        Random rnd = new Random(2);
        int[][] shapes = {{3, 6}, {1, 2}, {2, 7}, {1, 1}, {2, 3}};
        for (int[] bt : shapes) {
            int b = bt[0], t = bt[1];
            int[] tokens = randomTokens(rnd, b * t), targets = randomTokens(rnd, b * t);
            byte[] mask = new byte[b * t];
            Arrays.fill(mask, (byte) 1);
            Batch batch = new Batch(b, t, tokens, targets, mask);
            Parameters g1 = new Parameters(c), g2 = new Parameters(c);
            double l1 = reused.lossAndGradients(batch, g1);
            double l2 = new Transformer(p).lossAndGradients(batch, g2);
            assertEquals(l2, l1, 0.0, "loss at B=" + b + " T=" + t);
            for (Param q : g1.all()) {
                assertArrayEquals(g2.m(q.name()).data, q.value().data, 0.0, q.name() + " at B=" + b + " T=" + t);
            }
            ActivationCache fresh = new Transformer(p).runWithCache(tokens, b, t);
            ActivationCache again = reused.runWithCache(tokens, b, t);
            assertEquals(fresh.names(), again.names());
            for (String n : fresh.names()) {
                assertArrayEquals(fresh.get(n).data(), again.get(n).data(), 0.0, n + " at B=" + b + " T=" + t);
            }
        }
    }

    // ------------------------------------------------------------ (e), (f) patterns and scores

    @ParameterizedTest(name = "{0} {1} {2} ln={3} attn_only={4}")
    @MethodSource("allAttentionVariants")
    void patternsAreDistributionsAndScoresAreMasked(PositionalEmbedding pe, AttentionDir dir, AttentionKernel type,
                                                    String ln, boolean attnOnly) {
        TransformerConfig c = config(ln, pe, dir, type, attnOnly);
        Transformer m = new Transformer(params(c, 13));
        int b = 2, t = 6;
        ActivationCache cache = m.runWithCache(randomTokens(new Random(1), b * t), b, t);
        boolean causal = dir == AttentionDir.CAUSAL;
        for (int l = 0; l < 2; l++) {
            String p = "blocks." + l + ".attn.";
            ActivationCache.Activation pat = cache.get(p + "hook_pattern");
            assertArrayEquals(new int[] {b, H, t, t}, pat.shape(), p + "hook_pattern shape");
            for (int bi = 0; bi < b; bi++) {
                for (int h = 0; h < H; h++) {
                    for (int i = 0; i < t; i++) {
                        double sum = 0;
                        for (int j = 0; j < t; j++) {
                            double x = pat.get(bi, h, i, j);
                            assertTrue(x >= 0 && x <= 1, p + "pattern entry out of [0, 1]: " + x);
                            if (causal && j > i) {
                                assertEquals(0.0, x, 0.0, p + "pattern above the diagonal at " + i + "," + j);
                            }
                            if (!causal || j <= i) {
                                assertTrue(x > 0, p + "visible key with zero weight at " + i + "," + j);
                            }
                            sum += x;
                        }
                        assertEquals(1.0, sum, 1e-12, p + "pattern row " + i + " sum");
                    }
                }
            }
            if (type == AttentionKernels.SOFTMAX) {
                ActivationCache.Activation sc = cache.get(p + "hook_attn_scores");
                assertArrayEquals(new int[] {b, H, t, t}, sc.shape(), p + "hook_attn_scores shape");
                for (int bi = 0; bi < b; bi++) {
                    for (int h = 0; h < H; h++) {
                        for (int i = 0; i < t; i++) {
                            for (int j = 0; j < t; j++) {
                                double s = sc.get(bi, h, i, j);
                                if (causal && j > i) {
                                    assertEquals(Double.NEGATIVE_INFINITY, s, p + "score above the diagonal");
                                } else {
                                    assertTrue(Double.isFinite(s), p + "visible score not finite: " + s);
                                }
                            }
                        }
                    }
                }
            } else {
                assertFalse(cache.has(p + "hook_attn_scores"), "linear attention has no hook_attn_scores");
            }
        }
    }

    /** The hook names of docs/engine.md, in forward order, for {@code c} (plus {@code logits}). */
    static List<String> expectedHooks(TransformerConfig c) {
        List<String> names = new ArrayList<>();
        names.add("hook_embed");
        if (c.positionalEmbeddingType() == PositionalEmbedding.STANDARD
                || c.positionalEmbeddingType() == PositionalEmbedding.SINUSOIDAL) {
            names.add("hook_pos_embed");
        }
        for (int l = 0; l < c.nLayers(); l++) {
            String p = "blocks." + l + ".";
            names.add(p + "hook_resid_pre");
            names.add(p + "attn.hook_q");
            names.add(p + "attn.hook_k");
            names.add(p + "attn.hook_v");
            if (c.attentionType() == AttentionKernels.SOFTMAX) {
                names.add(p + "attn.hook_attn_scores");
            }
            names.add(p + "attn.hook_pattern");
            names.add(p + "attn.hook_z");
            names.add(p + "hook_attn_out");
            names.add(p + "hook_resid_mid");
            if (!c.attnOnly()) {
                names.add(p + "mlp.hook_pre");
                names.add(p + "mlp.hook_post");
                names.add(p + "hook_mlp_out");
            }
            names.add(p + "hook_resid_post");
        }
        if (c.hasLayerNorm() && c.lnPlacement() == LnPlacement.PRE) {
            names.add("ln_final.hook_normalized");
        }
        names.add("logits");
        return names;
    }

    static Stream<Arguments> everyVariant() {
        List<Arguments> a = new ArrayList<>();
        for (String ln : new String[] {"pre", "post", "none"}) {
            for (PositionalEmbedding pe : PositionalEmbedding.values()) {
                for (AttentionDir dir : AttentionDir.values()) {
                    for (AttentionKernel type : AttentionKernels.all()) {
                        if (!KernelCases.accepts(type, pe, dir)) {
                            continue;
                        }
                        for (boolean attnOnly : new boolean[] {false, true}) {
                            a.add(Arguments.of(ln, pe, dir, type, attnOnly));
                        }
                    }
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "ln={0} {1} {2} {3} attn_only={4}")
    @MethodSource("everyVariant")
    void cacheHoldsExactlyTheSpecifiedHooksWithTheirShapes(String ln, PositionalEmbedding pe, AttentionDir dir,
                                                           AttentionKernel type, boolean attnOnly) {
        TransformerConfig c = config(ln, pe, dir, type, attnOnly);
        Transformer m = new Transformer(params(c, 2));
        int b = 2, t = 3;
        ActivationCache cache = m.runWithCache(randomTokens(new Random(4), b * t), b, t);
        List<String> expected = expectedHooks(c);
        assertEquals(new TreeSet<>(expected), new TreeSet<>(cache.names()), "hook names");
        assertEquals(expected, new ArrayList<>(cache.names()), "hook order (the order of the forward pass)");
        for (String n : cache.names()) {
            int[] shape = cache.get(n).shape();
            int[] want;
            if (n.endsWith("hook_q") || n.endsWith("hook_k") || n.endsWith("hook_v") || n.endsWith("hook_z")) {
                want = new int[] {b, t, H, c.dHead()};
            } else if (n.endsWith("hook_pattern") || n.endsWith("hook_attn_scores")) {
                want = new int[] {b, H, t, t};
            } else if (n.startsWith("blocks.") && n.contains("mlp.hook_")) {
                want = new int[] {b, t, c.dMlp()};
            } else if (n.equals("logits")) {
                want = new int[] {b, t, V};
            } else {
                want = new int[] {b, t, D};
            }
            assertArrayEquals(want, shape, n + " shape");
        }
    }

    // ------------------------------------------------------------ the hooks follow the spec's formulas

    @ParameterizedTest(name = "{0} {1} {2} ln={3} attn_only={4}")
    @MethodSource("allAttentionVariants")
    void hooksFollowTheForwardFormulas(PositionalEmbedding pe, AttentionDir dir, AttentionKernel type, String ln,
                                       boolean attnOnly) {
        TransformerConfig c = config(ln, pe, dir, type, attnOnly);
        Parameters params = params(c, 21);
        Transformer m = new Transformer(params);
        int b = 2, t = 5, e = c.dHead();
        int[] tokens = randomTokens(new Random(6), b * t);
        ActivationCache cache = m.runWithCache(tokens, b, t);
        double tol = 1e-10;

        // embeddings
        double[] we = params.get("embed.W_E").toFileOrder();
        ActivationCache.Activation emb = cache.get("hook_embed");
        for (int r = 0; r < b * t; r++) {
            for (int d = 0; d < D; d++) {
                assertEquals(we[tokens[r] * D + d], emb.data()[r * D + d], 0.0);
            }
        }
        if (pe == PositionalEmbedding.SINUSOIDAL || pe == PositionalEmbedding.STANDARD) {
            double[] wpos = pe == PositionalEmbedding.STANDARD ? params.get("pos_embed.W_pos").toFileOrder() : null;
            ActivationCache.Activation pos = cache.get("hook_pos_embed");
            for (int bi = 0; bi < b; bi++) {
                for (int ti = 0; ti < t; ti++) {
                    for (int k = 0; k < D; k++) {
                        double want;
                        if (wpos != null) {
                            want = wpos[ti * D + k];
                        } else {
                            int i2 = k - k % 2;   // PE[t, 2i] = sin(t / 10000^(2i/D)), PE[t, 2i+1] = cos(...)
                            double ang = ti / Math.pow(10000.0, (double) i2 / D);
                            want = k % 2 == 0 ? Math.sin(ang) : Math.cos(ang);
                        }
                        assertEquals(want, pos.get(bi, ti, k), 1e-12, "hook_pos_embed[" + bi + "," + ti + "," + k + "]");
                    }
                }
            }
        }
        for (int l = 0; l < 2; l++) {
            String p = "blocks." + l + ".";
            if (l > 0) {
                assertArrayEquals(cache.get("blocks." + (l - 1) + ".hook_resid_post").data(),
                        cache.get(p + "hook_resid_pre").data(), 0.0, "resid_pre = previous resid_post");
            }
            double[] q = cache.get(p + "attn.hook_q").data(), k = cache.get(p + "attn.hook_k").data();
            double[] v = cache.get(p + "attn.hook_v").data(), z = cache.get(p + "attn.hook_z").data();
            double[] pat = cache.get(p + "attn.hook_pattern").data();
            for (int bi = 0; bi < b; bi++) {
                for (int h = 0; h < H; h++) {
                    for (int i = 0; i < t; i++) {
                        // pattern from q and k (after rotary, if any)
                        double[] w = new double[t];
                        double sum = 0;
                        for (int j = 0; j < t; j++) {
                            boolean masked = dir == AttentionDir.CAUSAL && j > i;
                            double s = 0;
                            for (int x = 0; x < e; x++) {
                                double qx = q[((bi * t + i) * H + h) * e + x], kx = k[((bi * t + j) * H + h) * e + x];
                                s += type == AttentionKernels.LINEAR ? phi(qx) * phi(kx) : qx * kx;
                            }
                            if (type == AttentionKernels.SOFTMAX) {
                                s /= Math.sqrt(e);
                                if (pe == PositionalEmbedding.ALIBI) {
                                    s -= Math.pow(2, -8.0 * (h + 1) / H) * Math.abs(i - j);
                                }
                                if (!masked) {
                                    assertEquals(s, cache.get(p + "attn.hook_attn_scores").get(bi, h, i, j), tol,
                                            p + "hook_attn_scores");
                                }
                                s = Math.exp(s);
                            }
                            w[j] = masked ? 0 : s;
                            sum += w[j];
                        }
                        for (int j = 0; j < t; j++) {
                            assertEquals(w[j] / sum, pat[((bi * H + h) * t + i) * t + j], tol, p + "hook_pattern");
                        }
                        // z = pattern v
                        for (int x = 0; x < e; x++) {
                            double s = 0;
                            for (int j = 0; j < t; j++) {
                                s += pat[((bi * H + h) * t + i) * t + j] * v[((bi * t + j) * H + h) * e + x];
                            }
                            assertEquals(s, z[((bi * t + i) * H + h) * e + x], tol, p + "hook_z");
                        }
                    }
                }
            }
            if (!(c.hasLayerNorm() && c.lnPlacement() == LnPlacement.POST)) {
                double[] pre = cache.get(p + "hook_resid_pre").data(), ao = cache.get(p + "hook_attn_out").data();
                double[] mid = cache.get(p + "hook_resid_mid").data();
                for (int i = 0; i < mid.length; i++) {
                    assertEquals(pre[i] + ao[i], mid[i], tol, p + "resid_mid = resid_pre + attn_out");
                }
            }
            if (!attnOnly) {
                double[] hp = cache.get(p + "mlp.hook_pre").data(), hq = cache.get(p + "mlp.hook_post").data();
                for (int i = 0; i < hp.length; i++) {
                    double x = hp[i];
                    double want = c.actFn() == ActFn.RELU ? Math.max(0, x)
                            : 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
                    assertEquals(want, hq[i], tol, p + "mlp.hook_post = act(hook_pre)");
                }
            }
        }
        // rotary: hook_q is rope(a_in W_Q + b_Q); check the first layer, whose a_in is known
        if (pe == PositionalEmbedding.ROTARY && !(c.hasLayerNorm() && c.lnPlacement() == LnPlacement.PRE)) {
            double[] aIn = cache.get("blocks.0.hook_resid_pre").data();
            double[] wq = params.get("blocks.0.attn.W_Q").toFileOrder(), bq = params.get("blocks.0.attn.b_Q").toFileOrder();
            double[] q = cache.get("blocks.0.attn.hook_q").data();
            int half = e / 2;
            for (int r = 0; r < b * t; r++) {
                int pos = r % t;
                for (int h = 0; h < H; h++) {
                    double[] raw = new double[e];
                    for (int x = 0; x < e; x++) {
                        double s = bq[h * e + x];
                        for (int d = 0; d < D; d++) {
                            s += aIn[r * D + d] * wq[(h * D + d) * e + x];
                        }
                        raw[x] = s;
                    }
                    for (int j = 0; j < half; j++) {
                        double a = pos * Math.pow(c.rotaryBase(), -2.0 * j / e);
                        assertEquals(raw[j] * Math.cos(a) - raw[j + half] * Math.sin(a),
                                q[(r * H + h) * e + j], tol, "rotary q");
                        assertEquals(raw[j + half] * Math.cos(a) + raw[j] * Math.sin(a),
                                q[(r * H + h) * e + j + half], tol, "rotary q");
                    }
                }
            }
        }
        // logits = final residual (after ln_final if any) @ W_U + b_U
        double[] fin = cache.get(c.hasFinalLayerNorm() ? "ln_final.hook_normalized" : "blocks.1.hook_resid_post")
                .data();
        double[] wu = params.get("unembed.W_U").toFileOrder(), bu = params.get("unembed.b_U").toFileOrder();
        double[] lg = cache.get("logits").data();
        for (int r = 0; r < b * t; r++) {
            for (int x = 0; x < V; x++) {
                double s = bu[x];
                for (int d = 0; d < D; d++) {
                    s += fin[r * D + d] * wu[d * V + x];
                }
                assertEquals(s, lg[r * V + x], tol, "logits");
            }
        }
    }

    private static double phi(double x) {
        return x > 0 ? x + 1 : Math.exp(x);
    }

    @Test
    void logitsOfForwardAndCacheAgree() {
        TransformerConfig c = config("pre", PositionalEmbedding.STANDARD, AttentionDir.CAUSAL, AttentionKernels.SOFTMAX,
                false);
        Transformer m = new Transformer(params(c, 1));
        int[] tokens = randomTokens(new Random(2), 2 * 4);
        double[] a = logits(m, tokens, 2, 4);
        ActivationCache cache = m.runWithCache(tokens, 2, 4);
        assertArrayEquals(a, cache.get("logits").data(), 0.0, "logits");
        Set<String> names = new LinkedHashSet<>(cache.names());
        assertTrue(names.contains("logits"));
    }

    private static void assertArrayEquals(int[] want, int[] got, String what) {
        assertEquals(Arrays.toString(want), Arrays.toString(got), what);
    }

    private static void assertArrayEquals(double[] want, double[] got, double tol, String what) {
        assertEquals(want.length, got.length, what + " length");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol, what + " [" + i + "]");
        }
    }
}
