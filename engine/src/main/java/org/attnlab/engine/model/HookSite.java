package org.attnlab.engine.model;

import org.attnlab.engine.hooks.ActivationHook;
import org.ejml.data.DMatrixRMaj;

/**
 * Dispatches activations to the caller's hooks with their TransformerLens shapes. A forward
 * pass without hooks pays one null check per hook point.
 */
final class HookSite {
    static final HookSite NONE = new HookSite(null, 0, 0, 0, 0);
    private final ActivationHook hook;
    private final int b, t, h, e;

    HookSite(ActivationHook hook, int b, int t, int h, int e) {
        this.hook = hook;
        this.b = b;
        this.t = t;
        this.h = h;
        this.e = e;
    }

    boolean active() {
        return hook != null;
    }

    /** Fires a (B*T, X) activation as [B, T, X], or [B, T, H, E] for q, k, v, z. */
    void fire(String name, DMatrixRMaj m) {
        if (hook == null) {
            return;
        }
        int[] shape;
        if (name.endsWith("hook_q") || name.endsWith("hook_k") || name.endsWith("hook_v") || name.endsWith("hook_z")) {
            shape = new int[] {b, t, h, e};
        } else {
            shape = new int[] {b, t, m.numCols};
        }
        hook.apply(name, shape, m.data);
    }

    /** Fires a [B, H, T, T] activation (scores or pattern) held flat. */
    void firePattern(String name, double[] data) {
        if (hook != null) {
            hook.apply(name, new int[] {b, h, t, t}, data);
        }
    }
}
