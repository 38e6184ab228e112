// GENERATED from PackedWeight.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

import org.ejml.data.FMatrixRMaj;

/**
 * A weight matrix W (IN, OUT) of a {@link F32Linear} map together with the packed copies the
 * {@link F32MatMul} kernels read: its rows ({@code x W}, forward) and the rows of W^T
 * ({@code dY W^T}, backward). W may be several parameters side by side (the attention's
 * {@code [W_Q | W_K | W_V]}, so that one multiply computes q, k and v). The copies are refreshed
 * by {@link #pack} at the start of every pass, since an optimizer changes W between passes, and
 * are shared read-only by all threads.
 */
final class F32PackedWeight {
    /** The live parameter (the first one when W is several side by side). */
    final FMatrixRMaj w;
    /** IN and OUT of the whole W. */
    final int in, out;
    private final FMatrixRMaj[] parts;
    private float[][] rows = new float[0][];
    private float[][] rowsT = new float[0][];

    /** @param parts matrices with the same number of rows, W = [parts[0] | parts[1] | ...] */
    F32PackedWeight(FMatrixRMaj... parts) {
        this.parts = parts.clone();
        this.w = parts[0];
        int o = 0;
        for (FMatrixRMaj p : parts) {
            if (p.numRows != w.numRows) {
                throw new IllegalArgumentException("side-by-side weights need the same number of rows");
            }
            o += p.numCols;
        }
        this.in = w.numRows;
        this.out = o;
    }

    /**
     * Takes over the packing buffers of {@code other} (a weight of the same shape in another
     * model that is no longer used), so the next {@link #pack} allocates nothing.
     */
    void adoptBuffers(F32PackedWeight other) {
        if (other != null && other.in == in && other.out == out) {
            rows = other.rows;
            rowsT = other.rowsT;
        }
    }

    /** A weight packed for both directions now (a convenience for one-off calls). */
    static F32PackedWeight packed(FMatrixRMaj w) {
        F32PackedWeight p = new F32PackedWeight(w);
        p.pack(true);
        return p;
    }

    /**
     * Copies W into {@link #rows()} and, with {@code transposed}, W^T into {@link #rowsT()}.
     */
    void pack(boolean transposed) {
        if (rows.length != in || (in > 0 && rows[0].length != out)) {
            rows = new float[in][out];
        }
        if (transposed && (rowsT.length != out || (out > 0 && rowsT[0].length != in))) {
            rowsT = new float[out][in];
        }
        int col = 0;
        for (FMatrixRMaj p : parts) {
            int o = p.numCols;
            float[] d = p.data;
            for (int i = 0; i < in; i++) {
                System.arraycopy(d, i * o, rows[i], col, o);
            }
            if (transposed) {
                for (int i = 0; i < in; i++) {
                    int r = i * o;
                    for (int j = 0; j < o; j++) {
                        rowsT[col + j][i] = d[r + j];
                    }
                }
            }
            col += o;
        }
    }

    /** @return W as IN packed rows of OUT, as of the last {@link #pack} */
    float[][] rows() {
        return rows;
    }

    /** @return W^T as OUT packed rows of IN, as of the last {@code pack(true)} */
    float[][] rowsT() {
        return rowsT;
    }
}
