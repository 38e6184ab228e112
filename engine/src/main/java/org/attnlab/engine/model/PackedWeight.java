package org.attnlab.engine.model;

import org.ejml.data.DMatrixRMaj;

/**
 * A weight matrix W (IN, OUT) of a {@link Linear} map together with the packed copies the
 * {@link MatMul} kernels read: its rows ({@code x W}, forward) and the rows of W^T
 * ({@code dY W^T}, backward). The copies are refreshed by {@link #pack} at the start of every
 * pass, since an optimizer changes W between passes, and shared read-only by all threads.
 */
final class PackedWeight {
    /** The live parameter, (IN, OUT). */
    final DMatrixRMaj w;
    private double[][] rows = new double[0][];
    private double[][] rowsT = new double[0][];

    PackedWeight(DMatrixRMaj w) {
        this.w = w;
    }

    /** A weight packed for both directions now (a convenience for one-off calls). */
    static PackedWeight packed(DMatrixRMaj w) {
        PackedWeight p = new PackedWeight(w);
        p.pack(true);
        return p;
    }

    /**
     * Copies W into {@link #rows()} and, with {@code transposed}, W^T into {@link #rowsT()}.
     */
    void pack(boolean transposed) {
        int in = w.numRows, out = w.numCols;
        double[] d = w.data;
        if (rows.length != in || (in > 0 && rows[0].length != out)) {
            rows = new double[in][out];
        }
        for (int i = 0; i < in; i++) {
            System.arraycopy(d, i * out, rows[i], 0, out);
        }
        if (transposed) {
            if (rowsT.length != out || (out > 0 && rowsT[0].length != in)) {
                rowsT = new double[out][in];
            }
            for (int i = 0; i < in; i++) {
                int o = i * out;
                for (int j = 0; j < out; j++) {
                    rowsT[j][i] = d[o + j];
                }
            }
        }
    }

    /** @return W as IN packed rows of OUT, as of the last {@link #pack} */
    double[][] rows() {
        return rows;
    }

    /** @return W^T as OUT packed rows of IN, as of the last {@code pack(true)} */
    double[][] rowsT() {
        return rowsT;
    }
}
