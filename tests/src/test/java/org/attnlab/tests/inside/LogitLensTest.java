package org.attnlab.tests.inside;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.inspect.LogitLens;
import org.attnlab.engine.inspect.StreamPoint;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.transformer.Transformer;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The logit lens against the engine itself: for every stream point, the engine is run again with
 * a hook that overwrites the last block's resid_post with that point's cached activation, so
 * the engine's own ln_final and unembedding decode it. The lens must give the same logits.
 */
class LogitLensTest {
    static List<InsideModels.Case> cases() {
        return InsideModels.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lensEqualsTheEnginesFinalLayerNormAndUnembeddingOfEachCachedPoint(InsideModels.Case k) {
        Parameters p = k.params();
        TransformerConfig c = p.config();
        int t = k.tokens().length, v = c.dVocab();
        Transformer model = new Transformer(p);
        ActivationCache cache = model.runWithCache(k.tokens(), 1, t);
        LogitLens lens = LogitLens.compute(p, cache);
        List<StreamPoint> points = lens.points();
        assertEquals(1 + c.nLayers() * (c.attnOnly() ? 1 : 2), points.size());
        HookPoint last = HookPoint.of(c.nLayers() - 1, HookPoint.Site.RESID_POST);
        for (int pi = 0; pi < points.size(); pi++) {
            double[] point = cache.get(points.get(pi).hook()).data();
            DMatrixRMaj decoded = model.forward(k.tokens(), 1, t, (point0, shape, data) -> {
                if (point0.equals(last)) {
                    System.arraycopy(point, 0, data, 0, point.length);
                }
            });
            for (int i = 0; i < t; i++) {
                double[] want = new double[v];
                System.arraycopy(decoded.data, i * v, want, 0, v);
                assertArrayEquals(want, lens.logits(pi, i), 1e-10, k.name() + " " + points.get(pi).label() + " pos " + i);
                double norm = 0;
                int d = c.dModel();
                for (int j = 0; j < d; j++) {
                    norm += point[i * d + j] * point[i * d + j];
                }
                assertEquals(Math.sqrt(norm), lens.norm(pi, i), 1e-12);
            }
        }
        // the last point is the model's output
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < v; j++) {
                assertEquals(cache.get("logits").get(0, i, j), lens.logits(points.size() - 1, i)[j], 1e-10);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void topTokensAreTheMostProbableInOrder(InsideModels.Case k) {
        Parameters p = k.params();
        ActivationCache cache = new Transformer(p).runWithCache(k.tokens(), 1, k.tokens().length);
        LogitLens lens = LogitLens.compute(p, cache);
        int pi = lens.points().size() / 2, i = k.tokens().length - 1;
        double[] probs = lens.probabilities(pi, i);
        double sum = 0, max = 0;
        for (double x : probs) {
            sum += x;
            max = Math.max(max, x);
        }
        assertEquals(1, sum, 1e-12);
        List<LogitLens.Guess> top = lens.top(pi, i, 3);
        assertEquals(max, top.get(0).probability(), 0);
        assertTrue(top.get(0).probability() >= top.get(1).probability());
        assertTrue(top.get(1).probability() >= top.get(2).probability());
        // softmax of the logits, computed here
        double[] lg = lens.logits(pi, i);
        double z = 0;
        for (double x : lg) {
            z += Math.exp(x - top.get(0).logit());
        }
        assertEquals(1 / z, top.get(0).probability(), 1e-12);
    }
}
