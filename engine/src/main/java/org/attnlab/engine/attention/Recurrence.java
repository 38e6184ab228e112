package org.attnlab.engine.attention;

import java.util.List;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.model.TransformerConfig;

/**
 * The recurrent form of an attention type (constant memory per token, as an RNN): what
 * {@link AttentionKernel#recurrence} returns when a configuration has one, e.g. causal linear
 * attention ({@link LinearAttentionRecurrence}). It is checked against the engine's parallel
 * form on the same tokens.
 */
public interface Recurrence {
    /** The recurrence after reading one position. */
    interface Step {
        /** @return the position t */
        int t();

        /** @return the recurrent output z_t of the head, [E] */
        double[] output();
    }

    /** One head of one layer on one sequence, both ways. */
    interface Trace {
        /** @return l */
        int layer();

        /** @return h */
        int head();

        /** @return one step per position, [T] */
        List<? extends Step> steps();

        /** @return the engine's parallel-form hook_z of the head, [T*E] */
        double[] parallel();

        /** @return max over t and e of |recurrent - parallel| */
        double maxAbsDifference();
    }

    /**
     * Runs the recurrence for head {@code (layer, head)} on the q, k and v of one forward pass of
     * the engine (the parallel form) over one sequence, and compares it with that pass's
     * {@code hook_z}. The caller runs the engine, e.g.
     * {@code Transformer.forThread(params).runWithCache(tokens, 1, tokens.length)}: this package
     * lies below the transformer.
     *
     * @param c       the configuration of the model that ran
     * @param forward the pass's activations, batch 1 (hook_q etc. [1, T, H, E])
     * @throws IllegalArgumentException if the model does not have this recurrent form, the layer
     *     or head does not exist, or {@code forward} is not one sequence's pass with the attention hooks
     */
    Trace run(TransformerConfig c, ActivationCache forward, int layer, int head);

    /** @return the numbers the recurrence keeps per head, whatever the position */
    long stateSize(TransformerConfig c);
}
