// GENERATED from QkvWeights.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

import org.ejml.data.FMatrixRMaj;

/**
 * The weights of attention that projects q, k and v (softmax and linear attention):
 * {@code attn.W_Q/W_K/W_V [H, D, E]} (held (D, H*E)), {@code attn.b_Q/b_K/b_V [H, E]},
 * {@code attn.W_O [H, E, D]} (held (H*E, D)) and {@code attn.b_O [D]}, plus the side-by-side
 * {@code [W_Q | W_K | W_V]} (D, 3 H E) that computes q, k and v in one multiply.
 */
public final class F32QkvWeights implements F32AttentionWeights {
    final F32PackedWeight wq, wk, wv, wo;
    /** [W_Q | W_K | W_V], (D, 3 H E). */
    final F32PackedWeight wqkv;
    final FMatrixRMaj bq, bk, bv, bo;

    /**
     * @param p     parameters or gradients
     * @param layer the block
     * @throws java.util.NoSuchElementException if {@code p} lacks one of the parameters
     */
    public F32QkvWeights(F32ParamView p, int layer) {
        String pre = p.blockPrefix(layer);
        wq = new F32PackedWeight(p.m(pre + "attn.W_Q"));
        bq = p.m(pre + "attn.b_Q");
        wk = new F32PackedWeight(p.m(pre + "attn.W_K"));
        bk = p.m(pre + "attn.b_K");
        wv = new F32PackedWeight(p.m(pre + "attn.W_V"));
        bv = p.m(pre + "attn.b_V");
        wo = new F32PackedWeight(p.m(pre + "attn.W_O"));
        bo = p.m(pre + "attn.b_O");
        wqkv = new F32PackedWeight(wq.w, wk.w, wv.w);
    }

    @Override
    public void pack(boolean transposed) {
        wqkv.pack(transposed);
        wo.pack(transposed);
    }

    @Override
    public void adoptBuffers(F32AttentionWeights other) {
        if (other instanceof F32QkvWeights o) {
            wqkv.adoptBuffers(o.wqkv);
            wo.adoptBuffers(o.wo);
        }
    }
}
