package org.attnlab.engine.compute;

import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;

/**
 * The number type the fast path computes activations in. Only float64 exists; a float32 engine
 * (the next issue) adds a constant whose shards and weights are generated from the float64 ones.
 * Whatever the precision, parameters, gradients, the optimizer, hooks and the reference path
 * are float64: a precision converts when it packs the weights ({@link Weights#pack}), when it
 * fires a hook and when it hands back logits. The attention kernel comes in as an
 * {@link AttentionFactory}, so this package knows no attention type.
 */
public enum Precision {
    /** IEEE double precision: the engine of docs/engine.md, checked against PyTorch to 1e-7. */
    F64;

    /**
     * @param attention the configuration's attention kernel as the fast path uses it
     *                  ({@code AttentionKernel.fastPath})
     * @return {@code params} as this precision's shards read them (packed each pass)
     */
    public Weights weights(Parameters params, AttentionFactory attention) {
        return new ModelWeights(params, attention);
    }

    /** @return {@code grads} as this precision's shards accumulate into them */
    public Weights gradients(Parameters grads, AttentionFactory attention) {
        return new ModelWeights(grads, attention);
    }

    /**
     * @param n         how many shards (one per thread)
     * @param attention the configuration's attention kernel as the fast path uses it
     * @return {@code n} shards for models of configuration {@code c}, sharing one set of
     *     read-only position tables
     */
    public Shard[] shards(TransformerConfig c, int n, AttentionFactory attention) {
        Positions pos = new Positions(c);
        Shard[] out = new Shard[n];
        for (int i = 0; i < n; i++) {
            out[i] = new F64Shard(c, pos, attention);
        }
        return out;
    }
}
