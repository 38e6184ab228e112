package org.attnlab.engine.attention;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.attnlab.engine.compute.AttentionFactory;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.ParamSpec;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;

/**
 * Everything an attention type ({@code attention_type}, docs/engine.md) declares, in one place:
 * the configurations it accepts, its parameters, its hooks, whether it has an attention pattern
 * and a recurrent form, its plain-loop reference forward and step-through stages, and its fast
 * forward/backward. The configuration holds its kernel ({@link TransformerConfig#attentionType()});
 * every consumer asks the kernel instead of branching on a type flag. A new type is its kernel
 * class(es), one registration in {@link AttentionKernels}, and its tests.
 *
 * <p>Implementations are stateless singletons. Shape letters: T positions of one sequence,
 * D d_model, H n_heads, E d_head.
 */
public interface AttentionKernel {
    /** @return the {@code attention_type} JSON value, e.g. {@code "softmax"} */
    String type();

    /** @return one line: what the type computes and its source, e.g. for error messages and docs */
    String description();

    /**
     * Refuses the configurations this type cannot compute. Called by the
     * {@link TransformerConfig} constructor once every other value is checked.
     *
     * @throws IllegalArgumentException naming the keys of a refused combination (e.g.
     *     {@code positional_embedding_type "alibi"} with {@code attention_type "linear"})
     */
    void validate(TransformerConfig c);

    /**
     * @return the attention parameters of one layer, named relative to {@code blocks.<l>.}
     *     (e.g. {@code attn.W_Q}), with file shape, init rule and layout, in specification order
     */
    List<ParamSpec> parameters(TransformerConfig c);

    /** @return the attention hook sites the type fires, in forward order (softmax: with hook_attn_scores) */
    Set<HookPoint.Site> hooks(TransformerConfig c);

    /**
     * @return whether {@code hook_pattern} is a T x T attention pattern with {@code z = pattern v}
     *     (views that read attention from it, e.g. induction scores, rely on this)
     */
    boolean hasPattern();

    /** @return the name of the step that turns scores into the pattern, as diagrams label it ("softmax") */
    String patternStep();

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
