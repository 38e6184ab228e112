package org.attnlab.engine.inspect;

import org.attnlab.engine.attention.ReferenceMath;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.PositionalEncodings;
import org.attnlab.engine.model.TransformerConfig;

/**
 * What a model's positional encoding looks like (docs/engine.md, "Forward pass"): the matrix added to
 * the token embeddings (learned W_pos, or the fixed sinusoidal table of Vaswani et al. 2017), the
 * cosine similarity of its rows, the rotary angles per dimension pair (Su et al. 2021) and the
 * ALiBi biases per head (Press et al. 2021).
 */
public final class PositionalAnalysis {
    private PositionalAnalysis() {
    }

    /**
     * @param p the parameters
     * @return the {@code [n_ctx][D]} matrix added to the token embeddings: {@code W_pos} (standard,
     *     changes while training) or the sinusoidal table (fixed); null for rotary, ALiBi and none,
     *     which add nothing to the stream
     */
    public static double[][] encodingMatrix(Parameters p) {
        return ReferenceForward.positions(p, p.config().nCtx());
    }

    /**
     * @param m {@code [P][D]} rows (e.g. positions)
     * @return {@code [P][P]} cosine similarities {@code m_i . m_j / (|m_i| |m_j|)}, in [-1, 1]; 0 where a
     *     row is zero
     */
    public static double[][] cosineSimilarity(double[][] m) {
        int n = m.length;
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            norms[i] = ReferenceMath.norm(m[i]);
        }
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = norms[i] * norms[j];
                out[i][j] = d == 0 ? 0 : ReferenceMath.dot(m[i], m[j]) / d;
            }
        }
        return out;
    }

    /**
     * @param c the configuration
     * @return {@code [E/2]} rotary frequencies {@code theta_j = rotary_base^(-2j/E)} in radians per position
     */
    public static double[] rotaryFrequencies(TransformerConfig c) {
        double[] th = new double[c.dHead() / 2];
        for (int j = 0; j < th.length; j++) {
            th[j] = PositionalEncodings.rotaryTheta(c.rotaryBase(), j, c.dHead());
        }
        return th;
    }

    /**
     * @param c the configuration
     * @param t how many positions
     * @return {@code [t][E/2]} rotary angles {@code t * theta_j} in radians: how far dimension pair
     *     (j, j + E/2) of q and k is rotated at each position
     */
    public static double[][] rotaryAngles(TransformerConfig c, int t) {
        double[] th = rotaryFrequencies(c);
        double[][] out = new double[t][th.length];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < th.length; j++) {
                out[i][j] = i * th[j];
            }
        }
        return out;
    }

    /**
     * @param c the configuration
     * @param h the head
     * @param t how many positions
     * @return {@code [t][t]} the bias ALiBi adds to head h's scores: {@code -m_h |i - j|},
     *     {@code m_h = 2^(-8 (h+1) / H)}; {@code -Infinity} above the diagonal under causal attention
     */
    public static double[][] alibiBias(TransformerConfig c, int h, int t) {
        double m = PositionalEncodings.alibiSlope(h, c.nHeads());
        double[][] out = new double[t][t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) {
                out[i][j] = c.causal() && j > i ? Double.NEGATIVE_INFINITY : -m * Math.abs(i - j);
            }
        }
        return out;
    }
}
