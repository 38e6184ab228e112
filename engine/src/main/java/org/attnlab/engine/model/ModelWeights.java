package org.attnlab.engine.model;

import org.ejml.data.DMatrixRMaj;

/**
 * Every parameter (or gradient) of a model, looked up by name once: the embeddings, one
 * {@link LayerWeights} per block, the final LayerNorm and the unembedding. Parameters the
 * configuration does not have are {@code null}.
 */
final class ModelWeights {
    final DMatrixRMaj wE, wPos, lnfW, lnfB, bU;
    final PackedWeight wU;
    final LayerWeights[] layers;

    ModelWeights(Parameters p) {
        TransformerConfig c = p.config();
        wE = p.m("embed.W_E");
        wPos = c.positionalEmbeddingType() == TransformerConfig.PositionalEmbedding.STANDARD
                ? p.m("pos_embed.W_pos") : null;
        layers = new LayerWeights[c.nLayers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new LayerWeights(p, "blocks." + l + ".", c);
        }
        lnfW = c.hasFinalLayerNorm() ? p.m("ln_final.w") : null;
        lnfB = c.hasFinalLayerNorm() ? p.m("ln_final.b") : null;
        wU = new PackedWeight(p.m("unembed.W_U"));
        bU = p.m("unembed.b_U");
    }

    /** Packs every weight matrix (and its transpose, with {@code transposed}). */
    /** Takes over the packing buffers of another model of the same configuration that is no longer used. */
    void adoptBuffers(ModelWeights other) {
        for (int l = 0; l < layers.length && l < other.layers.length; l++) {
            layers[l].adoptBuffers(other.layers[l]);
        }
        wU.adoptBuffers(other.wU);
    }

    void pack(boolean transposed) {
        for (LayerWeights l : layers) {
            l.pack(transposed);
        }
        wU.pack(transposed);
    }
}
