package org.attnlab.tests.inside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.inspect.DirectLogitAttribution.Component;
import org.attnlab.engine.inspect.DirectLogitAttribution.Kind;
import org.attnlab.engine.inspect.DirectLogitAttribution;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.transformer.Transformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Direct logit attribution with the final LayerNorm scale frozen (TransformerLens): the
 * contributions of the embeddings, every head, every b_O, every MLP and the unembedding bias add
 * up to the model's logit, at every position and for every token.
 */
class DirectLogitAttributionTest {
    static List<InsideModels.Case> cases() {
        return InsideModels.all().stream().filter(k -> DirectLogitAttribution.supported(k.params().config())).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void contributionsAddUpToTheLogit(InsideModels.Case k) {
        Parameters p = k.params();
        TransformerConfig c = p.config();
        int t = k.tokens().length;
        ActivationCache cache = new Transformer(p).runWithCache(k.tokens(), 1, t);
        for (int i = 0; i < t; i++) {
            for (int tok = 0; tok < c.dVocab(); tok++) {
                DirectLogitAttribution.Result r = DirectLogitAttribution.compute(p, cache, i, tok);
                double logit = cache.get("logits").get(0, i, tok);
                assertEquals(logit, r.logit(), 0);
                assertEquals(logit, r.total(), 1e-10, k.name() + " position " + i + " token " + tok);
                long heads = r.components().stream().filter(x -> x.kind() == Kind.HEAD).count();
                assertEquals((long) c.nLayers() * c.nHeads(), heads);
                long mlps = r.components().stream().filter(x -> x.kind() == Kind.MLP).count();
                assertEquals(c.attnOnly() ? 0 : c.nLayers(), mlps);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aHeadsContributionIsItsCenteredOutputOverTheFrozenScaleAlongTheUnembedding(InsideModels.Case k) {
        Parameters p = k.params();
        TransformerConfig c = p.config();
        int t = k.tokens().length, d = c.dModel(), e = c.dHead(), h = c.nHeads();
        ActivationCache cache = new Transformer(p).runWithCache(k.tokens(), 1, t);
        int l = c.nLayers() - 1, head = h - 1, i = t - 1, tok = 1;
        // head output z[i, head] @ W_O[head], from the cache and the file-order weight [H, E, D]
        double[] wo = p.get("blocks." + l + ".attn.W_O").toFileOrder();
        double[] out = new double[d];
        for (int a = 0; a < e; a++) {
            double z = cache.get("blocks." + l + ".attn.hook_z").get(0, i, head, a);
            for (int b = 0; b < d; b++) {
                out[b] += z * wo[(head * e + a) * d + b];
            }
        }
        double[] x = new double[d];
        for (int b = 0; b < d; b++) {
            x[b] = cache.get("blocks." + l + ".hook_resid_post").get(0, i, b);
        }
        double scale = 1, meanOut = 0, meanX = 0;
        boolean ln = c.hasFinalLayerNorm();
        if (ln) {
            for (int b = 0; b < d; b++) {
                meanOut += out[b] / d;
                meanX += x[b] / d;
            }
            double var = 0;
            for (int b = 0; b < d; b++) {
                var += (x[b] - meanX) * (x[b] - meanX) / d;
            }
            scale = Math.sqrt(var + c.eps());
        }
        double want = 0;
        double[] wu = p.get("unembed.W_U").toFileOrder();                  // [D, V]
        for (int b = 0; b < d; b++) {
            double w = ln ? p.get("ln_final.w").toFileOrder()[b] : 1;
            want += (out[b] - meanOut) / scale * w * wu[b * c.dVocab() + tok];
        }
        DirectLogitAttribution.Result r = DirectLogitAttribution.compute(p, cache, i, tok);
        Component got = r.components().stream().filter(x1 -> x1.layer() == l && x1.head() == head).findFirst().orElseThrow();
        assertEquals("L" + l + "H" + head, got.label());
        assertEquals(want, got.value(), 1e-12);
        assertEquals(scale, r.lnScale(), 1e-12);
    }

    @Test
    void postLayerNormModelsAreRefusedWithTheReason() {
        InsideModels.Case k = InsideModels.golden("post_ln_sinusoidal_bidirectional_relu");
        assertFalse(DirectLogitAttribution.supported(k.params().config()));
        ActivationCache cache = new Transformer(k.params()).runWithCache(k.tokens(), 1, k.tokens().length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DirectLogitAttribution.compute(k.params(), cache, 0, 0));
        assertTrue(e.getMessage().contains("post-LN"), e.getMessage());
    }
}
