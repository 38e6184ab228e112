package org.attnlab.engine.attention;

import java.util.List;
import java.util.Optional;
import org.attnlab.engine.compute.AttentionFactory;
import org.attnlab.engine.model.AttentionType;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;

/**
 * Everything an attention type ({@code attention_type}, docs/engine.md) declares, in one place:
 * from {@link AttentionType} the configurations it accepts, its parameters, its hooks and
 * whether it has an attention pattern; here its recurrent form, its plain-loop reference forward
 * and step-through stages, and its fast forward/backward. The configuration holds the type
 * ({@link TransformerConfig#attentionType()}); {@link AttentionKernels#of} gives its kernel, and
 * every consumer asks the kernel instead of branching on a type flag. A new type is its kernel
 * class(es), one line in {@code META-INF/services/org.attnlab.engine.model.AttentionType}, and
 * its tests.
 *
 * <p>Implementations are stateless singletons. Shape letters: T positions of one sequence,
 * D d_model, H n_heads, E d_head.
 */
public interface AttentionKernel extends AttentionType {
    /**
     * @return the recurrent form of this type under {@code c} (constant state per token), if it
     *     has one there
     */
    Optional<Recurrence> recurrence(TransformerConfig c);

    /**
     * The attention sublayer of layer {@code layer} for one sequence, in plain loops over
     * {@code double[]} (the reference path: independent of the fast path, float64).
     *
     * @param aIn [T][D] the sublayer's input (LN1 of the stream under pre-LN)
     * @return every intermediate, and the output [T][D] before the residual add
     */
    ReferenceAttention reference(Parameters p, int layer, double[][] aIn);

    /**
     * The step-through stages of the attention part between v and z for one head and query
     * position (from the dot products to the pattern), built from a {@link #reference} result.
     *
     * @param positions a label per position, T of them
     */
    List<AttentionStage> stages(TransformerConfig c, ReferenceAttention a, int head, int query,
                                List<String> positions);

    /** @return the fast path's view of this type for {@code c}: its weights and per-thread computes */
    AttentionFactory fastPath(TransformerConfig c);
}
