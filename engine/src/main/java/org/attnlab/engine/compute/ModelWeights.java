package org.attnlab.engine.compute;

import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.DMatrixRMaj;

/**
 * Every parameter (or gradient) of a model as the float64 shards read it, looked up by name
 * once: the embeddings, one {@link LayerWeights} per block, the final LayerNorm and the
 * unembedding. Parameters the configuration does not have are {@code null}. Under weight
 * sharing every entry of {@link #layers} is the same object (block 0's), so the gradients of
 * all layers accumulate into its one set of buffers and it is packed once per pass.
 */
final class ModelWeights implements Weights {
    final DMatrixRMaj wE, wPos, lnfW, lnfB, bU;
    final PackedWeight wU;
    final LayerWeights[] layers;
    private final LayerWeights[] distinct;
    private final ParamView view;

    ModelWeights(ParamView p, AttentionFactory attention) {
        view = p;
        TransformerConfig c = p.config();
        wE = p.m("embed.W_E");
        wPos = c.positionalEmbeddingType() == TransformerConfig.PositionalEmbedding.STANDARD
                ? p.m("pos_embed.W_pos") : null;
        distinct = new LayerWeights[c.parameterLayers()];
        for (int l = 0; l < distinct.length; l++) {
            distinct[l] = new LayerWeights(p, l, attention);
        }
        layers = new LayerWeights[c.nLayers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = distinct[c.weightSharing() ? 0 : l];
        }
        lnfW = c.hasFinalLayerNorm() ? p.m("ln_final.w") : null;
        lnfB = c.hasFinalLayerNorm() ? p.m("ln_final.b") : null;
        wU = new PackedWeight(p.m("unembed.W_U"));
        bU = p.m("unembed.b_U");
    }

    @Override
    public void adoptBuffers(Weights other) {
        ModelWeights o = (ModelWeights) other;
        for (int l = 0; l < distinct.length && l < o.distinct.length; l++) {
            distinct[l].adoptBuffers(o.distinct[l]);
        }
        wU.adoptBuffers(o.wU);
    }

    @Override
    public void pack(boolean transposed) {
        view.load();
        for (LayerWeights l : distinct) {
            l.pack(transposed);
        }
        wU.pack(transposed);
    }

    /** Before a backward pass accumulates into these gradients ({@link ParamView#beginGradients}). */
    void beginGradients() {
        view.beginGradients();
    }

    /** After a backward pass accumulated into these gradients ({@link ParamView#endGradients}). */
    void endGradients() {
        view.endGradients();
    }
}
