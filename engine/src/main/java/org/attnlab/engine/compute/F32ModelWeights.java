// GENERATED from ModelWeights.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.FMatrixRMaj;

/**
 * Every parameter (or gradient) of a model as the float32 shards read it, looked up by name
 * once: the embeddings, one {@link F32LayerWeights} per block, the final F32LayerNorm and the
 * unembedding. Parameters the configuration does not have are {@code null}. Under weight
 * sharing every entry of {@link #layers} is the same object (block 0's), so the gradients of
 * all layers accumulate into its one set of buffers and it is packed once per pass.
 */
final class F32ModelWeights implements Weights {
    final FMatrixRMaj wE, wPos, lnfW, lnfB, bU;
    final F32PackedWeight wU;
    final F32LayerWeights[] layers;
    private final F32LayerWeights[] distinct;
    private final F32ParamView view;

    F32ModelWeights(F32ParamView p, AttentionFactory attention) {
        view = p;
        TransformerConfig c = p.config();
        wE = p.m("embed.W_E");
        wPos = c.positionalEmbeddingType() == TransformerConfig.PositionalEmbedding.STANDARD
                ? p.m("pos_embed.W_pos") : null;
        distinct = new F32LayerWeights[c.parameterLayers()];
        for (int l = 0; l < distinct.length; l++) {
            distinct[l] = new F32LayerWeights(p, l, attention);
        }
        layers = new F32LayerWeights[c.nLayers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = distinct[c.weightSharing() ? 0 : l];
        }
        lnfW = c.hasFinalLayerNorm() ? p.m("ln_final.w") : null;
        lnfB = c.hasFinalLayerNorm() ? p.m("ln_final.b") : null;
        wU = new F32PackedWeight(p.m("unembed.W_U"));
        bU = p.m("unembed.b_U");
    }

    @Override
    public void adoptBuffers(Weights other) {
        F32ModelWeights o = (F32ModelWeights) other;
        for (int l = 0; l < distinct.length && l < o.distinct.length; l++) {
            distinct[l].adoptBuffers(o.distinct[l]);
        }
        wU.adoptBuffers(o.wU);
    }

    @Override
    public void pack(boolean transposed) {
        view.load();
        for (F32LayerWeights l : distinct) {
            l.pack(transposed);
        }
        wU.pack(transposed);
    }

    /** Before a backward pass accumulates into these gradients ({@link F32ParamView#beginGradients}). */
    void beginGradients() {
        view.beginGradients();
    }

    /** After a backward pass accumulated into these gradients ({@link F32ParamView#endGradients}). */
    void endGradients() {
        view.endGradients();
    }
}
