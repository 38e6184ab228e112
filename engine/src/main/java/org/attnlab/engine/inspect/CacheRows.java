package org.attnlab.engine.inspect;

import org.attnlab.engine.attention.ReferenceMath;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.HookPoint;

/**
 * Rows of cached activations of one sequence, as the inspection classes read them; the plain
 * loops over parameters they share with the kernels' reference path are {@link ReferenceMath}.
 */
final class CacheRows {
    private CacheRows() {
    }

    /** @return row {@code i} (length D) of a {@code [1, T, D]} activation */
    static double[] row(ActivationCache.Activation a, int i) {
        int[] s = a.shape();
        int d = s[s.length - 1];
        double[] out = new double[d];
        System.arraycopy(a.data(), i * d, out, 0, d);
        return out;
    }

    /** @return {@code [1, T, X]} activation {@code name} as T rows of X */
    static double[][] rows(ActivationCache cache, HookPoint name) {
        ActivationCache.Activation a = cache.get(name);
        int[] s = a.shape();
        if (s.length != 3 || s[0] != 1) {
            throw new IllegalArgumentException(name + " must have shape [1, T, X] (one sequence), got "
                    + java.util.Arrays.toString(s));
        }
        double[][] out = new double[s[1]][];
        for (int i = 0; i < s[1]; i++) {
            out[i] = row(a, i);
        }
        return out;
    }
}
