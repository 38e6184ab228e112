package org.attnlab.engine.compute;

import org.ejml.data.DMatrixRMaj;

/**
 * LayerNorm over the last dimension (Ba, Kiros, Hinton 2016), with biased variance as in
 * PyTorch: {@code out = (x - mean) / sqrt(var + eps) * w + b}. One instance per use site; it
 * saves the normalized input {@code xhat} and {@code rstd = 1 / sqrt(var + eps)} for backward.
 */
final class LayerNorm {
    private final double eps;
    /** (N, D) normalized input saved by forward. */
    final DMatrixRMaj xhat = new DMatrixRMaj(1, 1);
    /** (N) reciprocal standard deviation per row saved by forward. */
    double[] rstd = new double[1];
    private double[] rowA = new double[0], rowB = new double[0], rowC = new double[0];

    LayerNorm(double eps) {
        this.eps = eps;
    }

    /**
     * @param x   (N, D) input, not modified
     * @param w   (1, D) scale
     * @param b   (1, D) bias
     * @param out (N, D) output, overwritten; must not alias {@code x}
     */
    void forward(DMatrixRMaj x, DMatrixRMaj w, DMatrixRMaj b, DMatrixRMaj out) {
        int n = x.numRows, d = x.numCols;
        xhat.reshape(n, d);
        out.reshape(n, d);
        if (rstd.length < n) {
            rstd = new double[n];
        }
        ensureRows(d);
        double[] xd = x.data, hd = xhat.data, od = out.data, wd = w.data, bd = b.data;
        double[] xr = rowA, hr = rowB, or = rowC;    // one row at index 0: the JIT vectorizes c loops
        for (int r = 0; r < n; r++) {
            int off = r * d;
            System.arraycopy(xd, off, xr, 0, d);
            double mean = sum(xr, d, 0.0, false) / d;
            double var = sum(xr, d, mean, true) / d;
            double rs = 1.0 / Math.sqrt(var + eps);
            rstd[r] = rs;
            for (int c = 0; c < d; c++) {
                double h = (xr[c] - mean) * rs;
                hr[c] = h;
                or[c] = h * wd[c] + bd[c];
            }
            System.arraycopy(hr, 0, hd, off, d);
            System.arraycopy(or, 0, od, off, d);
        }
    }

    /**
     * In the forward pass this was {@code out = xhat * w + b} with {@code xhat = (x - mean) * rstd},
     * so now {@code dw += sum dout * xhat}, {@code db += sum dout}, and with
     * {@code g = dout * w}: {@code dx += rstd * (g - mean(g) - xhat * mean(g * xhat))}.
     *
     * @param dout (N, D) gradient of the output
     * @param w    (1, D) scale
     * @param dx   (N, D) accumulated into
     * @param dw   (1, D) accumulated into
     * @param db   (1, D) accumulated into
     */
    void backward(DMatrixRMaj dout, DMatrixRMaj w, DMatrixRMaj dx, DMatrixRMaj dw, DMatrixRMaj db) {
        int n = dout.numRows, d = dout.numCols;
        ensureRows(d);
        double[] gd = dout.data, hd = xhat.data, wd = w.data, dxd = dx.data, dwd = dw.data, dbd = db.data;
        double[] gr = rowA, hr = rowB, xr = rowC;
        for (int r = 0; r < n; r++) {
            int off = r * d;
            System.arraycopy(gd, off, gr, 0, d);
            System.arraycopy(hd, off, hr, 0, d);
            // sum g and g xhat in 4 interleaved partial sums each, as sum() does
            double g0 = 0, g1 = 0, g2 = 0, g3 = 0, h0 = 0, h1 = 0, h2 = 0, h3 = 0;
            int c4 = 0;
            for (; c4 + 3 < d; c4 += 4) {
                double ga = gr[c4] * wd[c4], gb = gr[c4 + 1] * wd[c4 + 1];
                double gc = gr[c4 + 2] * wd[c4 + 2], ge = gr[c4 + 3] * wd[c4 + 3];
                g0 += ga;
                g1 += gb;
                g2 += gc;
                g3 += ge;
                h0 += ga * hr[c4];
                h1 += gb * hr[c4 + 1];
                h2 += gc * hr[c4 + 2];
                h3 += ge * hr[c4 + 3];
            }
            for (; c4 < d; c4++) {
                double g = gr[c4] * wd[c4];
                g0 += g;
                h0 += g * hr[c4];
            }
            double meanG = (g0 + g1) + (g2 + g3), meanGh = (h0 + h1) + (h2 + h3);
            for (int c = 0; c < d; c++) {
                dwd[c] += gr[c] * hr[c];
                dbd[c] += gr[c];
            }
            meanG /= d;
            meanGh /= d;
            double rs = rstd[r];
            System.arraycopy(dxd, off, xr, 0, d);
            for (int c = 0; c < d; c++) {
                xr[c] += rs * (gr[c] * wd[c] - meanG - hr[c] * meanGh);
            }
            System.arraycopy(xr, 0, dxd, off, d);
        }
    }

    /**
     * {@code sum_c x[c]} (or {@code sum_c (x[c] - mean)^2} when {@code squares}) over c &lt; d, in
     * 4 interleaved partial sums, {@code ((s0 + s1) + (s2 + s3))}: a sum is a chain of dependent
     * adds, so 4 chains run about 4 times faster than one; the order is fixed, so results are
     * deterministic.
     */
    private static double sum(double[] x, int d, double mean, boolean squares) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int c = 0;
        if (squares) {
            for (; c + 3 < d; c += 4) {
                double t0 = x[c] - mean, t1 = x[c + 1] - mean, t2 = x[c + 2] - mean, t3 = x[c + 3] - mean;
                s0 += t0 * t0;
                s1 += t1 * t1;
                s2 += t2 * t2;
                s3 += t3 * t3;
            }
            for (; c < d; c++) {
                double t = x[c] - mean;
                s0 += t * t;
            }
        } else {
            for (; c + 3 < d; c += 4) {
                s0 += x[c];
                s1 += x[c + 1];
                s2 += x[c + 2];
                s3 += x[c + 3];
            }
            for (; c < d; c++) {
                s0 += x[c];
            }
        }
        return (s0 + s1) + (s2 + s3);
    }

    private void ensureRows(int d) {
        if (rowA.length < d) {
            rowA = new double[d];
            rowB = new double[d];
            rowC = new double[d];
        }
    }
}
