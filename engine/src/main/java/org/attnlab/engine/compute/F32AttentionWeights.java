// GENERATED from AttentionWeights.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

/**
 * One layer's attention parameters (or their gradients) as an {@link F32AttentionCompute} reads
 * them: looked up by name once per model, weight matrices packed for the kernels. Shared
 * read-only by every thread's compute of that layer.
 */
public interface F32AttentionWeights {
    /** Refreshes the packed copies from the live parameters ({@link Weights#pack}). */
    void pack(boolean transposed);

    /** Takes over the packing buffers of the same layer of another model that is no longer used. */
    void adoptBuffers(F32AttentionWeights other);
}
