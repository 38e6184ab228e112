package org.attnlab.engine.compute;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The float32 side of the fast path's boundary conversions (see {@link Reals}, whose methods
 * these mirror one for one): values from the float64 world are rounded to the nearest float,
 * values handed back to it are widened exactly. Hand-written, not generated.
 */
final class F32Reals {
    private F32Reals() {
    }

    /** @return {@code x} rounded to float */
    static float of(double x) {
        return (float) x;
    }

    /** @return a new float copy of {@code table}, each entry rounded */
    static float[] of(double[] table) {
        if (table == null) {
            return null;
        }
        float[] out = new float[table.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) table[i];
        }
        return out;
    }

    /**
     * The data a hook sees: a float64 copy of the first {@code n} activations (hooks are for
     * inspection and interventions, not the training loop, so the copy's allocation is
     * acceptable there).
     */
    static double[] toHook(float[] data, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = data[i];
        }
        return out;
    }

    /** Copies what a hook wrote into its float64 copy back into the activations (an intervention). */
    static void fromHook(double[] seen, float[] data, int n) {
        for (int i = 0; i < n; i++) {
            data[i] = (float) seen[i];
        }
    }

    /**
     * @param scratch reshaped and overwritten
     * @return {@code scratch}, holding {@code m} widened to float64
     */
    static DMatrixRMaj widen(FMatrixRMaj m, DMatrixRMaj scratch) {
        scratch.reshape(m.numRows, m.numCols);
        int n = m.getNumElements();
        float[] s = m.data;
        double[] d = scratch.data;
        for (int i = 0; i < n; i++) {
            d[i] = s[i];
        }
        return scratch;
    }

    /**
     * @param scratch reshaped and overwritten
     * @return {@code scratch}, holding {@code m} rounded to float
     */
    static FMatrixRMaj narrow(DMatrixRMaj m, FMatrixRMaj scratch) {
        scratch.reshape(m.numRows, m.numCols);
        int n = m.getNumElements();
        double[] s = m.data;
        float[] d = scratch.data;
        for (int i = 0; i < n; i++) {
            d[i] = (float) s[i];
        }
        return scratch;
    }
}
