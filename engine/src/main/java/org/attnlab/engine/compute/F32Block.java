// GENERATED from Block.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.FMatrixRMaj;

/**
 * One transformer block (docs/engine.md, "Forward pass"): attention then MLP, each added to the
 * residual stream, with F32LayerNorm before each sublayer (pre, GPT-2), after each residual add
 * (post, Vaswani et al. / BERT), or nowhere. Buffers are (N, D), N = B*T.
 *
 * <p>The block holds activations only; parameters and gradients come resolved
 * ({@link F32LayerWeights}). Its attention is whatever the configuration's kernel made
 * ({@link F32AttentionCompute}); the block asks it for its output. Hook points are precomputed.
 */
final class F32Block {
    private final HookPoint hookResidPre, hookAttnOut, hookResidMid, hookMlpOut, hookResidPost;
    private final boolean ln, post, attnOnly;
    final F32AttentionCompute attn;
    private final F32Mlp mlp;
    private final F32LayerNorm ln1, ln2;

    /** The block's input (not owned: the previous block's output or the embedding). */
    FMatrixRMaj residPre;
    final FMatrixRMaj aIn = new FMatrixRMaj(1, 1), attnOut = new FMatrixRMaj(1, 1), residMid = new FMatrixRMaj(1, 1);
    final FMatrixRMaj mIn = new FMatrixRMaj(1, 1), mlpOut = new FMatrixRMaj(1, 1), residPost = new FMatrixRMaj(1, 1);
    private final FMatrixRMaj sum = new FMatrixRMaj(1, 1);
    private final FMatrixRMaj dMid = new FMatrixRMaj(1, 1), dTmp = new FMatrixRMaj(1, 1),
            dSum = new FMatrixRMaj(1, 1);

    /**
     * @param attention the configuration's attention kernel, as the fast path uses it
     * @param mm        the thread's matrix-multiply workspace
     */
    F32Block(int layer, TransformerConfig c, F32Positions pos, AttentionFactory attention, F32MatMul mm) {
        this.hookResidPre = HookPoint.of(layer, HookPoint.Site.RESID_PRE);
        this.hookAttnOut = HookPoint.of(layer, HookPoint.Site.ATTN_OUT);
        this.hookResidMid = HookPoint.of(layer, HookPoint.Site.RESID_MID);
        this.hookMlpOut = HookPoint.of(layer, HookPoint.Site.MLP_OUT);
        this.hookResidPost = HookPoint.of(layer, HookPoint.Site.RESID_POST);
        this.ln = c.hasLayerNorm();
        this.post = c.lnPlacement() == TransformerConfig.LnPlacement.POST;
        this.attnOnly = c.attnOnly();
        this.attn = attention.compute(layer, pos, mm);
        this.mlp = attnOnly ? null : new F32Mlp(c.actFn(), mm, layer);
        this.ln1 = ln ? new F32LayerNorm(F32Reals.of(c.eps())) : null;
        this.ln2 = ln && !attnOnly ? new F32LayerNorm(F32Reals.of(c.eps())) : null;
    }

    /** The attention sublayer's input: LN1(x) under pre-LN, else x itself. */
    private FMatrixRMaj attnInput() {
        return ln && !post ? aIn : residPre;
    }

    /** The MLP sublayer's input: LN2(resid_mid) under pre-LN, else resid_mid itself. */
    private FMatrixRMaj mlpInput() {
        return ln && !post ? mIn : residMid;
    }

    private static void fire(F32HookSite hooks, HookPoint point, FMatrixRMaj m) {
        if (hooks.active()) {
            hooks.fire(point, m);
        }
    }

    /** @param x (N, D) the residual stream entering the block, kept by reference */
    void forward(FMatrixRMaj x, int b, int t, F32LayerWeights w, F32HookSite hooks) {
        int n = x.numRows, d = x.numCols;
        residPre = x;
        aIn.reshape(n, d);
        attnOut.reshape(n, d);
        residMid.reshape(n, d);
        mIn.reshape(n, d);
        mlpOut.reshape(n, d);
        residPost.reshape(n, d);
        sum.reshape(n, d);
        dMid.reshape(n, d);
        dTmp.reshape(n, d);
        dSum.reshape(n, d);
        fire(hooks, hookResidPre, x);
        if (ln && !post) {
            ln1.forward(x, w.ln1w, w.ln1b, aIn);                      // (N, D) LN1(x)
        }
        attn.forward(attnInput(), b, t, w.attn, attnOut, hooks);    // (N, D) attn_out
        fire(hooks, hookAttnOut, attnOut);
        if (ln && post) {
            add(x, attnOut, sum);
            ln1.forward(sum, w.ln1w, w.ln1b, residMid);
        } else {
            add(x, attnOut, residMid);                 // (N, D) x + attn_out
        }
        fire(hooks, hookResidMid, residMid);
        if (attnOnly) {
            residPost.setTo(residMid);
        } else {
            if (ln && !post) {
                ln2.forward(residMid, w.ln2w, w.ln2b, mIn);           // (N, D) LN2(resid_mid)
            }
            mlp.forward(mlpInput(), w.wIn, w.bIn, w.wOut, w.bOut, mlpOut, hooks);
            fire(hooks, hookMlpOut, mlpOut);
            if (ln && post) {
                add(residMid, mlpOut, sum);
                ln2.forward(sum, w.ln2w, w.ln2b, residPost);
            } else {
                add(residMid, mlpOut, residPost);      // (N, D) resid_mid + mlp_out
            }
        }
        fire(hooks, hookResidPost, residPost);
    }

    /**
     * Backward of {@link #forward}, the forward lines in reverse.
     *
     * @param dPost (N, D) gradient of resid_post; may be overwritten
     * @param dPre  (N, D) gradient of resid_pre, overwritten
     * @param w     the parameters (packed for both directions)
     * @param gw    gradients, accumulated into
     */
    void backward(FMatrixRMaj dPost, FMatrixRMaj dPre, F32LayerWeights w, F32LayerWeights gw) {
        // --- MLP sublayer: resid_post = [LN2](resid_mid + mlp_out)
        if (attnOnly) {
            dMid.setTo(dPost);
        } else {
            FMatrixRMaj dS = dPost;
            if (ln && post) {
                dSum.zero();
                ln2.backward(dPost, w.ln2w, dSum, gw.ln2w, gw.ln2b);
                dS = dSum;
            }
            dMid.setTo(dS);                     // residual path
            dTmp.zero();                        // d mlp_input
            mlp.backward(mlpInput(), w.wIn, w.wOut, dS, dTmp, gw.wIn.w, gw.bIn, gw.wOut.w, gw.bOut);
            if (ln && !post) {
                ln2.backward(dTmp, w.ln2w, dMid, gw.ln2w, gw.ln2b);
            } else {
                addEquals(dMid, dTmp);
            }
        }
        // --- attention sublayer: resid_mid = [LN1](resid_pre + attn_out)
        FMatrixRMaj dS = dMid;
        if (ln && post) {
            dSum.zero();
            ln1.backward(dMid, w.ln1w, dSum, gw.ln1w, gw.ln1b);
            dS = dSum;
        }
        dPre.setTo(dS);                         // residual path
        dTmp.zero();                            // d attn_input
        attn.backward(attnInput(), w.attn, dS, dTmp, gw.attn);
        if (ln && !post) {
            ln1.backward(dTmp, w.ln1w, dPre, gw.ln1w, gw.ln1b);
        } else {
            addEquals(dPre, dTmp);
        }
    }

    /** {@code c = a + b} elementwise (all (N, D)). */
    private static void add(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        float[] x = a.data, y = b.data, z = c.data;
        int n = a.getNumElements();
        for (int i = 0; i < n; i++) {
            z[i] = x[i] + y[i];
        }
    }

    /** {@code a += b} elementwise. */
    private static void addEquals(FMatrixRMaj a, FMatrixRMaj b) {
        float[] x = a.data, y = b.data;
        int n = a.getNumElements();
        for (int i = 0; i < n; i++) {
            x[i] += y[i];
        }
    }
}
