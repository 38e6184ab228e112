package org.attnlab.engine.compute;

/**
 * A model's parameters (or gradients) as one {@link Precision} reads them: every tensor looked up
 * by name once, weight matrices packed for the kernels. Made by {@link Precision#weights} (the
 * parameters, packed every pass) or {@link Precision#gradients} (accumulated into, never packed).
 */
public interface Weights {
    /**
     * Refreshes the packed copies from the live parameters (an optimizer changes them between
     * passes): the forward direction, and with {@code transposed} the backward one too. Called on
     * one thread before a pass; the shards then read the copies concurrently.
     */
    void pack(boolean transposed);

    /**
     * Takes over the packing buffers of {@code other} (the weights of another model of the same
     * configuration that is no longer used), so the next {@link #pack} allocates nothing.
     */
    void adoptBuffers(Weights other);
}
