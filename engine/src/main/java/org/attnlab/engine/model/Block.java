package org.attnlab.engine.model;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * One transformer block (engine.md, "Forward pass"): attention then MLP, each added to the
 * residual stream, with LayerNorm before each sublayer (pre, GPT-2), after each residual add
 * (post, Vaswani et al. / BERT), or nowhere. Buffers are (N, D), N = B*T.
 */
final class Block {
    private final String prefix;
    private final boolean ln, post, attnOnly;
    final Attention attn;
    private final Mlp mlp;
    private final LayerNorm ln1, ln2;

    /** The block's input (not owned: the previous block's output or the embedding). */
    DMatrixRMaj residPre;
    final DMatrixRMaj aIn = new DMatrixRMaj(1, 1), attnOut = new DMatrixRMaj(1, 1), residMid = new DMatrixRMaj(1, 1);
    final DMatrixRMaj mIn = new DMatrixRMaj(1, 1), mlpOut = new DMatrixRMaj(1, 1), residPost = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj sum = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj dMid = new DMatrixRMaj(1, 1), dTmp = new DMatrixRMaj(1, 1),
            dSum = new DMatrixRMaj(1, 1);

    Block(int layer, TransformerConfig c, PositionalEncodings pos) {
        this.prefix = "blocks." + layer + ".";
        this.ln = c.hasLayerNorm();
        this.post = c.lnPlacement() == TransformerConfig.LnPlacement.POST;
        this.attnOnly = c.attnOnly();
        this.attn = new Attention(c, pos);
        this.mlp = attnOnly ? null : new Mlp(c.actFn());
        this.ln1 = ln ? new LayerNorm(c.eps()) : null;
        this.ln2 = ln && !attnOnly ? new LayerNorm(c.eps()) : null;
    }

    /** The attention sublayer's input: LN1(x) under pre-LN, else x itself. */
    private DMatrixRMaj attnInput() {
        return ln && !post ? aIn : residPre;
    }

    /** The MLP sublayer's input: LN2(resid_mid) under pre-LN, else resid_mid itself. */
    private DMatrixRMaj mlpInput() {
        return ln && !post ? mIn : residMid;
    }

    /** @param x (N, D) the residual stream entering the block, kept by reference */
    void forward(DMatrixRMaj x, int b, int t, Parameters p, HookSite hooks) {
        int n = x.numRows, d = x.numCols;
        residPre = x;
        for (DMatrixRMaj m : new DMatrixRMaj[] {aIn, attnOut, residMid, mIn, mlpOut, residPost, sum, dMid, dTmp,
                dSum}) {
            m.reshape(n, d);
        }
        hooks.fire(prefix + "hook_resid_pre", x);
        if (ln && !post) {
            ln1.forward(x, p.m(prefix + "ln1.w"), p.m(prefix + "ln1.b"), aIn);
        }
        attn.forward(attnInput(), b, t, p, prefix, attnOut, hooks);
        hooks.fire(prefix + "hook_attn_out", attnOut);
        if (ln && post) {
            CommonOps_DDRM.add(x, attnOut, sum);
            ln1.forward(sum, p.m(prefix + "ln1.w"), p.m(prefix + "ln1.b"), residMid);
        } else {
            CommonOps_DDRM.add(x, attnOut, residMid);
        }
        hooks.fire(prefix + "hook_resid_mid", residMid);
        if (attnOnly) {
            residPost.setTo(residMid);
        } else {
            if (ln && !post) {
                ln2.forward(residMid, p.m(prefix + "ln2.w"), p.m(prefix + "ln2.b"), mIn);
            }
            mlp.forward(mlpInput(), p.m(prefix + "mlp.W_in"), p.m(prefix + "mlp.b_in"), p.m(prefix + "mlp.W_out"),
                    p.m(prefix + "mlp.b_out"), mlpOut, hooks, prefix);
            hooks.fire(prefix + "hook_mlp_out", mlpOut);
            if (ln && post) {
                CommonOps_DDRM.add(residMid, mlpOut, sum);
                ln2.forward(sum, p.m(prefix + "ln2.w"), p.m(prefix + "ln2.b"), residPost);
            } else {
                CommonOps_DDRM.add(residMid, mlpOut, residPost);
            }
        }
        hooks.fire(prefix + "hook_resid_post", residPost);
    }

    /**
     * Backward of {@link #forward}, the forward lines in reverse.
     *
     * @param dPost (N, D) gradient of resid_post; may be overwritten
     * @param dPre  (N, D) gradient of resid_pre, overwritten
     */
    void backward(DMatrixRMaj dPost, DMatrixRMaj dPre, Parameters p, Parameters g) {
        // --- MLP sublayer: resid_post = [LN2](resid_mid + mlp_out)
        if (attnOnly) {
            dMid.setTo(dPost);
        } else {
            DMatrixRMaj dS = dPost;
            if (ln && post) {
                dSum.zero();
                ln2.backward(dPost, p.m(prefix + "ln2.w"), dSum, g.m(prefix + "ln2.w"), g.m(prefix + "ln2.b"));
                dS = dSum;
            }
            dMid.setTo(dS);                     // residual path
            dTmp.zero();                        // d mlp_input
            mlp.backward(mlpInput(), p.m(prefix + "mlp.W_in"), p.m(prefix + "mlp.W_out"), dS, dTmp,
                    g.m(prefix + "mlp.W_in"), g.m(prefix + "mlp.b_in"), g.m(prefix + "mlp.W_out"),
                    g.m(prefix + "mlp.b_out"));
            if (ln && !post) {
                ln2.backward(dTmp, p.m(prefix + "ln2.w"), dMid, g.m(prefix + "ln2.w"), g.m(prefix + "ln2.b"));
            } else {
                CommonOps_DDRM.addEquals(dMid, dTmp);
            }
        }
        // --- attention sublayer: resid_mid = [LN1](resid_pre + attn_out)
        DMatrixRMaj dS = dMid;
        if (ln && post) {
            dSum.zero();
            ln1.backward(dMid, p.m(prefix + "ln1.w"), dSum, g.m(prefix + "ln1.w"), g.m(prefix + "ln1.b"));
            dS = dSum;
        }
        dPre.setTo(dS);                         // residual path
        dTmp.zero();                            // d attn_input
        attn.backward(attnInput(), p, prefix, dS, dTmp, g);
        if (ln && !post) {
            ln1.backward(dTmp, p.m(prefix + "ln1.w"), dPre, g.m(prefix + "ln1.w"), g.m(prefix + "ln1.b"));
        } else {
            CommonOps_DDRM.addEquals(dPre, dTmp);
        }
    }
}
