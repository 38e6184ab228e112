package org.attnlab.engine.model;

/**
 * The formulas of the fixed (non-learned) positional encodings of docs/engine.md: the sinusoidal
 * table (Vaswani et al. 2017), rotary frequencies (Su et al. 2021, rotate-half convention over
 * the whole head) and ALiBi slopes (Press et al. 2021). The fast path precomputes its tables from
 * them ({@code compute.Positions}); the reference path calls them directly.
 */
public final class PositionalEncodings {
    private PositionalEncodings() {
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
}
