package org.attnlab.engine.compute;

import org.attnlab.engine.model.Parameters;

/**
 * What an attention kernel gives the fast path ({@code AttentionKernel.fastPath}): its weights
 * per model and its compute per thread and layer.
 */
public interface AttentionFactory {
    /**
     * @param p     parameters (or gradients) of the kernel's configuration
     * @param layer the block, 0-based (under weight sharing every layer resolves block 0's)
     * @return the layer's attention weights, looked up once
     */
    AttentionWeights weights(Parameters p, int layer);

    /**
     * @param layer the block the compute belongs to (names its hooks)
     * @param pos   the model's position tables, shared read-only
     * @param mm    the thread's matrix-multiply workspace
     * @return a new compute for one thread
     */
    AttentionCompute compute(int layer, Positions pos, MatMul mm);
}
