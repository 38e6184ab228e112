package org.attnlab.engine.compute;

import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.DMatrixRMaj;

/**
 * The parameters (or gradients) of one transformer block, looked up by name once: the
 * LayerNorms, the attention kernel's weights ({@link AttentionWeights}) and the MLP. Weight
 * matrices of linear maps are {@link PackedWeight}s (packed only when they are parameters);
 * parameters the configuration does not have are {@code null}. Under weight sharing every layer
 * resolves block 0's tensors ({@code Parameters.blockPrefix}).
 */
final class LayerWeights {
    final AttentionWeights attn;
    final PackedWeight wIn, wOut;
    final DMatrixRMaj bIn, bOut, ln1w, ln1b, ln2w, ln2b;

    LayerWeights(ParamView p, int layer, AttentionFactory attention) {
        TransformerConfig c = p.config();
        String prefix = p.blockPrefix(layer);
        attn = attention.weights(p, layer);
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
        attn.adoptBuffers(other.attn);
        if (wIn != null) {
            wIn.adoptBuffers(other.wIn);
            wOut.adoptBuffers(other.wOut);
        }
    }

    /** Packs every weight matrix (and its transpose, with {@code transposed}). */
    void pack(boolean transposed) {
        attn.pack(transposed);
        if (wIn != null) {
            wIn.pack(transposed);
            wOut.pack(transposed);
        }
    }
}
