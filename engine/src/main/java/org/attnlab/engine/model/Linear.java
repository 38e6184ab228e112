package org.attnlab.engine.model;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * An affine map {@code y = x W + b} over rows (the unembedding, MLP projections, attention
 * projections), as a forward/backward pair on EJML matrices. Stateless: the caller keeps
 * {@code x} for the backward pass.
 */
final class Linear {
    private Linear() {
    }

    /**
     * {@code out = x W + b}.
     *
     * @param x   (N, IN) input rows, not modified
     * @param w   (IN, OUT) weight, not modified
     * @param b   (1, OUT) bias (any matrix with OUT elements), not modified
     * @param out (N, OUT) output, overwritten; must not alias {@code x} or {@code w}
     */
    static void forward(DMatrixRMaj x, DMatrixRMaj w, DMatrixRMaj b, DMatrixRMaj out) {
        CommonOps_DDRM.mult(x, w, out);
        addRowVector(out, b);
    }

    /**
     * In the forward pass this was {@code out = x W + b}, so now
     * {@code dW += x^T dout}, {@code db += sum over rows of dout}, {@code dx += dout W^T}.
     *
     * @param x    (N, IN) the forward input
     * @param w    (IN, OUT) the weight
     * @param dout (N, OUT) gradient of the output
     * @param dx   (N, IN) accumulated into, or {@code null} when not needed
     * @param dw   (IN, OUT) accumulated into
     * @param db   (1, OUT) accumulated into
     */
    static void backward(DMatrixRMaj x, DMatrixRMaj w, DMatrixRMaj dout, DMatrixRMaj dx, DMatrixRMaj dw,
                         DMatrixRMaj db) {
        CommonOps_DDRM.multAddTransA(x, dout, dw);
        addColumnSums(dout, db);
        if (dx != null) {
            CommonOps_DDRM.multAddTransB(dout, w, dx);
        }
    }

    /** {@code m[r, :] += v} for every row r; {@code v} holds {@code m.numCols} elements. */
    static void addRowVector(DMatrixRMaj m, DMatrixRMaj v) {
        int cols = m.numCols;
        double[] md = m.data, vd = v.data;
        for (int r = 0, idx = 0; r < m.numRows; r++) {
            for (int c = 0; c < cols; c++, idx++) {
                md[idx] += vd[c];
            }
        }
    }

    /** {@code acc[c] += sum_r m[r, c]}; {@code acc} holds {@code m.numCols} elements. */
    static void addColumnSums(DMatrixRMaj m, DMatrixRMaj acc) {
        int cols = m.numCols;
        double[] md = m.data, ad = acc.data;
        for (int r = 0, idx = 0; r < m.numRows; r++) {
            for (int c = 0; c < cols; c++, idx++) {
                ad[c] += md[idx];
            }
        }
    }
}
