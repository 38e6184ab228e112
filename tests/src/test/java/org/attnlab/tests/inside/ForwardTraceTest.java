package org.attnlab.tests.inside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.attnlab.engine.attention.AttentionKernels;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.inspect.ForwardTrace.Kind;
import org.attnlab.engine.inspect.ForwardTrace.Stage;
import org.attnlab.engine.inspect.ForwardTrace;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.transformer.Transformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The step-through's numbers against the engine's cached activations, stage by stage, for every
 * model variant and several (layer, head, query) choices. The trace computes with its own plain
 * implementation, so this checks two forward passes against each other.
 */
class ForwardTraceTest {
    private static final double TOL = 1e-10;

    static List<InsideModels.Case> cases() {
        return InsideModels.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyStageEqualsTheEnginesCachedActivation(InsideModels.Case k) {
        Parameters p = k.params();
        TransformerConfig c = p.config();
        int t = k.tokens().length;
        ActivationCache cache = new Transformer(p).runWithCache(k.tokens(), 1, t);
        int[][] choices = {{0, 0, 0}, {c.nLayers() - 1, c.nHeads() - 1, t - 1}, {c.nLayers() / 2, c.nHeads() / 2, t / 2}};
        for (int[] ch : choices) {
            ForwardTrace tr = ForwardTrace.trace(p, k.tokens(), InsideModels.labels(k.tokens()), List.of("a", "b"),
                    ch[0], ch[1], ch[2]);
            Set<Kind> seen = EnumSet.noneOf(Kind.class);
            for (Stage s : tr.stages()) {
                seen.add(s.kind());
                check(k.name() + " " + s.kind() + " at " + java.util.Arrays.toString(ch), s, cache, p, ch[0], ch[1], ch[2]);
            }
            Set<Kind> want = EnumSet.of(Kind.EMBED, Kind.POSITION, Kind.Q, Kind.K, Kind.V, Kind.DOTS, Kind.MASKED,
                    Kind.PATTERN, Kind.Z, Kind.HEAD_OUT, Kind.RESID_MID, Kind.LOGITS);
            assertTrue(seen.containsAll(want), "missing stages: " + want + " vs " + seen);
            if (!c.attnOnly()) {
                assertTrue(seen.containsAll(EnumSet.of(Kind.MLP_PRE, Kind.MLP_POST, Kind.MLP_OUT, Kind.RESID_POST)));
            }
            assertEquals(ch[0] > 0, seen.contains(Kind.RESID_PRE));
            assertEquals(c.hasFinalLayerNorm(), seen.contains(Kind.LN_FINAL));
        }
    }

    /** Compares one stage with what the engine cached (or what follows from it by one line of arithmetic). */
    private static void check(String what, Stage s, ActivationCache cache, Parameters p, int l, int h, int i) {
        TransformerConfig c = p.config();
        String b = "blocks." + l + ".";
        int t = cache.get("hook_embed").shape()[1], e = c.dHead();
        switch (s.kind()) {
            case EMBED -> same(what, row(cache, "hook_embed", i), s.row(0));
            case POSITION -> {
                if (s.rows() == 2) {
                    same(what, row(cache, "hook_pos_embed", i), s.row(0));
                }
                same(what, row(cache, "blocks.0.hook_resid_pre", i), s.row(s.rows() - 1));
            }
            case RESID_PRE -> same(what, row(cache, b + "hook_resid_pre", i), s.row(0));
            case LN1 -> same(what, layerNorm(row(cache, b + "hook_resid_pre", i), p, b + "ln1"), s.row(0));
            case Q -> same(what, head(cache, b + "attn.hook_q", i, h, e), s.row(0));
            case K, V -> {
                for (int j = 0; j < t; j++) {
                    same(what + " key " + j, head(cache, b + "attn.hook_" + (s.kind() == Kind.K ? "k" : "v"), j, h, e), s.row(j));
                }
            }
            case DOTS -> {
                boolean linear = c.attentionType() == AttentionKernels.LINEAR;
                double[] q = head(cache, b + "attn.hook_q", i, h, e);
                for (int j = 0; j < t; j++) {
                    double[] kj = head(cache, b + "attn.hook_k", j, h, e);
                    double dot = 0;
                    for (int a = 0; a < e; a++) {
                        dot += linear ? phi(q[a]) * phi(kj[a]) : q[a] * kj[a];
                    }
                    assertEquals(dot, s.values()[j], TOL * (1 + Math.abs(dot)), what + " key " + j);
                }
            }
            case SCALED, ALIBI -> {
                // scaled (and biased) scores: the cached scores where not masked
                for (int j = 0; j < t; j++) {
                    if (!(c.causal() && j > i)) {
                        double want = cache.get(b + "attn.hook_attn_scores").get(0, h, i, j);
                        double bias = s.kind() == Kind.SCALED ? alibi(c, h, i, j) : 0;
                        assertEquals(want + bias, s.values()[j], TOL * (1 + Math.abs(want)), what + " key " + j);
                    }
                }
            }
            case MASKED -> {
                if (c.attentionType() == AttentionKernels.SOFTMAX) {
                    same(what, scoresRow(cache, b + "attn.hook_attn_scores", h, i, t), s.row(0));
                } else {
                    for (int j = i + 1; c.causal() && j < t; j++) {
                        assertEquals(0, s.values()[j], 0, what);
                    }
                }
            }
            case PATTERN -> same(what, scoresRow(cache, b + "attn.hook_pattern", h, i, t), s.row(0));
            case Z -> same(what, head(cache, b + "attn.hook_z", i, h, e), s.row(0));
            case HEAD_OUT -> {
                double[] z = head(cache, b + "attn.hook_z", i, h, e), wo = p.get(b + "attn.W_O").toFileOrder();
                int d = c.dModel();
                double[] o = new double[d];
                for (int a = 0; a < e; a++) {
                    for (int x = 0; x < d; x++) {
                        o[x] += z[a] * wo[(h * e + a) * d + x];
                    }
                }
                same(what + " head", o, s.row(0));
                same(what + " all heads", row(cache, b + "hook_attn_out", i), s.row(1));
            }
            case RESID_MID -> same(what, row(cache, b + "hook_resid_mid", i), s.row(0));
            case MLP_PRE -> same(what, row(cache, b + "mlp.hook_pre", i), s.row(0));
            case MLP_POST -> same(what, row(cache, b + "mlp.hook_post", i), s.row(0));
            case MLP_OUT -> same(what, row(cache, b + "hook_mlp_out", i), s.row(0));
            case RESID_POST -> same(what, row(cache, b + "hook_resid_post", i), s.row(0));
            case LATER_LAYERS -> same(what, row(cache, "blocks." + (c.nLayers() - 1) + ".hook_resid_post", i), s.row(0));
            case LN_FINAL -> same(what, row(cache, "ln_final.hook_normalized", i), s.row(0));
            case LOGITS -> {
                double[] lg = row(cache, "logits", i);
                same(what, lg, s.row(0));
                double max = java.util.Arrays.stream(lg).max().orElseThrow(), z = 0;
                for (double x : lg) {
                    z += Math.exp(x - max);
                }
                for (int v = 0; v < lg.length; v++) {
                    assertEquals(Math.exp(lg[v] - max) / z, s.row(1)[v], 1e-12, what + " p");
                }
            }
            default -> fail("no check for stage " + s.kind());
        }
    }

    private static double alibi(TransformerConfig c, int h, int i, int j) {
        if (c.positionalEmbeddingType() != TransformerConfig.PositionalEmbedding.ALIBI) {
            return 0;
        }
        return Math.pow(2, -8.0 * (h + 1) / c.nHeads()) * Math.abs(i - j);
    }

    private static double phi(double x) {
        return x > 0 ? x + 1 : Math.exp(x);
    }

    private static void same(String what, double[] want, double[] got) {
        assertEquals(want.length, got.length, what + ": length");
        for (int a = 0; a < want.length; a++) {
            if (Double.isInfinite(want[a])) {
                assertEquals(want[a], got[a], 0, what + " [" + a + "]");
            } else {
                assertEquals(want[a], got[a], TOL * (1 + Math.abs(want[a])), what + " [" + a + "]");
            }
        }
    }

    private static double[] row(ActivationCache cache, String name, int i) {
        ActivationCache.Activation a = cache.get(name);
        int d = a.shape()[2];
        double[] out = new double[d];
        System.arraycopy(a.data(), i * d, out, 0, d);
        return out;
    }

    private static double[] head(ActivationCache cache, String name, int i, int h, int e) {
        double[] out = new double[e];
        for (int a = 0; a < e; a++) {
            out[a] = cache.get(name).get(0, i, h, a);
        }
        return out;
    }

    private static double[] scoresRow(ActivationCache cache, String name, int h, int i, int t) {
        double[] out = new double[t];
        for (int j = 0; j < t; j++) {
            out[j] = cache.get(name).get(0, h, i, j);
        }
        return out;
    }

    private static double[] layerNorm(double[] x, Parameters p, String prefix) {
        int d = x.length;
        double mean = 0, var = 0;
        for (double v : x) {
            mean += v / d;
        }
        for (double v : x) {
            var += (v - mean) * (v - mean) / d;
        }
        double[] w = p.get(prefix + ".w").toFileOrder(), bb = p.get(prefix + ".b").toFileOrder();
        double[] y = new double[d];
        for (int a = 0; a < d; a++) {
            y[a] = (x[a] - mean) / Math.sqrt(var + p.config().eps()) * w[a] + bb[a];
        }
        return y;
    }

    @Test
    void outOfRangeChoicesAreRefused() {
        InsideModels.Case k = InsideModels.golden("pre_ln_learned_causal");
        List<String> labels = InsideModels.labels(k.tokens());
        assertThrows(IllegalArgumentException.class, () -> ForwardTrace.trace(k.params(), k.tokens(), labels, List.of(),
                k.params().config().nLayers(), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ForwardTrace.trace(k.params(), k.tokens(), labels, List.of(),
                0, 0, k.tokens().length));
    }
}
