package org.attnlab.engine.compute;

import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.DMatrixRMaj;

/**
 * The MLP sublayer: {@code hook_pre = m_in W_in + b_in}, {@code hook_post = act(hook_pre)},
 * {@code out = hook_post W_out + b_out}. Saves hook_pre and hook_post for backward.
 * act is gelu_new (GPT-2's tanh approximation, Hendrycks and Gimpel 2016) or relu.
 *
 * <p>gelu_new is computed as {@code x * sigmoid(2u)}, u = c (x + 0.044715 x^3), which is
 * {@code 0.5 x (1 + tanh u)} exactly (1 + tanh u = 2 sigmoid(2u)) with one exp ({@link FastExp},
 * vectorized by {@link SimdMath#gelu} when it can be) instead of {@code Math.tanh} (a slow
 * native call on JDK 17) and no cancellation near 0.
 * Shapes: N rows, D = d_model, M = d_mlp.
 */
final class Mlp {
    private static final double GELU_C = Math.sqrt(2.0 / Math.PI);
    private static final double GELU_A = 0.044715;
    private final boolean gelu;
    private final MatMul mm;
    private final HookPoint hookPre, hookPost;
    /** (N, M) pre-activation. */
    final DMatrixRMaj pre = new DMatrixRMaj(1, 1);
    /** (N, M) post-activation. */
    final DMatrixRMaj post = new DMatrixRMaj(1, 1);
    /** (N, M) sigmoid(2u) saved by forward (gelu only). */
    private final DMatrixRMaj sig = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj dPost = new DMatrixRMaj(1, 1);

    /** The MLP of block 0 on a fresh workspace (a convenience for one-off calls). */
    Mlp(TransformerConfig.ActFn act) {
        this(act, new MatMul(), 0);
    }

    /**
     * @param mm    the thread's matrix-multiply workspace
     * @param layer the block it belongs to (names its hooks)
     */
    Mlp(TransformerConfig.ActFn act, MatMul mm, int layer) {
        this.gelu = act == TransformerConfig.ActFn.GELU_NEW;
        this.mm = mm;
        this.hookPre = HookPoint.of(layer, HookPoint.Site.MLP_PRE);
        this.hookPost = HookPoint.of(layer, HookPoint.Site.MLP_POST);
    }

    /** {@link #forward(DMatrixRMaj, PackedWeight, DMatrixRMaj, PackedWeight, DMatrixRMaj, DMatrixRMaj,
     * HookSite)} packing the weights first (a convenience for one-off calls). */
    void forward(DMatrixRMaj mIn, DMatrixRMaj wIn, DMatrixRMaj bIn, DMatrixRMaj wOut, DMatrixRMaj bOut,
                 DMatrixRMaj out, HookSite hooks) {
        forward(mIn, PackedWeight.packed(wIn), bIn, PackedWeight.packed(wOut), bOut, out, hooks);
    }

    /**
     * @param mIn  (N, D) input, kept by reference until backward
     * @param wIn  (D, M) packed
     * @param wOut (M, D) packed
     * @param out  (N, D) overwritten
     */
    void forward(DMatrixRMaj mIn, PackedWeight wIn, DMatrixRMaj bIn, PackedWeight wOut, DMatrixRMaj bOut,
                 DMatrixRMaj out, HookSite hooks) {
        int n = mIn.numRows, m = wIn.w.numCols;
        pre.reshape(n, m);
        post.reshape(n, m);
        Linear.forward(mm, mIn, wIn, bIn, pre);                       // (N, M) hook_pre = m_in W_in + b_in
        if (hooks.active()) {
            hooks.fire(hookPre, pre);
        }
        double[] a = pre.data, o = post.data;
        int len = n * m;
        if (gelu) {
            sig.reshape(n, m);
            double[] s = sig.data;
            if (Simd.VECTOR_EXP_F64) { //@f32: if (Simd.ENABLED) {
                SimdMath.gelu(a, s, o, len, GELU_C, GELU_A);
            } else {
                // the same operations as SimdMath.gelu, so both give the same bits
                double k1 = -2.0 * GELU_C, k3 = -2.0 * GELU_C * GELU_A;
                for (int i = 0; i < len; i++) {
                    double x = a[i];
                    double sg = 1.0 / (FastExp.exp((x * x * k3 + k1) * x) + 1.0);    // sigmoid(2u)
                    s[i] = sg;
                    o[i] = x * sg;                                    // 0.5 x (1 + tanh u)
                }
            }
        } else {
            for (int i = 0; i < len; i++) {
                o[i] = a[i] > 0 ? a[i] : 0.0;
            }
        }
        if (hooks.active()) {
            hooks.fire(hookPost, post);
        }
        Linear.forward(mm, post, wOut, bOut, out);                    // (N, D) out = post W_out + b_out
    }

    /** The backward pass packing the weights first (a convenience for one-off calls). */
    void backward(DMatrixRMaj mIn, DMatrixRMaj wIn, DMatrixRMaj wOut, DMatrixRMaj dOut, DMatrixRMaj dmIn,
                  DMatrixRMaj dWIn, DMatrixRMaj dBIn, DMatrixRMaj dWOut, DMatrixRMaj dBOut) {
        backward(mIn, PackedWeight.packed(wIn), PackedWeight.packed(wOut), dOut, dmIn, dWIn, dBIn, dWOut, dBOut);
    }

    /**
     * Backward of {@link #forward} (W_in and W_out packed for both directions); accumulates into
     * {@code dmIn} and the gradients.
     * gelu_new'(x) = 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) u', u' = c (1 + 3 * 0.044715 x^2);
     * with s = sigmoid(2u) that is {@code s + 2 x s (1 - s) u'}.
     */
    void backward(DMatrixRMaj mIn, PackedWeight wIn, PackedWeight wOut, DMatrixRMaj dOut, DMatrixRMaj dmIn,
                  DMatrixRMaj dWIn, DMatrixRMaj dBIn, DMatrixRMaj dWOut, DMatrixRMaj dBOut) {
        dPost.reshape(post.numRows, post.numCols);
        dPost.zero();
        // forward: out = post W_out + b_out
        Linear.backward(mm, post, wOut, dOut, dPost, dWOut, dBOut);
        double[] a = pre.data, g = dPost.data;
        int len = pre.getNumElements();
        if (gelu) {
            double[] s = sig.data;
            for (int i = 0; i < len; i++) {
                double x = a[i], sg = s[i];
                double du = GELU_C * (1.0 + 3.0 * GELU_A * x * x);
                g[i] *= sg + 2.0 * x * sg * (1.0 - sg) * du;          // d post / d pre
            }
        } else {
            for (int i = 0; i < len; i++) {
                if (!(a[i] > 0)) {
                    g[i] = 0.0;
                }
            }
        }
        // forward: pre = m_in W_in + b_in
        Linear.backward(mm, mIn, wIn, dPost, dmIn, dWIn, dBIn);
    }
}
