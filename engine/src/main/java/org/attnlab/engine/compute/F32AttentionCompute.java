// GENERATED from AttentionCompute.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

import org.ejml.data.FMatrixRMaj;

/**
 * One layer's attention sublayer on one thread: a forward/backward pair that keeps what its
 * backward needs. Made by the configuration's attention kernel ({@link AttentionFactory});
 * {@link F32Block} asks it for its output and does not know which type it is.
 *
 * <p>Shapes: N = B*T rows, D = d_model.
 */
public interface F32AttentionCompute {
    /**
     * Computes the sublayer's output and fires its hooks.
     *
     * @param aIn   (N, D) input rows, kept by reference until {@link #backward}
     * @param w     this layer's weights, packed for this pass
     * @param out   (N, D) overwritten with the output ({@code hook_attn_out} before the residual add)
     * @param hooks where the attention hooks go
     */
    void forward(FMatrixRMaj aIn, int b, int t, F32AttentionWeights w, FMatrixRMaj out, F32HookSite hooks);

    /**
     * Backward of the last {@link #forward}: accumulates into {@code daIn} and {@code g}.
     *
     * @param aIn  (N, D) the forward input
     * @param w    the weights, packed for both directions
     * @param dOut (N, D) gradient of the output
     * @param daIn (N, D) accumulated into
     * @param g    the gradients of this layer's attention weights, accumulated into
     */
    void backward(FMatrixRMaj aIn, F32AttentionWeights w, FMatrixRMaj dOut, FMatrixRMaj daIn, F32AttentionWeights g);
}
