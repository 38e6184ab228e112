package org.attnlab.engine.compute;

import org.attnlab.engine.model.PositionalEncodings;
import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.DMatrixRMaj;

/**
 * The fixed positional encodings of a configuration as the fast path applies them
 * (docs/engine.md, "Forward pass"): the sinusoidal table, rotary cos/sin tables and ALiBi
 * slopes, precomputed from the formulas of {@link PositionalEncodings}. Read-only after
 * construction: the shards of a model share one instance.
 */
public final class Positions {
    private final TransformerConfig.PositionalEmbedding type;
    private final double[] sinusoidal;   // [n_ctx, D] when sinusoidal
    private final double[] cos, sin;     // [n_ctx, E/2] when rotary
    private final double[] slopes;       // [H] when alibi
    private final int half;

    /** Precomputes the tables for {@code c}. */
    public Positions(TransformerConfig c) {
        this.type = c.positionalEmbeddingType();
        this.sinusoidal = type == TransformerConfig.PositionalEmbedding.SINUSOIDAL
                ? Reals.of(PositionalEncodings.sinusoidalTable(c.nCtx(), c.dModel())) : null;
        this.half = c.dHead() / 2;
        if (type == TransformerConfig.PositionalEmbedding.ROTARY) {
            cos = new double[c.nCtx() * half];
            sin = new double[c.nCtx() * half];
            for (int t = 0; t < c.nCtx(); t++) {
                for (int j = 0; j < half; j++) {
                    double a = t * PositionalEncodings.rotaryTheta(c.rotaryBase(), j, c.dHead()); //@keep
                    cos[t * half + j] = Math.cos(a);
                    sin[t * half + j] = Math.sin(a);
                }
            }
        } else {
            cos = null;
            sin = null;
        }
        slopes = new double[c.nHeads()];
        for (int h = 0; h < c.nHeads(); h++) {
            slopes[h] = Reals.of(PositionalEncodings.alibiSlope(h, c.nHeads()));
        }
    }

    /** @return whether q and k are rotated (rotary) */
    boolean rotary() {
        return cos != null;
    }

    /** @return whether the scores get the ALiBi distance bias */
    boolean alibi() {
        return type == TransformerConfig.PositionalEmbedding.ALIBI;
    }

    /** @return m_h, the ALiBi slope of head h */
    double alibiSlope(int h) {
        return slopes[h];
    }

    /** @return the [n_ctx, D] sinusoidal table, or null for other encodings */
    double[] sinusoidal() {
        return sinusoidal;
    }

    /**
     * Rotates (N, H*E) rows of q or k in place by position {@code t = row mod T}:
     * {@code x'[j] = x[j] cos a - x[j+E/2] sin a}, {@code x'[j+E/2] = x[j+E/2] cos a + x[j] sin a}.
     * With {@code inverse} it applies the transpose (rotation by -a), which is the backward pass.
     */
    void rotate(DMatrixRMaj x, int t, int nHeads, int dHead, boolean inverse) {
        int he = nHeads * dHead;
        double sign = inverse ? -1.0 : 1.0;
        for (int r = 0; r < x.numRows; r++) {
            int pos = r % t;
            for (int h = 0; h < nHeads; h++) {
                int o = r * he + h * dHead;
                int j = Simd.ENABLED ? SimdMath.rotate(x.data, o, cos, sin, pos * half, half, sign) : 0;
                for (; j < half; j++) {                         // the rest (all of it without SIMD)
                    double c = cos[pos * half + j], s = sign * sin[pos * half + j];
                    double x1 = x.data[o + j], x2 = x.data[o + j + half];
                    x.data[o + j] = x1 * c - x2 * s;
                    x.data[o + j + half] = x2 * c + x1 * s;
                }
            }
        }
    }
}
