// GENERATED from LayerNorm.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

import org.ejml.data.FMatrixRMaj;

/**
 * F32LayerNorm over the last dimension (Ba, Kiros, Hinton 2016), with biased variance as in
 * PyTorch: {@code out = (x - mean) / sqrt(var + eps) * w + b}. One instance per use site; it
 * saves the normalized input {@code xhat} and {@code rstd = 1 / sqrt(var + eps)} for backward.
 */
final class F32LayerNorm {
    private final float eps;
    /** (N, D) normalized input saved by forward. */
    final FMatrixRMaj xhat = new FMatrixRMaj(1, 1);
    /** (N) reciprocal standard deviation per row saved by forward. */
    float[] rstd = new float[1];
    private float[] rowA = new float[0], rowB = new float[0], rowC = new float[0];

    F32LayerNorm(float eps) {
        this.eps = eps;
    }

    /**
     * @param x   (N, D) input, not modified
     * @param w   (1, D) scale
     * @param b   (1, D) bias
     * @param out (N, D) output, overwritten; must not alias {@code x}
     */
    void forward(FMatrixRMaj x, FMatrixRMaj w, FMatrixRMaj b, FMatrixRMaj out) {
        int n = x.numRows, d = x.numCols;
        xhat.reshape(n, d);
        out.reshape(n, d);
        if (rstd.length < n) {
            rstd = new float[n];
        }
        ensureRows(d);
        float[] xd = x.data, hd = xhat.data, od = out.data, wd = w.data, bd = b.data;
        float[] xr = rowA, hr = rowB, or = rowC;    // one row at index 0: the JIT vectorizes c loops
        for (int r = 0; r < n; r++) {
            int off = r * d;
            System.arraycopy(xd, off, xr, 0, d);
            float mean = 0;
            for (int c = 0; c < d; c++) {
                mean += xr[c];
            }
            mean /= d;
            float var = 0;
            for (int c = 0; c < d; c++) {
                float t = xr[c] - mean;
                var += t * t;
            }
            var /= d;
            float rs = 1.0f / (float) Math.sqrt(var + eps);
            rstd[r] = rs;
            for (int c = 0; c < d; c++) {
                float h = (xr[c] - mean) * rs;
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
    void backward(FMatrixRMaj dout, FMatrixRMaj w, FMatrixRMaj dx, FMatrixRMaj dw, FMatrixRMaj db) {
        int n = dout.numRows, d = dout.numCols;
        ensureRows(d);
        float[] gd = dout.data, hd = xhat.data, wd = w.data, dxd = dx.data, dwd = dw.data, dbd = db.data;
        float[] gr = rowA, hr = rowB, xr = rowC;
        for (int r = 0; r < n; r++) {
            int off = r * d;
            System.arraycopy(gd, off, gr, 0, d);
            System.arraycopy(hd, off, hr, 0, d);
            float meanG = 0, meanGh = 0;
            for (int c = 0; c < d; c++) {
                float g = gr[c] * wd[c];
                meanG += g;
                meanGh += g * hr[c];
            }
            for (int c = 0; c < d; c++) {
                dwd[c] += gr[c] * hr[c];
                dbd[c] += gr[c];
            }
            meanG /= d;
            meanGh /= d;
            float rs = rstd[r];
            System.arraycopy(dxd, off, xr, 0, d);
            for (int c = 0; c < d; c++) {
                xr[c] += rs * (gr[c] * wd[c] - meanG - hr[c] * meanGh);
            }
            System.arraycopy(xr, 0, dxd, off, d);
        }
    }

    private void ensureRows(int d) {
        if (rowA.length < d) {
            rowA = new float[d];
            rowB = new float[d];
            rowC = new float[d];
        }
    }
}
