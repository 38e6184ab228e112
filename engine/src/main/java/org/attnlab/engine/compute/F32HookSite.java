// GENERATED from HookSite.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

import org.attnlab.engine.hooks.ActivationHook;
import org.attnlab.engine.hooks.HookPoint;
import org.ejml.data.FMatrixRMaj;

/**
 * Dispatches a pass's activations to the caller's hook with their TransformerLens shapes. A
 * forward pass without hooks pays one {@link #active()} check per hook point; callers hold their
 * {@link HookPoint}s precomputed, so firing allocates only the shape array.
 */
public final class F32HookSite {
    /** No hook: every fire is a no-op. */
    public static final F32HookSite NONE = new F32HookSite();
    private ActivationHook hook;
    private int b, t, h, e;

    /** A site without a hook; {@link #bind} attaches one. */
    F32HookSite() {
    }

    /**
     * Attaches {@code hook} for a pass of B sequences of T positions (H heads of E).
     *
     * @return this
     */
    F32HookSite bind(ActivationHook hook, int b, int t, int h, int e) {
        this.hook = hook;
        this.b = b;
        this.t = t;
        this.h = h;
        this.e = e;
        return this;
    }

    /** @return whether a hook is attached */
    public boolean active() {
        return hook != null;
    }

    /** Fires a (B*T, X) activation as [B, T, X], or as [B, T, H, E] at q, k, v, z ({@link HookPoint.Site#perHead}). */
    void fire(HookPoint point, FMatrixRMaj m) {
        if (hook == null) {
            return;
        }
        int[] shape = point.site().perHead() ? new int[] {b, t, h, e} : new int[] {b, t, m.numCols};
        int n = m.getNumElements();
        double[] seen = F32Reals.toHook(m.data, n);
        hook.apply(point, shape, seen);
        F32Reals.fromHook(seen, m.data, n);
    }

    /** Fires a [B, H, T, T] activation (scores or pattern) held flat. */
    void firePattern(HookPoint point, float[] data) {
        if (hook != null) {
            int n = b * h * t * t;
            double[] seen = F32Reals.toHook(data, n);
            hook.apply(point, new int[] {b, h, t, t}, seen);
            F32Reals.fromHook(seen, data, n);
        }
    }
}
