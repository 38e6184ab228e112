package org.attnlab.engine.attention;

import java.util.Locale;
import org.attnlab.engine.model.Parameters;

/**
 * The plain loops the kernels' reference forward passes use: one head's slice of a weight, a
 * row vector times a matrix, dot products, softmax. Written for readability (the reference path
 * runs one short sequence) and independent of the fast path.
 */
final class Loops {
    private Loops() {
    }

    /** @return the vector parameter {@code name} ({@code [n]}) as a new array */
    static double[] vector(Parameters p, String name) {
        return p.get(name).toFileOrder();
    }

    /** @return {@code W[h]} of a {@code [H, D, E]} weight (W_Q, W_K, W_V) as D rows of E */
    static double[][] headIn(Parameters p, String name, int h) {
        int[] s = p.get(name).shape();
        double[] f = p.get(name).toFileOrder();
        int d = s[1], e = s[2];
        double[][] out = new double[d][e];
        for (int i = 0; i < d; i++) {
            System.arraycopy(f, (h * d + i) * e, out[i], 0, e);
        }
        return out;
    }

    /** @return {@code W_O[h]} of a {@code [H, E, D]} weight as E rows of D */
    static double[][] headOut(Parameters p, String name, int h) {
        int[] s = p.get(name).shape();
        double[] f = p.get(name).toFileOrder();
        int e = s[1], d = s[2];
        double[][] out = new double[e][d];
        for (int i = 0; i < e; i++) {
            System.arraycopy(f, (h * e + i) * d, out[i], 0, d);
        }
        return out;
    }

    /** @return {@code b[h]} of a {@code [H, E]} bias */
    static double[] headBias(Parameters p, String name, int h) {
        int[] s = p.get(name).shape();
        double[] f = p.get(name).toFileOrder();
        double[] out = new double[s[1]];
        System.arraycopy(f, h * s[1], out, 0, s[1]);
        return out;
    }

    /** @return the row vector x (length R) times the R x C matrix m */
    static double[] times(double[] x, double[][] m) {
        int c = m.length == 0 ? 0 : m[0].length;
        double[] out = new double[c];
        for (int r = 0; r < m.length; r++) {
            for (int j = 0; j < c; j++) {
                out[j] += x[r] * m[r][j];
            }
        }
        return out;
    }

    /** @return a · b */
    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** @return a + b (new array) */
    static double[] add(double[] a, double[] b) {
        double[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += b[i];
        }
        return out;
    }

    /** @return softmax of x; -inf entries get 0 */
    static double[] softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double[] out = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(x[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    /** @return the index of the largest entry (the first on ties) */
    static int argmax(double[] x) {
        int b = 0;
        for (int k = 1; k < x.length; k++) {
            if (x[k] > x[b]) {
                b = k;
            }
        }
        return b;
    }

    /** @return x with three decimals, as the step-through prints numbers */
    static String fmt(double x) {
        return String.format(Locale.ROOT, "%.3f", x);
    }
}
