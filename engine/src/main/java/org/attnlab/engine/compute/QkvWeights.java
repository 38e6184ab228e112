package org.attnlab.engine.compute;

import org.ejml.data.DMatrixRMaj;

/**
 * The weights of attention that projects q, k and v (softmax and linear attention):
 * {@code attn.W_Q/W_K/W_V [H, D, E]} (held (D, H*E)), {@code attn.b_Q/b_K/b_V [H, E]},
 * {@code attn.W_O [H, E, D]} (held (H*E, D)) and {@code attn.b_O [D]}, plus the side-by-side
 * {@code [W_Q | W_K | W_V]} (D, 3 H E) that computes q, k and v in one multiply.
 */
public final class QkvWeights implements AttentionWeights {
    final PackedWeight wq, wk, wv, wo;
    /** [W_Q | W_K | W_V], (D, 3 H E). */
    final PackedWeight wqkv;
    final DMatrixRMaj bq, bk, bv, bo;

    /**
     * @param p     parameters or gradients
     * @param layer the block
     * @throws java.util.NoSuchElementException if {@code p} lacks one of the parameters
     */
    public QkvWeights(ParamView p, int layer) {
        String pre = p.blockPrefix(layer);
        wq = new PackedWeight(p.m(pre + "attn.W_Q"));
        bq = p.m(pre + "attn.b_Q");
        wk = new PackedWeight(p.m(pre + "attn.W_K"));
        bk = p.m(pre + "attn.b_K");
        wv = new PackedWeight(p.m(pre + "attn.W_V"));
        bv = p.m(pre + "attn.b_V");
        wo = new PackedWeight(p.m(pre + "attn.W_O"));
        bo = p.m(pre + "attn.b_O");
        wqkv = new PackedWeight(wq.w, wk.w, wv.w);
    }

    @Override
    public void pack(boolean transposed) {
        wqkv.pack(transposed);
        wo.pack(transposed);
    }

    @Override
    public void adoptBuffers(AttentionWeights other) {
        if (other instanceof QkvWeights o) {
            wqkv.adoptBuffers(o.wqkv);
            wo.adoptBuffers(o.wo);
        }
    }
}
