package org.attnlab.engine.inspect;

import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;

/**
 * Small readers and kernels the inspection classes share: one row of a cached activation,
 * one head's slice of a weight, LayerNorm, softmax. Plain loops over {@code double[]}, written
 * for readability: the models inspected here are tiny and one sequence long.
 */
final class Weights {
    private Weights() {
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

    /** @return the vector parameter {@code name} ({@code [n]}) as a new array */
    static double[] vector(Parameters p, String name) {
        return p.get(name).toFileOrder();
    }

    /** @return row {@code r} of the 2-D parameter {@code name} ({@code [R, C]}) */
    static double[] matrixRow(Parameters p, String name, int r) {
        org.ejml.data.DMatrixRMaj m = p.m(name);
        double[] out = new double[m.numCols];
        System.arraycopy(m.data, r * m.numCols, out, 0, m.numCols);
        return out;
    }

    /** @return column {@code c} of the 2-D parameter {@code name} ({@code [R, C]}), e.g. W_U[:, c] */
    static double[] matrixColumn(Parameters p, String name, int c) {
        org.ejml.data.DMatrixRMaj m = p.m(name);
        double[] out = new double[m.numRows];
        for (int r = 0; r < m.numRows; r++) {
            out[r] = m.data[r * m.numCols + c];
        }
        return out;
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
        return matrixRow(p, name, h);
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

    /** @return x W + b for a 2-D parameter W {@code [R, C]} and bias b {@code [C]} */
    static double[] affine(double[] x, Parameters p, String w, String b) {
        org.ejml.data.DMatrixRMaj m = p.m(w);
        double[] out = vector(p, b);
        for (int r = 0; r < m.numRows; r++) {
            for (int j = 0; j < m.numCols; j++) {
                out[j] += x[r] * m.data[r * m.numCols + j];
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

    /** @return the Euclidean norm of x */
    static double norm(double[] x) {
        return Math.sqrt(dot(x, x));
    }

    /** @return a + b (new array) */
    static double[] add(double[] a, double[] b) {
        double[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += b[i];
        }
        return out;
    }

    /** @return x minus its mean (new array) */
    static double[] centered(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double[] out = x.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] -= mean;
        }
        return out;
    }

    /** @return {@code sqrt(var(x) + eps)}, the LayerNorm scale (biased variance) */
    static double lnScale(double[] x, double eps) {
        double[] c = centered(x);
        return Math.sqrt(dot(c, c) / x.length + eps);
    }

    /** @return {@code (x - mean) / sqrt(var + eps) * w + b} (Ba et al. 2016; PyTorch's biased variance) */
    static double[] layerNorm(double[] x, double[] w, double[] b, double eps) {
        double[] c = centered(x);
        double s = lnScale(x, eps);
        for (int i = 0; i < c.length; i++) {
            c[i] = c[i] / s * w[i] + b[i];
        }
        return c;
    }

    /** LayerNorm with the weights {@code prefix.w} and {@code prefix.b} of {@code p}. */
    static double[] layerNorm(double[] x, Parameters p, String prefix) {
        return layerNorm(x, vector(p, prefix + ".w"), vector(p, prefix + ".b"), p.config().eps());
    }

    /** @return softmax of x; {@code -inf} entries get probability 0 */
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

    /** @return the logits a point x of the residual stream gives: {@code ln_final(x) W_U + b_U} (no ln_final without one) */
    static double[] unembed(double[] x, Parameters p) {
        TransformerConfig c = p.config();
        double[] y = c.hasFinalLayerNorm() ? layerNorm(x, p, "ln_final") : x;
        return affine(y, p, "unembed.W_U", "unembed.b_U");
    }
}
