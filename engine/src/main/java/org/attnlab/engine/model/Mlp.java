package org.attnlab.engine.model;

import org.ejml.data.DMatrixRMaj;

/**
 * The MLP sublayer: {@code hook_pre = m_in W_in + b_in}, {@code hook_post = act(hook_pre)},
 * {@code out = hook_post W_out + b_out}. Saves hook_pre and hook_post for backward.
 * act is gelu_new (GPT-2's tanh approximation, Hendrycks and Gimpel 2016) or relu.
 */
final class Mlp {
    private static final double GELU_C = Math.sqrt(2.0 / Math.PI);
    private final boolean gelu;
    /** (N, M) pre-activation. */
    final DMatrixRMaj pre = new DMatrixRMaj(1, 1);
    /** (N, M) post-activation. */
    final DMatrixRMaj post = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj dPost = new DMatrixRMaj(1, 1);

    Mlp(TransformerConfig.ActFn act) {
        this.gelu = act == TransformerConfig.ActFn.GELU_NEW;
    }

    /**
     * @param mIn (N, D) input, kept by reference until backward
     * @param out (N, D) overwritten
     */
    void forward(DMatrixRMaj mIn, DMatrixRMaj wIn, DMatrixRMaj bIn, DMatrixRMaj wOut, DMatrixRMaj bOut,
                 DMatrixRMaj out, HookSite hooks, String prefix) {
        int n = mIn.numRows, m = wIn.numCols;
        pre.reshape(n, m);
        post.reshape(n, m);
        Linear.forward(mIn, wIn, bIn, pre);
        hooks.fire(prefix + "mlp.hook_pre", pre);
        double[] a = pre.data, o = post.data;
        int len = n * m;
        if (gelu) {
            for (int i = 0; i < len; i++) {
                double x = a[i];
                o[i] = 0.5 * x * (1.0 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x)));
            }
        } else {
            for (int i = 0; i < len; i++) {
                o[i] = a[i] > 0 ? a[i] : 0.0;
            }
        }
        hooks.fire(prefix + "mlp.hook_post", post);
        out.reshape(n, wOut.numCols);
        Linear.forward(post, wOut, bOut, out);
    }

    /**
     * Backward of {@link #forward}; accumulates into {@code dmIn} and the gradients.
     * gelu_new'(x) = 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) c (1 + 3 * 0.044715 x^2),
     * u = c (x + 0.044715 x^3), c = sqrt(2 / pi).
     */
    void backward(DMatrixRMaj mIn, DMatrixRMaj wIn, DMatrixRMaj wOut, DMatrixRMaj dOut, DMatrixRMaj dmIn,
                  DMatrixRMaj dWIn, DMatrixRMaj dBIn, DMatrixRMaj dWOut, DMatrixRMaj dBOut) {
        dPost.reshape(post.numRows, post.numCols);
        dPost.zero();
        Linear.backward(post, wOut, dOut, dPost, dWOut, dBOut);
        double[] a = pre.data, g = dPost.data;
        int len = pre.getNumElements();
        if (gelu) {
            for (int i = 0; i < len; i++) {
                double x = a[i];
                double th = Math.tanh(GELU_C * (x + 0.044715 * x * x * x));
                double dx = 0.5 * (1.0 + th) + 0.5 * x * (1.0 - th * th) * GELU_C * (1.0 + 3.0 * 0.044715 * x * x);
                g[i] *= dx;
            }
        } else {
            for (int i = 0; i < len; i++) {
                if (!(a[i] > 0)) {
                    g[i] = 0.0;
                }
            }
        }
        Linear.backward(mIn, wIn, dPost, dmIn, dWIn, dBIn);
    }
}
