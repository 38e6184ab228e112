package org.attnlab.engine.hooks;

/**
 * Called by the forward pass each time it computes an activation at a {@link HookPoint} of the
 * engine specification (docs/engine.md, "Forward pass"), as TransformerLens's {@code HookPoint}s
 * are. A hook may read the activation, copy it (see {@link ActivationCache}) or change it in
 * place (an intervention: ablation, activation patching); later layers then see the changed
 * values.
 */
@FunctionalInterface
public interface ActivationHook {
    /**
     * @param point where the activation was computed, e.g. {@code HookPoint.of(0, Site.ATTN_PATTERN)}
     * @param shape the activation's shape in TransformerLens layout, e.g. {@code [B, H, T, T]}
     * @param data  the live buffer, row-major in that layout; only the first
     *              {@code product(shape)} entries belong to the activation
     */
    void apply(HookPoint point, int[] shape, double[] data);
}
