// GENERATED from LinearAttentionCompute.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.FMatrixRMaj;

/**
 * F32Linear attention (Katharopoulos et al. 2020, phi(x) = elu(x) + 1):
 * {@code sim_ij = phi(q_i) . phi(k_j)} (0 for j > i when causal) and {@code P = sim / sum_j sim};
 * no scores hook. The rest of the sublayer is {@link F32QkvAttentionCompute}'s.
 *
 * <p>Shapes: phi(q), phi(k) are (N, H*E); pattern [B, H, T, T]; the row sums [B, H, T].
 */
public final class F32LinearAttentionCompute extends F32QkvAttentionCompute {
    private final FMatrixRMaj fq = new FMatrixRMaj(1, 1), fk = new FMatrixRMaj(1, 1);
    /** [B, H, T] sum_j sim_ij of every query row, saved for backward. */
    private float[] rowSum = new float[0];

    /**
     * @param layer the block (names the hooks)
     * @param pos   the model's position tables
     * @param mm    the thread's matrix-multiply workspace
     */
    public F32LinearAttentionCompute(TransformerConfig c, int layer, F32Positions pos, F32MatMul mm) {
        super(c, layer, pos, mm);
    }

    @Override
    protected void ensureBuffers(int b, int t) {
        int n = b * t, he = nHeads * dHead, rows = b * nHeads * t;
        fq.reshape(n, he);
        fk.reshape(n, he);
        if (rowSum.length < rows) {
            rowSum = new float[rows];
        }
    }

    @Override
    protected FMatrixRMaj queries() {
        return fq;
    }

    @Override
    protected FMatrixRMaj keys() {
        return fk;
    }

    /** {@code sim = phi(q) phi(k)^T}, 0 where masked; {@code P = sim / row sum}. */
    @Override
    protected void pattern(int b, int t, F32HookSite hooks) {
        phi(q, fq);                                                   // (N, H*E) phi(q)
        phi(k, fk);
        float[] sc = pattern;                                        // sim goes straight to pattern
        for (int bi = 0; bi < b; bi++) {
            for (int h = 0; h < nHeads; h++) {
                headProducts(fq, fk, sc, bi, h, t);                            // (T, T) phi(q_h) phi(k_h)^T
                int base = (bi * nHeads + h) * t * t;
                for (int i = 0; i < t; i++) {
                    int r = base + i * t;
                    float s = 0;
                    for (int j = 0; j < t; j++) {
                        if (causal && j > i) {
                            sc[r + j] = 0.0f;
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
    protected void scoreGradient(int bi, int h, int base, float[] ds, int t) {
        for (int i = 0; i < t; i++) {
            int r = i * t, pr = base + i * t;
            float dot = 0;
            for (int j = 0; j < t; j++) {
                dot += pattern[pr + j] * ds[r + j];
            }
            float s = rowSum[(bi * nHeads + h) * t + i];
            for (int j = 0; j < t; j++) {
                ds[r + j] = causal && j > i ? 0.0f : (ds[r + j] - dot) / s;
            }
        }
    }

    /** forward: fq = phi(q), fk = phi(k), so dq = dfq phi'(q), dk = dfk phi'(k). */
    @Override
    protected void featureBackward(FMatrixRMaj q, FMatrixRMaj k, FMatrixRMaj dq, FMatrixRMaj dk) {
        phiBackward(q, dq);
        phiBackward(k, dk);
    }

    /** phi(x) = elu(x) + 1 = x + 1 for x > 0, exp(x) otherwise. */
    private static void phi(FMatrixRMaj x, FMatrixRMaj out) {
        int n = x.getNumElements();
        for (int i = 0; i < n; i++) {
            float a = x.data[i];
            out.data[i] = a > 0 ? a + 1.0f : (float) Math.exp(a);
        }
    }

    /** d/dx (elu(x) + 1) = 1 for x > 0, exp(x) otherwise; scales {@code grad} in place. */
    private static void phiBackward(FMatrixRMaj x, FMatrixRMaj grad) {
        int n = x.getNumElements();
        for (int i = 0; i < n; i++) {
            float a = x.data[i];
            if (!(a > 0)) {
                grad.data[i] *= (float) Math.exp(a);
            }
        }
    }
}
