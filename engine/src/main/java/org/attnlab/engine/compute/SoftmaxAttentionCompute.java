package org.attnlab.engine.compute;

import java.util.Arrays;

import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.DMatrixRMaj;

/**
 * Softmax attention (Vaswani et al. 2017): {@code P = softmax(q k^T / sqrt(E) - alibi + mask)}
 * per head, with the ALiBi distance bias (Press et al. 2021) when the configuration has it;
 * the rest of the sublayer is {@link QkvAttentionCompute}'s.
 *
 * <p>Shapes: scores and pattern are flat [B, H, T, T]; -inf where masked.
 */
public final class SoftmaxAttentionCompute extends QkvAttentionCompute {
    private final double scale;
    private final HookPoint hookScores;
    /** [B, H, T, T] scaled, biased, masked scores (-inf where masked): {@code hook_attn_scores}. */
    double[] scores = new double[0];

    /**
     * @param layer the block (names the hooks)
     * @param pos   the model's position tables
     * @param mm    the thread's matrix-multiply workspace
     */
    public SoftmaxAttentionCompute(TransformerConfig c, int layer, Positions pos, MatMul mm) {
        super(c, layer, pos, mm);
        this.scale = 1.0 / Math.sqrt(dHead);
        this.hookScores = HookPoint.of(layer, HookPoint.Site.ATTN_SCORES);
    }

    @Override
    protected void ensureBuffers(int b, int t) {
        int pt = b * nHeads * t * t;
        if (scores.length < pt) {
            scores = new double[pt];
        }
    }

    @Override
    protected DMatrixRMaj queries() {
        return q;
    }

    @Override
    protected DMatrixRMaj keys() {
        return k;
    }

    /** {@code S = q_h k_h^T / sqrt(E) - m_h |i - j|} (-inf for j > i when causal), {@code P = softmax(S)}. */
    @Override
    protected void pattern(int b, int t, HookSite hooks) {
        double[] sc = scores;
        for (int bi = 0; bi < b; bi++) {
            for (int h = 0; h < nHeads; h++) {
                headProducts(q, k, sc, bi, h, t);                                  // (T, T) q_h k_h^T
                int base = (bi * nHeads + h) * t * t;
                double slope = pos.alibi() ? pos.alibiSlope(h) : 0.0;
                for (int i = 0; i < t; i++) {
                    int r = base + i * t;
                    int jEnd = causal ? i + 1 : t;
                    for (int j = 0; j < jEnd; j++) {
                        double s = sc[r + j] * scale;                                // / sqrt(E)
                        if (slope != 0.0) {
                            s -= slope * Math.abs(i - j);
                        }
                        sc[r + j] = s;
                    }
                    for (int j = jEnd; j < t; j++) {
                        sc[r + j] = Double.NEGATIVE_INFINITY;
                    }
                }
            }
        }
        if (hooks.active()) {
            hooks.firePattern(hookScores, scores);
        }
        softmaxRows(scores, pattern, b * nHeads * t, t, causal);
    }

    /**
     * forward: P = softmax(S), S = q k^T * scale (+ constant bias and mask), so
     * dS = P (dP - sum_j P dP) and the scale moves onto dS.
     */
    @Override
    protected void scoreGradient(int bi, int h, int base, double[] ds, int t) {
        for (int i = 0; i < t; i++) {
            int r = i * t, pr = base + i * t;
            int jEnd = causal ? i + 1 : t;
            double dot = 0;
            for (int j = 0; j < jEnd; j++) {
                dot += pattern[pr + j] * ds[r + j];
            }
            for (int j = 0; j < jEnd; j++) {
                ds[r + j] = pattern[pr + j] * (ds[r + j] - dot) * scale;
            }
            for (int j = jEnd; j < t; j++) {
                ds[r + j] = 0.0;
            }
        }
    }

    @Override
    protected void featureBackward(DMatrixRMaj q, DMatrixRMaj k, DMatrixRMaj dq, DMatrixRMaj dk) {
        // the scores read q and k themselves
    }

    /**
     * Row-wise softmax of {@code rows} rows of length {@code t}; -inf entries become 0. Under
     * causal attention row r is query position {@code i = r % t}, whose entries past i are -inf:
     * only the first {@code max(i + 1, min(t, L))} are computed (L the vector length, so that
     * the exp of a short row is still one vector), rounded up to a multiple of 4 (so that every
     * entry falls in the same one of the 4 partial sums as before), and the rest set to 0. That
     * gives the same bits as the whole row (the skipped entries would add +0 to the sums and
     * never win the max) at about half the cost.
     *
     * @param in  [rows, t] scores, -inf where masked
     * @param out [rows, t] probabilities, overwritten
     */
    static void softmaxRows(double[] in, double[] out, int rows, int t, boolean causal) {
        int minLen = Math.min(t, Simd.ENABLED ? SimdMath.S.length() : 1);
        for (int r = 0; r < rows; r++) {
            int off = r * t;
            int len = causal ? Math.min(t, (Math.max(r % t + 1, minLen) + 3) & ~3) : t;
            double m0 = Double.NEGATIVE_INFINITY, m1 = m0, m2 = m0, m3 = m0;   // 4 chains; max is exact
            int jm = off, endm = off + len;                                     // in any order
            for (; jm + 3 < endm; jm += 4) {
                m0 = Math.max(m0, in[jm]);
                m1 = Math.max(m1, in[jm + 1]);
                m2 = Math.max(m2, in[jm + 2]);
                m3 = Math.max(m3, in[jm + 3]);
            }
            for (; jm < endm; jm++) {
                m0 = Math.max(m0, in[jm]);
            }
            double max = Math.max(Math.max(m0, m1), Math.max(m2, m3));
            if (Simd.VECTOR_EXP_F64) { //@f32: if (Simd.ENABLED) {
                SimdMath.expShifted(in, out, off, len, max);
            } else {
                for (int j = 0; j < len; j++) {
                    out[off + j] = FastExp.exp(in[off + j] - max);        // exp(-inf) = 0
                }
            }
            Arrays.fill(out, off + len, off + t, 0.0);
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;                          // 4 partial sums, a fixed
            int j4 = off, end = off + len;                                    // order: deterministic
            for (; j4 + 3 < end; j4 += 4) {
                s0 += out[j4];
                s1 += out[j4 + 1];
                s2 += out[j4 + 2];
                s3 += out[j4 + 3];
            }
            for (; j4 < end; j4++) {
                s0 += out[j4];
            }
            double sum = (s0 + s1) + (s2 + s3);
            double inv = 1.0 / sum;
            for (int j = 0; j < len; j++) {
                out[off + j] *= inv;
            }
        }
    }

    /** Rotary rotates b_K by the key's position; otherwise softmax is blind to it. */
    @Override
    protected boolean keyBiasHasGradient() {
        return pos.rotary();
    }
}
