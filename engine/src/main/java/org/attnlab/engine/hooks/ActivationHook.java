package org.attnlab.engine.hooks;

/**
 * Called by the forward pass each time it computes an activation with a hook name of the
 * engine specification (engine.md), as TransformerLens's {@code HookPoint}s are. A hook may read
 * the activation, copy it (see {@link ActivationCache}) or change it in place (an intervention:
 * ablation, activation patching); later layers then see the changed values.
 */
@FunctionalInterface
public interface ActivationHook {
    /**
     * @param name  the hook name, e.g. {@code blocks.0.attn.hook_pattern}
     * @param shape the activation's shape in TransformerLens layout, e.g. {@code [B, H, T, T]}
     * @param data  the live buffer, row-major in that layout; only the first
     *              {@code product(shape)} entries belong to the activation
     */
    void apply(String name, int[] shape, double[] data);
}
