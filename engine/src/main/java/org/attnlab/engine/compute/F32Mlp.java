// GENERATED from Mlp.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.FMatrixRMaj;

/**
 * The MLP sublayer: {@code hook_pre = m_in W_in + b_in}, {@code hook_post = act(hook_pre)},
 * {@code out = hook_post W_out + b_out}. Saves hook_pre and hook_post for backward.
 * act is gelu_new (GPT-2's tanh approximation, Hendrycks and Gimpel 2016) or relu.
 *
 * <p>gelu_new is computed as {@code x * sigmoid(2u)}, u = c (x + 0.044715 x^3), which is
 * {@code 0.5 x (1 + tanh u)} exactly (1 + tanh u = 2 sigmoid(2u)) with one exp ({@link F32FastExp},
 * vectorized by {@link F32SimdMath#gelu} when it can be) instead of {@code Math.tanh} (a slow
 * native call on JDK 17) and no cancellation near 0.
 * Shapes: N rows, D = d_model, M = d_mlp.
 */
final class F32Mlp {
    private static final float GELU_C = (float) Math.sqrt(2.0f / Math.PI);
    private static final float GELU_A = 0.044715f;
    private final boolean gelu;
    private final F32MatMul mm;
    private final HookPoint hookPre, hookPost;
    /** (N, M) pre-activation. */
    final FMatrixRMaj pre = new FMatrixRMaj(1, 1);
    /** (N, M) post-activation. */
    final FMatrixRMaj post = new FMatrixRMaj(1, 1);
    /** (N, M) sigmoid(2u) saved by forward (gelu only). */
    private final FMatrixRMaj sig = new FMatrixRMaj(1, 1);
    private final FMatrixRMaj dPost = new FMatrixRMaj(1, 1);

    /** The MLP of block 0 on a fresh workspace (a convenience for one-off calls). */
    F32Mlp(TransformerConfig.ActFn act) {
        this(act, new F32MatMul(), 0);
    }

    /**
     * @param mm    the thread's matrix-multiply workspace
     * @param layer the block it belongs to (names its hooks)
     */
    F32Mlp(TransformerConfig.ActFn act, F32MatMul mm, int layer) {
        this.gelu = act == TransformerConfig.ActFn.GELU_NEW;
        this.mm = mm;
        this.hookPre = HookPoint.of(layer, HookPoint.Site.MLP_PRE);
        this.hookPost = HookPoint.of(layer, HookPoint.Site.MLP_POST);
    }

    /** {@link #forward(FMatrixRMaj, F32PackedWeight, FMatrixRMaj, F32PackedWeight, FMatrixRMaj, FMatrixRMaj,
     * F32HookSite)} packing the weights first (a convenience for one-off calls). */
    void forward(FMatrixRMaj mIn, FMatrixRMaj wIn, FMatrixRMaj bIn, FMatrixRMaj wOut, FMatrixRMaj bOut,
                 FMatrixRMaj out, F32HookSite hooks) {
        forward(mIn, F32PackedWeight.packed(wIn), bIn, F32PackedWeight.packed(wOut), bOut, out, hooks);
    }

    /**
     * @param mIn  (N, D) input, kept by reference until backward
     * @param wIn  (D, M) packed
     * @param wOut (M, D) packed
     * @param out  (N, D) overwritten
     */
    void forward(FMatrixRMaj mIn, F32PackedWeight wIn, FMatrixRMaj bIn, F32PackedWeight wOut, FMatrixRMaj bOut,
                 FMatrixRMaj out, F32HookSite hooks) {
        int n = mIn.numRows, m = wIn.w.numCols;
        pre.reshape(n, m);
        post.reshape(n, m);
        F32Linear.forward(mm, mIn, wIn, bIn, pre);                       // (N, M) hook_pre = m_in W_in + b_in
        if (hooks.active()) {
            hooks.fire(hookPre, pre);
        }
        float[] a = pre.data, o = post.data;
        int len = n * m;
        if (gelu) {
            sig.reshape(n, m);
            float[] s = sig.data;
            if (Simd.ENABLED) {
                F32SimdMath.gelu(a, s, o, len, GELU_C, GELU_A);
            } else {
                // the same operations as F32SimdMath.gelu, so both give the same bits
                float k1 = -2.0f * GELU_C, k3 = -2.0f * GELU_C * GELU_A;
                for (int i = 0; i < len; i++) {
                    float x = a[i];
                    float sg = 1.0f / (F32FastExp.exp((x * x * k3 + k1) * x) + 1.0f);    // sigmoid(2u)
                    s[i] = sg;
                    o[i] = x * sg;                                    // 0.5 x (1 + tanh u)
                }
            }
        } else {
            for (int i = 0; i < len; i++) {
                o[i] = a[i] > 0 ? a[i] : 0.0f;
            }
        }
        if (hooks.active()) {
            hooks.fire(hookPost, post);
        }
        F32Linear.forward(mm, post, wOut, bOut, out);                    // (N, D) out = post W_out + b_out
    }

    /** The backward pass packing the weights first (a convenience for one-off calls). */
    void backward(FMatrixRMaj mIn, FMatrixRMaj wIn, FMatrixRMaj wOut, FMatrixRMaj dOut, FMatrixRMaj dmIn,
                  FMatrixRMaj dWIn, FMatrixRMaj dBIn, FMatrixRMaj dWOut, FMatrixRMaj dBOut) {
        backward(mIn, F32PackedWeight.packed(wIn), F32PackedWeight.packed(wOut), dOut, dmIn, dWIn, dBIn, dWOut, dBOut);
    }

    /**
     * Backward of {@link #forward} (W_in and W_out packed for both directions); accumulates into
     * {@code dmIn} and the gradients.
     * gelu_new'(x) = 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) u', u' = c (1 + 3 * 0.044715 x^2);
     * with s = sigmoid(2u) that is {@code s + 2 x s (1 - s) u'}.
     */
    void backward(FMatrixRMaj mIn, F32PackedWeight wIn, F32PackedWeight wOut, FMatrixRMaj dOut, FMatrixRMaj dmIn,
                  FMatrixRMaj dWIn, FMatrixRMaj dBIn, FMatrixRMaj dWOut, FMatrixRMaj dBOut) {
        dPost.reshape(post.numRows, post.numCols);
        dPost.zero();
        // forward: out = post W_out + b_out
        F32Linear.backward(mm, post, wOut, dOut, dPost, dWOut, dBOut);
        float[] a = pre.data, g = dPost.data;
        int len = pre.getNumElements();
        if (gelu) {
            float[] s = sig.data;
            for (int i = 0; i < len; i++) {
                float x = a[i], sg = s[i];
                float du = GELU_C * (1.0f + 3.0f * GELU_A * x * x);
                g[i] *= sg + 2.0f * x * sg * (1.0f - sg) * du;          // d post / d pre
            }
        } else {
            for (int i = 0; i < len; i++) {
                if (!(a[i] > 0)) {
                    g[i] = 0.0f;
                }
            }
        }
        // forward: pre = m_in W_in + b_in
        F32Linear.backward(mm, mIn, wIn, dPost, dmIn, dWIn, dBIn);
    }
}
