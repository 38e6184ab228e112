package org.attnlab.engine.attention;

import java.util.Locale;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;

/**
 * The plain loops of the reference path (the kernels' reference forward passes, the
 * step-through, the logit lens and direct logit attribution): one row or head's slice of a
 * parameter, a row vector times a matrix, LayerNorm, softmax. Loops over {@code double[]} in
 * float64, written for readability: the reference path runs one short sequence, and it is
 * independent of the fast path ({@code org.attnlab.engine.compute}) so that each checks the
 * other (docs/engine.md, "Forward pass").
 */
public final class ReferenceMath {
    private ReferenceMath() {
    }

    /** @return the vector parameter {@code name} ({@code [n]}) as a new array */
    public static double[] vector(Parameters p, String name) {
        return p.get(name).toFileOrder();
    }

    /** @return row {@code r} of the 2-D parameter {@code name} ({@code [R, C]}) */
    public static double[] matrixRow(Parameters p, String name, int r) {
        org.ejml.data.DMatrixRMaj m = p.m(name);
        double[] out = new double[m.numCols];
        System.arraycopy(m.data, r * m.numCols, out, 0, m.numCols);
        return out;
    }

    /** @return column {@code c} of the 2-D parameter {@code name} ({@code [R, C]}), e.g. W_U[:, c] */
    public static double[] matrixColumn(Parameters p, String name, int c) {
        org.ejml.data.DMatrixRMaj m = p.m(name);
        double[] out = new double[m.numRows];
        for (int r = 0; r < m.numRows; r++) {
            out[r] = m.data[r * m.numCols + c];
        }
        return out;
    }

    /** @return {@code W[h]} of a {@code [H, D, E]} weight (W_Q, W_K, W_V) as D rows of E */
    public static double[][] headIn(Parameters p, String name, int h) {
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
    public static double[][] headOut(Parameters p, String name, int h) {
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
    public static double[] headBias(Parameters p, String name, int h) {
        return matrixRow(p, name, h);
    }

    /** @return the row vector x (length R) times the R x C matrix m */
    public static double[] times(double[] x, double[][] m) {
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
    public static double[] affine(double[] x, Parameters p, String w, String b) {
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
    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** @return the Euclidean norm of x */
    public static double norm(double[] x) {
        return Math.sqrt(dot(x, x));
    }

    /** @return a + b (new array) */
    public static double[] add(double[] a, double[] b) {
        double[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += b[i];
        }
        return out;
    }

    /** @return x minus its mean (new array) */
    public static double[] centered(double[] x) {
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
    public static double lnScale(double[] x, double eps) {
        double[] c = centered(x);
        return Math.sqrt(dot(c, c) / x.length + eps);
    }

    /** @return {@code (x - mean) / sqrt(var + eps) * w + b} (Ba et al. 2016; PyTorch's biased variance) */
    public static double[] layerNorm(double[] x, double[] w, double[] b, double eps) {
        double[] c = centered(x);
        double s = lnScale(x, eps);
        for (int i = 0; i < c.length; i++) {
            c[i] = c[i] / s * w[i] + b[i];
        }
        return c;
    }

    /** LayerNorm with the weights {@code prefix.w} and {@code prefix.b} of {@code p}. */
    public static double[] layerNorm(double[] x, Parameters p, String prefix) {
        return layerNorm(x, vector(p, prefix + ".w"), vector(p, prefix + ".b"), p.config().eps());
    }

    /** @return softmax of x; {@code -inf} entries get probability 0 */
    public static double[] softmax(double[] x) {
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
    public static double[] unembed(double[] x, Parameters p) {
        TransformerConfig c = p.config();
        double[] y = c.hasFinalLayerNorm() ? layerNorm(x, p, "ln_final") : x;
        return affine(y, p, "unembed.W_U", "unembed.b_U");
    }

    /** @return the index of the largest entry (the first on ties) */
    public static int argmax(double[] x) {
        int b = 0;
        for (int k = 1; k < x.length; k++) {
            if (x[k] > x[b]) {
                b = k;
            }
        }
        return b;
    }

    /** @return x with three decimals, as the step-through prints numbers */
    public static String fmt(double x) {
        return String.format(Locale.ROOT, "%.3f", x);
    }
}
