package org.attnlab.engine.compute;

import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.DMatrixRMaj;

/**
 * Linear attention (Katharopoulos et al. 2020, phi(x) = elu(x) + 1):
 * {@code sim_ij = phi(q_i) . phi(k_j)} (0 for j > i when causal) and {@code P = sim / sum_j sim};
 * no scores hook. The rest of the sublayer is {@link QkvAttentionCompute}'s.
 *
 * <p>Shapes: phi(q), phi(k) are (N, H*E); pattern [B, H, T, T]; the row sums [B, H, T].
 */
public final class LinearAttentionCompute extends QkvAttentionCompute {
    private final DMatrixRMaj fq = new DMatrixRMaj(1, 1), fk = new DMatrixRMaj(1, 1);
    /** [B, H, T] sum_j sim_ij of every query row, saved for backward. */
    private double[] rowSum = new double[0];

    /**
     * @param layer the block (names the hooks)
     * @param pos   the model's position tables
     * @param mm    the thread's matrix-multiply workspace
     */
    public LinearAttentionCompute(TransformerConfig c, int layer, Positions pos, MatMul mm) {
        super(c, layer, pos, mm);
    }

    @Override
    protected void ensureBuffers(int b, int t) {
        int n = b * t, he = nHeads * dHead, rows = b * nHeads * t;
        fq.reshape(n, he);
        fk.reshape(n, he);
        if (rowSum.length < rows) {
            rowSum = new double[rows];
        }
    }

    @Override
    protected DMatrixRMaj queries() {
        return fq;
    }

    @Override
    protected DMatrixRMaj keys() {
        return fk;
    }

    /** {@code sim = phi(q) phi(k)^T}, 0 where masked; {@code P = sim / row sum}. */
    @Override
    protected void pattern(int b, int t, HookSite hooks) {
        phi(q, fq);                                                   // (N, H*E) phi(q)
        phi(k, fk);
        double[] sc = pattern;                                        // sim goes straight to pattern
        for (int bi = 0; bi < b; bi++) {
            for (int h = 0; h < nHeads; h++) {
                headProducts(fq, fk, sc, bi, h, t);                            // (T, T) phi(q_h) phi(k_h)^T
                int base = (bi * nHeads + h) * t * t;
                for (int i = 0; i < t; i++) {
                    int r = base + i * t;
                    double s = 0;
                    for (int j = 0; j < t; j++) {
                        if (causal && j > i) {
                            sc[r + j] = 0.0;
                        }
                        s += sc[r + j];
                    }
                    rowSum[(bi * nHeads + h) * t + i] = s;
                    for (int j = 0; j < t; j++) {
                        sc[r + j] /= s;
                    }
                }
            }
        }
    }

    /** forward: P_ij = sim_ij / s_i, so dsim_ij = (dP_ij - sum_j' P_ij' dP_ij') / s_i (0 where masked). */
    @Override
    protected void scoreGradient(int bi, int h, int base, double[] ds, int t) {
        for (int i = 0; i < t; i++) {
            int r = i * t, pr = base + i * t;
            double dot = 0;
            for (int j = 0; j < t; j++) {
                dot += pattern[pr + j] * ds[r + j];
            }
            double s = rowSum[(bi * nHeads + h) * t + i];
            for (int j = 0; j < t; j++) {
                ds[r + j] = causal && j > i ? 0.0 : (ds[r + j] - dot) / s;
            }
        }
    }

    /** forward: fq = phi(q), fk = phi(k), so dq = dfq phi'(q), dk = dfk phi'(k). */
    @Override
    protected void featureBackward(DMatrixRMaj q, DMatrixRMaj k, DMatrixRMaj dq, DMatrixRMaj dk) {
        phiBackward(q, dq);
        phiBackward(k, dk);
    }

    /** phi(x) = elu(x) + 1 = x + 1 for x > 0, exp(x) otherwise. */
    private static void phi(DMatrixRMaj x, DMatrixRMaj out) {
        int n = x.getNumElements();
        for (int i = 0; i < n; i++) {
            double a = x.data[i];
            out.data[i] = a > 0 ? a + 1.0 : Math.exp(a);
        }
    }

    /** d/dx (elu(x) + 1) = 1 for x > 0, exp(x) otherwise; scales {@code grad} in place. */
    private static void phiBackward(DMatrixRMaj x, DMatrixRMaj grad) {
        int n = x.getNumElements();
        for (int i = 0; i < n; i++) {
            double a = x.data[i];
            if (!(a > 0)) {
                grad.data[i] *= Math.exp(a);
            }
        }
    }
}
