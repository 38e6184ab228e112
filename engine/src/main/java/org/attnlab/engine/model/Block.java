package org.attnlab.engine.model;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * One transformer block (engine.md, "Forward pass"): attention then MLP, each added to the
 * residual stream, with LayerNorm before each sublayer (pre, GPT-2), after each residual add
 * (post, Vaswani et al. / BERT), or nowhere. Buffers are (N, D), N = B*T.
 *
 * <p>The block resolves its parameters by name once; gradients are resolved again only when a
 * different gradient object is passed. Hook names are built only when a hook is attached.
 */
final class Block {
    private final String prefix;
    private final boolean ln, post, attnOnly;
    final Attention attn;
    private final Mlp mlp;
    private final LayerNorm ln1, ln2;
    private final Weights w;
    private Weights gw;
    private Parameters gwOf;

    /** The block's input (not owned: the previous block's output or the embedding). */
    DMatrixRMaj residPre;
    final DMatrixRMaj aIn = new DMatrixRMaj(1, 1), attnOut = new DMatrixRMaj(1, 1), residMid = new DMatrixRMaj(1, 1);
    final DMatrixRMaj mIn = new DMatrixRMaj(1, 1), mlpOut = new DMatrixRMaj(1, 1), residPost = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj sum = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj dMid = new DMatrixRMaj(1, 1), dTmp = new DMatrixRMaj(1, 1),
            dSum = new DMatrixRMaj(1, 1);

    /** The parameters (or gradients) of one block, looked up once. Absent ones are null. */
    private static final class Weights {
        final Attention.Weights attn;
        final DMatrixRMaj ln1w, ln1b, ln2w, ln2b, wIn, bIn, wOut, bOut;

        Weights(Parameters p, String prefix, boolean ln, boolean attnOnly) {
            attn = new Attention.Weights(p, prefix);
            ln1w = ln ? p.m(prefix + "ln1.w") : null;
            ln1b = ln ? p.m(prefix + "ln1.b") : null;
            boolean ln2 = ln && !attnOnly;
            ln2w = ln2 ? p.m(prefix + "ln2.w") : null;
            ln2b = ln2 ? p.m(prefix + "ln2.b") : null;
            wIn = attnOnly ? null : p.m(prefix + "mlp.W_in");
            bIn = attnOnly ? null : p.m(prefix + "mlp.b_in");
            wOut = attnOnly ? null : p.m(prefix + "mlp.W_out");
            bOut = attnOnly ? null : p.m(prefix + "mlp.b_out");
        }
    }

    /**
     * @param params the model's live parameters (resolved here, read at every pass)
     * @param mm     the thread's matrix-multiply workspace
     */
    Block(int layer, TransformerConfig c, PositionalEncodings pos, Parameters params, MatMul mm) {
        this.prefix = "blocks." + layer + ".";
        this.ln = c.hasLayerNorm();
        this.post = c.lnPlacement() == TransformerConfig.LnPlacement.POST;
        this.attnOnly = c.attnOnly();
        this.attn = new Attention(c, pos, mm);
        this.mlp = attnOnly ? null : new Mlp(c.actFn(), mm);
        this.ln1 = ln ? new LayerNorm(c.eps()) : null;
        this.ln2 = ln && !attnOnly ? new LayerNorm(c.eps()) : null;
        this.w = new Weights(params, prefix, ln, attnOnly);
    }

    private Weights grads(Parameters g) {
        if (g != gwOf) {
            gw = new Weights(g, prefix, ln, attnOnly);
            gwOf = g;
        }
        return gw;
    }

    /** The attention sublayer's input: LN1(x) under pre-LN, else x itself. */
    private DMatrixRMaj attnInput() {
        return ln && !post ? aIn : residPre;
    }

    /** The MLP sublayer's input: LN2(resid_mid) under pre-LN, else resid_mid itself. */
    private DMatrixRMaj mlpInput() {
        return ln && !post ? mIn : residMid;
    }

    private void fire(HookSite hooks, String name, DMatrixRMaj m) {
        if (hooks.active()) {
            hooks.fire(prefix + name, m);
        }
    }

    /** @param x (N, D) the residual stream entering the block, kept by reference */
    void forward(DMatrixRMaj x, int b, int t, HookSite hooks) {
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
        fire(hooks, "hook_resid_pre", x);
        if (ln && !post) {
            ln1.forward(x, w.ln1w, w.ln1b, aIn);                      // (N, D) LN1(x)
        }
        attn.forward(attnInput(), b, t, w.attn, prefix, attnOut, hooks);
        fire(hooks, "hook_attn_out", attnOut);
        if (ln && post) {
            CommonOps_DDRM.add(x, attnOut, sum);
            ln1.forward(sum, w.ln1w, w.ln1b, residMid);
        } else {
            CommonOps_DDRM.add(x, attnOut, residMid);                 // (N, D) x + attn_out
        }
        fire(hooks, "hook_resid_mid", residMid);
        if (attnOnly) {
            residPost.setTo(residMid);
        } else {
            if (ln && !post) {
                ln2.forward(residMid, w.ln2w, w.ln2b, mIn);           // (N, D) LN2(resid_mid)
            }
            mlp.forward(mlpInput(), w.wIn, w.bIn, w.wOut, w.bOut, mlpOut, hooks, prefix);
            fire(hooks, "hook_mlp_out", mlpOut);
            if (ln && post) {
                CommonOps_DDRM.add(residMid, mlpOut, sum);
                ln2.forward(sum, w.ln2w, w.ln2b, residPost);
            } else {
                CommonOps_DDRM.add(residMid, mlpOut, residPost);      // (N, D) resid_mid + mlp_out
            }
        }
        fire(hooks, "hook_resid_post", residPost);
    }

    /**
     * Backward of {@link #forward}, the forward lines in reverse.
     *
     * @param dPost (N, D) gradient of resid_post; may be overwritten
     * @param dPre  (N, D) gradient of resid_pre, overwritten
     * @param g     gradients, accumulated into
     */
    void backward(DMatrixRMaj dPost, DMatrixRMaj dPre, Parameters g) {
        Weights gw = grads(g);
        // --- MLP sublayer: resid_post = [LN2](resid_mid + mlp_out)
        if (attnOnly) {
            dMid.setTo(dPost);
        } else {
            DMatrixRMaj dS = dPost;
            if (ln && post) {
                dSum.zero();
                ln2.backward(dPost, w.ln2w, dSum, gw.ln2w, gw.ln2b);
                dS = dSum;
            }
            dMid.setTo(dS);                     // residual path
            dTmp.zero();                        // d mlp_input
            mlp.backward(mlpInput(), w.wIn, w.wOut, dS, dTmp, gw.wIn, gw.bIn, gw.wOut, gw.bOut);
            if (ln && !post) {
                ln2.backward(dTmp, w.ln2w, dMid, gw.ln2w, gw.ln2b);
            } else {
                CommonOps_DDRM.addEquals(dMid, dTmp);
            }
        }
        // --- attention sublayer: resid_mid = [LN1](resid_pre + attn_out)
        DMatrixRMaj dS = dMid;
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
            CommonOps_DDRM.addEquals(dPre, dTmp);
        }
    }
}
