package org.attnlab.engine.model;

import java.util.List;
import java.util.Set;
import org.attnlab.engine.hooks.HookPoint;

/**
 * What the configuration and the parameters need to know of an attention type
 * ({@code attention_type}, docs/engine.md): its name, the combinations it refuses, its
 * parameters and the hooks it fires. A configuration holds one
 * ({@link TransformerConfig#attentionType()}); {@link AttentionTypes} finds them.
 *
 * <p>This is the low half of an attention kernel: the full kernel
 * ({@code org.attnlab.engine.attention.AttentionKernel}, which extends this interface) adds its
 * reference forward, step-through stages, recurrent form and fast path, which need packages
 * above this one ({@code compute}). Splitting the two keeps {@code model} at the bottom of the
 * engine: the configuration does not depend on the code that computes attention. Every
 * registered type is such a kernel; implementations are stateless and registered once, in
 * {@code META-INF/services/org.attnlab.engine.model.AttentionType}.
 *
 * <p>Shape letters: T positions, D d_model, H n_heads, E d_head.
 */
public interface AttentionType {
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
     * @param c the model's configuration (its direction and positional encoding)
     * @return the name of the step that compares queries with keys, as diagrams label it (softmax
     *     attention: "q\u00b7k, scale, mask")
     */
    String scoresStep(TransformerConfig c);
}
