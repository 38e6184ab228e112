package org.attnlab.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * AdamW with PyTorch semantics (docs/engine.md, "Loss and optimizer"): decoupled weight decay on
 * parameters of rank >= 2 only, bias-corrected moments.
 */
class AdamWTest {

    /**
     * A tiny attention-only model without LayerNorm or positions:
     * embed.W_E [2,2], attn.W_Q/W_K/W_V [1,2,2], attn.b_Q/b_K/b_V [1,2], attn.W_O [1,2,2],
     * attn.b_O [2], unembed.W_U [2,2], unembed.b_U [2].
     */
    private static TransformerConfig tiny() {
        return TransformerConfig.builder(2, 1, 2, 1, 1).attnOnly(true)
                .normalizationType(TransformerConfig.Normalization.NONE)
                .positionalEmbeddingType(TransformerConfig.PositionalEmbedding.NONE).build();
    }

    @Test
    void oneStepByHand() {
        TransformerConfig c = tiny();
        Parameters p = new Parameters(c);
        Parameters g = new Parameters(c);
        for (Param x : p.all()) {
            Arrays.fill(x.value().data, 0.5);
        }
        for (Param x : g.all()) {
            Arrays.fill(x.value().data, 0.2);
        }
        g.m("unembed.b_U").data[1] = -0.3;
        g.m("unembed.W_U").data[3] = 0.0;
        AdamW opt = new AdamW(new AdamW.Settings(0.1, 0.9, 0.999, 1e-8, 0.1));
        opt.step(p, g);
        assertEquals(1, opt.stepCount());

        // Step 1: m = 0.1 g, v = 0.001 g^2, so m / (1 - 0.9) = g and v / (1 - 0.999) = g^2:
        // the update is lr * g / (|g| + eps).
        // rank 2 (W_U [2,2]): p = 0.5 * (1 - 0.1 * 0.1) - 0.1 * 0.2 / (0.2 + 1e-8)
        //                       = 0.495 - 0.0999999950000000250 = 0.395000004999999975
        assertEquals(0.395000005, p.m("unembed.W_U").data[0], 1e-15);
        // rank 1 (b_U [2]): no weight decay: 0.5 - 0.1 * 0.2 / (0.2 + 1e-8) = 0.400000005
        assertEquals(0.400000005, p.m("unembed.b_U").data[0], 1e-15);
        // negative gradient, rank 1: 0.5 + 0.1 * 0.3 / (0.3 + 1e-8) = 0.599999996666...
        assertEquals(0.5 + 0.1 * 0.3 / (0.3 + 1e-8), p.m("unembed.b_U").data[1], 1e-15);
        assertEquals(0.5999999966666667, p.m("unembed.b_U").data[1], 1e-15);
        // zero gradient, rank 2: only the decay, 0.5 * 0.99 = 0.495
        assertEquals(0.495, p.m("unembed.W_U").data[3], 1e-15);
        // rank 3 (W_Q [1,2,2]) and b_Q [1,2] (rank 2 in the file shape) are decayed like W_U
        assertEquals(0.395000005, p.m("blocks.0.attn.W_Q").data[0], 1e-15);
        assertEquals(0.395000005, p.m("blocks.0.attn.b_Q").data[0], 1e-15);
        // b_O [2] is rank 1: not decayed
        assertEquals(0.400000005, p.m("blocks.0.attn.b_O").data[0], 1e-15);
    }

    /** The formula of docs/engine.md written out, for two steps, on every parameter. */
    @Test
    void twoStepsFollowTheFormula() {
        TransformerConfig c = TransformerConfig.builder(5, 4, 6, 2, 1).build();
        Random rnd = new Random(3);
        Parameters p = Parameters.init(c, rnd);
        double lr = 0.01, b1 = 0.9, b2 = 0.98, eps = 1e-8, wd = 0.1;
        AdamW opt = new AdamW(new AdamW.Settings(lr, b1, b2, eps, wd));
        Map<String, double[]> m = new java.util.HashMap<>(), v = new java.util.HashMap<>();
        Parameters expected = p.copy();
        for (int t = 1; t <= 2; t++) {
            Parameters g = new Parameters(c);
            for (Param x : g.all()) {
                for (int i = 0; i < x.size(); i++) {
                    x.value().data[i] = rnd.nextGaussian();
                }
            }
            for (Param x : expected.all()) {
                double[] pd = x.value().data, gd = g.m(x.name()).data;
                double[] md = m.computeIfAbsent(x.name(), k -> new double[x.size()]);
                double[] vd = v.computeIfAbsent(x.name(), k -> new double[x.size()]);
                for (int i = 0; i < x.size(); i++) {
                    if (x.shape().length >= 2) {
                        pd[i] *= 1 - lr * wd;
                    }
                    md[i] = b1 * md[i] + (1 - b1) * gd[i];
                    vd[i] = b2 * vd[i] + (1 - b2) * gd[i] * gd[i];
                    pd[i] -= lr * (md[i] / (1 - Math.pow(b1, t))) / (Math.sqrt(vd[i] / (1 - Math.pow(b2, t))) + eps);
                }
            }
            opt.step(p, g);
            for (Param x : p.all()) {
                for (int i = 0; i < x.size(); i++) {
                    assertEquals(expected.m(x.name()).data[i], x.value().data[i], 1e-15,
                            "step " + t + " " + x.name() + "[" + i + "]");
                }
            }
        }
        assertEquals(2, opt.stepCount());
        // moments are exposed for checkpoints
        double[][] mv = opt.state().get("unembed.W_U");
        assertEquals(m.get("unembed.W_U")[0], mv[0][0], 1e-15);
        assertEquals(v.get("unembed.W_U")[0], mv[1][0], 1e-15);
    }

    @Test
    void gradientsAreNotModifiedAndLrOverrideIsUsed() {
        TransformerConfig c = tiny();
        Parameters p = new Parameters(c), g = new Parameters(c);
        for (Param x : g.all()) {
            Arrays.fill(x.value().data, -0.25);
        }
        Parameters g0 = g.copy();
        new AdamW(new AdamW.Settings(0.1, 0.9, 0.999, 1e-8, 0.0)).step(p, g, 0.5);
        for (Param x : g.all()) {
            assertEquals(Arrays.toString(g0.m(x.name()).data), Arrays.toString(x.value().data), "grads unchanged");
        }
        // from 0 with lr 0.5 and g = -0.25: p = 0.5 * 0.25 / (0.25 + 1e-8)
        assertEquals(0.5 * 0.25 / (0.25 + 1e-8), p.m("unembed.W_U").data[0], 1e-15);
    }

    @Test
    void restoreContinuesWhereStateLeftOff() {
        TransformerConfig c = tiny();
        Random rnd = new Random(1);
        Parameters p1 = Parameters.init(c, rnd);
        Parameters p2 = p1.copy();
        Parameters g = new Parameters(c);
        for (Param x : g.all()) {
            for (int i = 0; i < x.size(); i++) {
                x.value().data[i] = rnd.nextGaussian();
            }
        }
        AdamW a = new AdamW(AdamW.Settings.golden());
        a.step(p1, g);
        p1.copyInto(p2);
        AdamW b = new AdamW(AdamW.Settings.golden());
        b.restore(a.state(), a.stepCount());
        a.step(p1, g);
        b.step(p2, g);
        for (Param x : p1.all()) {
            assertEquals(Arrays.toString(x.value().data), Arrays.toString(p2.m(x.name()).data), x.name());
        }
    }

    // ------------------------------------------------------------ settings

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    private static void assertNames(String setting, Executable e) {
        String msg = message(e);
        assertTrue(msg.startsWith(setting + " ") || msg.startsWith(setting + ":"),
                "message should name " + setting + ": " + msg);
    }

    @Test
    void settingsValidationNamesTheSetting() {
        assertNames("lr", () -> new AdamW.Settings(-1e-3, 0.9, 0.98, 1e-8, 0.1));
        assertNames("lr", () -> new AdamW.Settings(Double.NaN, 0.9, 0.98, 1e-8, 0.1));
        assertNames("lr", () -> new AdamW.Settings(Double.POSITIVE_INFINITY, 0.9, 0.98, 1e-8, 0.1));
        assertNames("beta1", () -> new AdamW.Settings(1e-3, 1.0, 0.98, 1e-8, 0.1));
        assertNames("beta1", () -> new AdamW.Settings(1e-3, -0.1, 0.98, 1e-8, 0.1));
        assertNames("beta2", () -> new AdamW.Settings(1e-3, 0.9, 1.0, 1e-8, 0.1));
        assertNames("beta2", () -> new AdamW.Settings(1e-3, 0.9, Double.NaN, 1e-8, 0.1));
        assertNames("eps", () -> new AdamW.Settings(1e-3, 0.9, 0.98, 0, 0.1));
        assertNames("eps", () -> new AdamW.Settings(1e-3, 0.9, 0.98, -1e-8, 0.1));
        assertNames("weight_decay", () -> new AdamW.Settings(1e-3, 0.9, 0.98, 1e-8, -0.1));
        assertNames("weight_decay", () -> new AdamW.Settings(1e-3, 0.9, 0.98, 1e-8, Double.NaN));
        // boundaries that are allowed
        new AdamW.Settings(0, 0, 0, 1e-300, 0);
    }

    @Test
    void settingsParse() {
        assertEquals(new AdamW.Settings(0.01, 0.9, 0.98, 1e-8, 0.1), AdamW.Settings.parse("0.01,0.9,0.98,1e-8,0.1"));
        assertEquals(AdamW.Settings.golden(), AdamW.Settings.parse("0.01,0.9,0.98,1e-8,0.1"));
        assertEquals(AdamW.Settings.golden(), AdamW.Settings.parse(" 0.01, 0.9 ,0.98,1e-8 ,0.1 "));
        AdamW.Settings s = AdamW.Settings.parse("1e-3,0.5,0.75,1e-6,0");
        assertEquals(1e-3, s.lr());
        assertEquals(0.5, s.beta1());
        assertEquals(0.75, s.beta2());
        assertEquals(1e-6, s.eps());
        assertEquals(0.0, s.weightDecay());
        assertTrue(message(() -> AdamW.Settings.parse("0.01,0.9,0.98,1e-8")).contains("five"));
        assertTrue(message(() -> AdamW.Settings.parse("0.01,0.9,0.98,1e-8,0.1,3")).contains("five"));
        assertNames("beta2", () -> AdamW.Settings.parse("0.01,0.9,abc,1e-8,0.1"));
        assertNames("weight_decay", () -> AdamW.Settings.parse("0.01,0.9,0.98,1e-8, "));
        assertNames("weight_decay", () -> AdamW.Settings.parse("0.01,0.9,0.98,1e-8,"));
        assertNames("eps", () -> AdamW.Settings.parse("0.01,0.9,0.98,0,0.1"));
    }
}
