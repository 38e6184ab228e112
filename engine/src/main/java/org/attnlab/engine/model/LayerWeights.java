package org.attnlab.engine.model;

import org.ejml.data.DMatrixRMaj;

/**
 * The parameters (or gradients) of one transformer block, looked up by name once. Weight
 * matrices of linear maps are {@link PackedWeight}s (packed only when they are parameters);
 * parameters the configuration does not have are {@code null}.
 */
final class LayerWeights {
    final PackedWeight wq, wk, wv, wo, wIn, wOut;
    /** [W_Q | W_K | W_V], (D, 3 H E): one multiply gives q, k and v. */
    final PackedWeight wqkv;
    final DMatrixRMaj bq, bk, bv, bo, bIn, bOut, ln1w, ln1b, ln2w, ln2b;

    /**
     * @param prefix e.g. {@code blocks.0.}
     */
    LayerWeights(Parameters p, String prefix, TransformerConfig c) {
        wq = new PackedWeight(p.m(prefix + "attn.W_Q"));
        bq = p.m(prefix + "attn.b_Q");
        wk = new PackedWeight(p.m(prefix + "attn.W_K"));
        bk = p.m(prefix + "attn.b_K");
        wv = new PackedWeight(p.m(prefix + "attn.W_V"));
        bv = p.m(prefix + "attn.b_V");
        wo = new PackedWeight(p.m(prefix + "attn.W_O"));
        bo = p.m(prefix + "attn.b_O");
        wqkv = new PackedWeight(wq.w, wk.w, wv.w);
        boolean ln = c.hasLayerNorm(), mlp = !c.attnOnly();
        ln1w = ln ? p.m(prefix + "ln1.w") : null;
        ln1b = ln ? p.m(prefix + "ln1.b") : null;
        ln2w = ln && mlp ? p.m(prefix + "ln2.w") : null;
        ln2b = ln && mlp ? p.m(prefix + "ln2.b") : null;
        wIn = mlp ? new PackedWeight(p.m(prefix + "mlp.W_in")) : null;
        bIn = mlp ? p.m(prefix + "mlp.b_in") : null;
        wOut = mlp ? new PackedWeight(p.m(prefix + "mlp.W_out")) : null;
        bOut = mlp ? p.m(prefix + "mlp.b_out") : null;
    }

    /** Takes over the packing buffers of the same block of another model that is no longer used. */
    void adoptBuffers(LayerWeights other) {
        wqkv.adoptBuffers(other.wqkv);
        wo.adoptBuffers(other.wo);
        if (wIn != null) {
            wIn.adoptBuffers(other.wIn);
            wOut.adoptBuffers(other.wOut);
        }
    }

    /** Packs every weight matrix (and its transpose, with {@code transposed}). */
    void pack(boolean transposed) {
        wqkv.pack(transposed);
        wo.pack(transposed);
        if (wIn != null) {
            wIn.pack(transposed);
            wOut.pack(transposed);
        }
    }
}
