package org.attnlab.engine.compute;

/**
 * What an attention kernel gives the fast path ({@code AttentionKernel.fastPath}): its weights
 * per model and its compute per thread and layer, in both precisions. A kernel writes its
 * compute and weights once, as float64 templates ({@code SoftmaxAttentionCompute},
 * {@code QkvWeights}); their float32 twins are generated ({@code F32SoftmaxAttentionCompute},
 * {@code F32QkvWeights}, see {@code tools.codegen.Float32Twins}), and the float32 methods here
 * return those. The overloads are chosen by the argument types, so the generated shards call
 * the float32 ones with the same text the float64 shards use.
 */
public interface AttentionFactory {
    /**
     * @param p     parameters (or gradients) of the kernel's configuration
     * @param layer the block, 0-based (under weight sharing every layer resolves block 0's)
     * @return the layer's attention weights, looked up once
     */
    AttentionWeights weights(ParamView p, int layer);

    /**
     * @param layer the block the compute belongs to (names its hooks)
     * @param pos   the model's position tables, shared read-only
     * @param mm    the thread's matrix-multiply workspace
     * @return a new compute for one thread
     */
    AttentionCompute compute(int layer, Positions pos, MatMul mm);

    /** {@link #weights(ParamView, int)} for the float32 fast path. */
    F32AttentionWeights weights(F32ParamView p, int layer);

    /** {@link #compute(int, Positions, MatMul)} for the float32 fast path. */
    F32AttentionCompute compute(int layer, F32Positions pos, F32MatMul mm);
}
