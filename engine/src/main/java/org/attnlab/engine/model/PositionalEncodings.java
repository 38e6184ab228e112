package org.attnlab.engine.model;

import org.ejml.data.DMatrixRMaj;

/**
 * The fixed (non-learned) positional encodings of engine.md: the sinusoidal table (Vaswani et
 * al. 2017), rotary rotations (Su et al. 2021, rotate-half convention over the whole head) and
 * ALiBi slopes (Press et al. 2021).
 */
public final class PositionalEncodings {
    private final TransformerConfig.PositionalEmbedding type;
    private final double[] sinusoidal;   // [n_ctx, D] when sinusoidal
    private final double[] cos, sin;     // [n_ctx, E/2] when rotary
    private final double[] slopes;       // [H] when alibi
    private final int half;

    /** Precomputes the tables for {@code c}. */
    public PositionalEncodings(TransformerConfig c) {
        this.type = c.positionalEmbeddingType();
        this.sinusoidal = type == TransformerConfig.PositionalEmbedding.SINUSOIDAL ? sinusoidalTable(c.nCtx(),
                c.dModel()) : null;
        this.half = c.dHead() / 2;
        if (type == TransformerConfig.PositionalEmbedding.ROTARY) {
            cos = new double[c.nCtx() * half];
            sin = new double[c.nCtx() * half];
            for (int t = 0; t < c.nCtx(); t++) {
                for (int j = 0; j < half; j++) {
                    double a = t * rotaryTheta(c.rotaryBase(), j, c.dHead());
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
            slopes[h] = alibiSlope(h, c.nHeads());
        }
    }

    /**
     * The sinusoidal table: {@code PE[t, 2i] = sin(t / 10000^(2i/D))},
     * {@code PE[t, 2i+1] = cos(t / 10000^(2i/D))}.
     *
     * @return [nCtx, D] row-major
     */
    public static double[] sinusoidalTable(int nCtx, int d) {
        double[] pe = new double[nCtx * d];
        for (int t = 0; t < nCtx; t++) {
            for (int i = 0; i < d; i += 2) {
                double div = Math.pow(10000.0, (double) i / d);
                pe[t * d + i] = Math.sin(t / div);
                if (i + 1 < d) {
                    pe[t * d + i + 1] = Math.cos(t / div);
                }
            }
        }
        return pe;
    }

    /** @return the rotary frequency {@code theta_j = base^(-2j/E)} in radians per position */
    public static double rotaryTheta(double base, int j, int dHead) {
        return Math.pow(base, -2.0 * j / dHead);
    }

    /** @return the ALiBi slope {@code m_h = 2^(-8 (h+1) / H)} */
    public static double alibiSlope(int h, int nHeads) {
        return Math.pow(2.0, -8.0 * (h + 1) / nHeads);
    }

    boolean rotary() {
        return cos != null;
    }

    boolean alibi() {
        return type == TransformerConfig.PositionalEmbedding.ALIBI;
    }

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
                for (int j = 0; j < half; j++) {
                    double c = cos[pos * half + j], s = sign * sin[pos * half + j];
                    double x1 = x.data[o + j], x2 = x.data[o + j + half];
                    x.data[o + j] = x1 * c - x2 * s;
                    x.data[o + j + half] = x2 * c + x1 * s;
                }
            }
        }
    }
}
