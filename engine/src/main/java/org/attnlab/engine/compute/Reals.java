package org.attnlab.engine.compute;

import org.ejml.data.DMatrixRMaj;

/**
 * The float64 side of the fast path's boundary conversions: every method is the identity (or a
 * no-op). The float64 templates call these where a value crosses between the engine's float64
 * world (configuration, parameters, hooks, logits handed back) and the precision the template
 * computes in; {@link F32Reals} has the same methods for the generated float32 twins, where
 * they convert. Internal to the fast path.
 */
final class Reals {
    private Reals() {
    }

    /** @return {@code x} (a configuration value, e.g. LayerNorm's eps) */
    static double of(double x) {
        return x;
    }

    /** @return {@code table} itself (a precomputed float64 table) */
    static double[] of(double[] table) {
        return table;
    }

    /**
     * The data a hook sees: float64 activations as they are.
     *
     * @param n the number of elements the hook's shape covers
     * @return {@code data} itself
     */
    static double[] toHook(double[] data, int n) {
        return data;
    }

    /** Copies a hook's changes back: nothing to do when the hook saw {@code data} itself. */
    static void fromHook(double[] seen, double[] data, int n) {
    }

    /** @return {@code m} itself (the logits handed back are the shard's own buffer) */
    static DMatrixRMaj widen(DMatrixRMaj m, DMatrixRMaj scratch) {
        return m;
    }

    /** @return {@code m} itself (float64 input needs no conversion) */
    static DMatrixRMaj narrow(DMatrixRMaj m, DMatrixRMaj scratch) {
        return m;
    }
}
