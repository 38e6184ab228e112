package org.attnlab.engine.compute;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;

/**
 * Finite-difference gradient checking for the hand-written backward passes.
 *
 * <p>The numerical derivative is the fourth-order central difference
 * {@code (-f(x+2h) + 8 f(x+h) - 8 f(x-h) + f(x-2h)) / (12 h)}, whose truncation error is
 * O(h^4): it lets the relative tolerance of 1e-5 hold even for entries whose gradient is
 * small (a second-order difference needs h ~ 1e-5 and is then limited by round-off to an
 * absolute accuracy of about 1e-10, too coarse for gradients below ~1e-5). Entries where the
 * objective's "regime" (e.g. the signs of ReLU pre-activations) changes inside the stencil are
 * skipped: the function is not differentiable across such a kink.
 */
final class GradCheck {
    /** Relative-error tolerance: |num - ana| / max(FLOOR, |num| + |ana|). */
    static final double TOL = 1e-5;
    static final double FLOOR = 1e-6;

    private final String label;
    private final double h;
    private final boolean fourthOrder;
    private final double tol, floor;
    private final List<String> failures = new ArrayList<>();
    private double worst;
    private String worstWhere = "-";
    private double worstSignificant;
    private int checked;
    private int skipped;

    /** A fourth-order check with step {@code h}. */
    GradCheck(String label, double h) {
        this(label, h, true);
    }

    /**
     * @param fourthOrder false for the plain second-order central difference
     *                    {@code (f(x+h) - f(x-h)) / (2h)}
     */
    GradCheck(String label, double h, boolean fourthOrder) {
        this(label, h, fourthOrder, TOL, FLOOR);
    }

    /**
     * A check with its own tolerance: {@code |num - ana| / max(floor, |num| + |ana|) < tol}. For
     * the float32 engine, whose loss carries round-off of about 1e-7, so that a difference with
     * step h is exact to about 1e-7 / h only.
     */
    GradCheck(String label, double h, boolean fourthOrder, double tol, double floor) {
        this.label = label;
        this.h = h;
        this.fourthOrder = fourthOrder;
        this.tol = tol;
        this.floor = floor;
    }

    /** Relative error of the brief: |num - ana| / max(1e-6, |num| + |ana|). */
    static double relErr(double num, double ana) {
        return Math.abs(num - ana) / Math.max(FLOOR, Math.abs(num) + Math.abs(ana));
    }

    /**
     * Checks {@code analytic[i]} against the numerical derivative of {@code f} with respect to
     * {@code x[i]} for every {@code i} of {@code indices}. {@code x} is perturbed in place and
     * restored.
     *
     * @param regime called right after each evaluation of {@code f}; when its value differs
     *               from the one at the unperturbed point, the entry is skipped (may be null)
     */
    void check(String name, double[] x, double[] analytic, int[] indices, DoubleSupplier f, Supplier<?> regime) {
        Object base = null;
        if (regime != null) {
            f.getAsDouble();
            base = regime.get();
        }
        for (int i : indices) {
            double x0 = x[i];
            double[] steps = fourthOrder ? new double[] {2 * h, h, -h, -2 * h} : new double[] {h, -h};
            double[] vals = new double[steps.length];
            boolean kink = false;
            for (int s = 0; s < steps.length; s++) {
                x[i] = x0 + steps[s];
                vals[s] = f.getAsDouble();
                if (regime != null && !deepEquals(base, regime.get())) {
                    kink = true;
                }
            }
            x[i] = x0;
            if (kink) {
                skipped++;
                continue;
            }
            double num = fourthOrder ? (-vals[0] + 8 * vals[1] - 8 * vals[2] + vals[3]) / (12 * h)
                    : (vals[0] - vals[1]) / (2 * h);
            double ana = analytic[i];
            double err = Math.abs(num - ana) / Math.max(floor, Math.abs(num) + Math.abs(ana));
            checked++;
            if (!(err <= worst)) {
                worst = err;
                worstWhere = name + "[" + i + "] num=" + num + " ana=" + ana;
            }
            if (Math.abs(num) + Math.abs(ana) > 1e-4 && err > worstSignificant) {
                worstSignificant = err;
            }
            if (!(err < tol)) {
                failures.add(String.format("%s: %s[%d] numerical %.12g analytic %.12g rel err %.3e",
                        label, name, i, num, ana, err));
            }
        }
        if (regime != null) {
            f.getAsDouble();  // leave the state of the unperturbed point behind
        }
    }

    /** Checks every entry. */
    void checkAll(String name, double[] x, int size, double[] analytic, DoubleSupplier f, Supplier<?> regime) {
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        check(name, x, analytic, idx, f, regime);
    }

    private static boolean deepEquals(Object a, Object b) {
        return Objects.deepEquals(a, b);
    }

    double worst() {
        return worst;
    }

    /** @return the worst relative error among entries with |num| + |ana| > 1e-4 */
    double worstSignificant() {
        return worstSignificant;
    }

    String worstWhere() {
        return worstWhere;
    }

    int checked() {
        return checked;
    }

    int skipped() {
        return skipped;
    }

    List<String> failures() {
        return failures;
    }

    /** @return a one-line summary */
    String summary() {
        return String.format("%-55s checked %5d skipped %3d worst rel err %.2e at %s", label, checked, skipped,
                worst, worstWhere);
    }

    // ---- random helpers

    static DMatrixRMaj randn(Random rnd, int rows, int cols, double scale) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = scale * rnd.nextGaussian();
        }
        return m;
    }

    static void fillRandn(Random rnd, DMatrixRMaj m, double scale) {
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = scale * rnd.nextGaussian();
        }
    }

    /** @return up to {@code k} distinct indices in [0, n), all of them when n <= k, sorted */
    static int[] sample(Random rnd, int n, int k) {
        if (n <= k) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = Arrays.copyOf(perm, k);
        Arrays.sort(out);
        return out;
    }

    /** @return sum(out * r) over the first out.getNumElements() entries */
    static double dot(DMatrixRMaj out, DMatrixRMaj r) {
        double s = 0;
        int n = out.getNumElements();
        for (int i = 0; i < n; i++) {
            s += out.data[i] * r.data[i];
        }
        return s;
    }

    /** @return signs (as a boolean array) of the first n entries of a, x > 0 */
    static boolean[] positive(double[] a, int n) {
        boolean[] s = new boolean[n];
        for (int i = 0; i < n; i++) {
            s[i] = a[i] > 0;
        }
        return s;
    }

    static double[] copyOf(DMatrixRMaj m) {
        return Arrays.copyOf(m.data, m.getNumElements());
    }
}
