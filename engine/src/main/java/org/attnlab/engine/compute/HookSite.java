package org.attnlab.engine.compute;

import org.attnlab.engine.hooks.ActivationHook;
import org.attnlab.engine.hooks.HookPoint;
import org.ejml.data.DMatrixRMaj;

/**
 * Dispatches a pass's activations to the caller's hook with their TransformerLens shapes. A
 * forward pass without hooks pays one {@link #active()} check per hook point; callers hold their
 * {@link HookPoint}s precomputed, so firing allocates only the shape array.
 */
public final class HookSite {
    /** No hook: every fire is a no-op. */
    public static final HookSite NONE = new HookSite();
    private ActivationHook hook;
    private int b, t, h, e;

    /** A site without a hook; {@link #bind} attaches one. */
    HookSite() {
    }

    /**
     * Attaches {@code hook} for a pass of B sequences of T positions (H heads of E).
     *
     * @return this
     */
    HookSite bind(ActivationHook hook, int b, int t, int h, int e) {
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
    void fire(HookPoint point, DMatrixRMaj m) {
        if (hook == null) {
            return;
        }
        int[] shape = point.site().perHead() ? new int[] {b, t, h, e} : new int[] {b, t, m.numCols};
        int n = m.getNumElements();
        double[] seen = Reals.toHook(m.data, n); //@keep
        hook.apply(point, shape, seen);
        Reals.fromHook(seen, m.data, n);
    }

    /** Fires a [B, H, T, T] activation (scores or pattern) held flat. */
    void firePattern(HookPoint point, double[] data) {
        if (hook != null) {
            int n = b * h * t * t;
            double[] seen = Reals.toHook(data, n); //@keep
            hook.apply(point, new int[] {b, h, t, t}, seen);
            Reals.fromHook(seen, data, n);
        }
    }
}
