package org.attnlab.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.junit.jupiter.api.Test;

/** {@link InitScheme}: what {@code init=mimetic} changes in a fresh run, and what it leaves. */
class InitSchemeTest {
    private static final TransformerConfig TWO_LAYERS = TransformerConfig.builder(12, 10, 16, 2, 2).build();

    @Test
    void mimeticCopiesEveryLayersQueryWeightsIntoItsKeysAndNothingElse() {
        Parameters normal = Parameters.init(TWO_LAYERS, new SplittableRandom(5));
        Parameters mimetic = InitScheme.MIMETIC.apply(Parameters.init(TWO_LAYERS, new SplittableRandom(5)));
        for (int l = 0; l < 2; l++) {
            double[] q = mimetic.block(l, "attn.W_Q").value().data, k = mimetic.block(l, "attn.W_K").value().data;
            assertArrayEquals(q, Arrays.copyOf(k, k.length), "layer " + l + ": W_K starts as W_Q");
            assertFalse(Arrays.equals(normal.block(l, "attn.W_K").value().data, k), "layer " + l
                    + ": the normal draw of W_K differs");
        }
        for (var p : normal.list()) {
            if (!p.name().endsWith("attn.W_K")) {
                assertArrayEquals(p.value().data, mimetic.get(p.name()).value().data, p.name() + " keeps its draw");
            }
        }
        assertTrue(InitScheme.NORMAL.apply(normal) == normal);
    }

    @Test
    void aMimeticQueryScoresItsOwnTokenHighest() {
        // q . k for the same vector x is |W^T x|^2 >= 0, and larger than for an unrelated vector on average
        Parameters p = InitScheme.MIMETIC.apply(Parameters.init(TWO_LAYERS, new SplittableRandom(9)));
        double[] w = p.block(0, "attn.W_Q").value().data;   // held as (d_model, H*d_head) = (16, 16); head 0 is columns 0..7
        SplittableRandom rng = new SplittableRandom(3);
        int wins = 0;
        for (int trial = 0; trial < 200; trial++) {
            double[] x = uniform(rng, 16), y = uniform(rng, 16);
            if (score(w, x, x) > score(w, x, y)) {
                wins++;
            }
        }
        assertTrue(wins > 180, "own token wins " + wins + " of 200");
    }

    @Test
    void aFreshTrainerStartsFromTheRunsScheme() {
        RunSpec lego = Presets.byName("lego6").with(Map.of("init", "mimetic", "steps", "1"));
        Trainer t = new Trainer(lego);
        Parameters p = t.params();
        assertArrayEquals(p.block(0, "attn.W_Q").value().data, p.block(0, "attn.W_K").value().data);
        Parameters n = new Trainer(lego.with(Map.of("init", "normal"))).params();
        assertFalse(Arrays.equals(n.block(0, "attn.W_Q").value().data, n.block(0, "attn.W_K").value().data));
        assertEquals(InitScheme.MIMETIC, InitScheme.parse("mimetic"));
        assertThrows(IllegalArgumentException.class, () -> InitScheme.parse(null));
    }

    private static double[] uniform(SplittableRandom rng, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextDouble() * 2 - 1;
        }
        return x;
    }

    private static double score(double[] w, double[] x, double[] y) {
        double s = 0;
        for (int e = 0; e < 8; e++) {
            double qx = 0, ky = 0;
            for (int d = 0; d < 16; d++) {
                qx += x[d] * w[d * 16 + e];
                ky += y[d] * w[d * 16 + e];
            }
            s += qx * ky;
        }
        return s;
    }
}
