// GENERATED from Linear.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

import org.ejml.data.FMatrixRMaj;

/**
 * An affine map {@code y = x W + b} over rows (the unembedding, MLP projections, attention
 * projections), as a forward/backward pair on EJML matrices. Stateless: the caller keeps
 * {@code x} for the backward pass and passes the thread's {@link F32MatMul} workspace and the
 * weight packed for it ({@link F32PackedWeight}).
 */
final class F32Linear {
    private F32Linear() {
    }

    /** {@code out = x W + b} on a fresh workspace (a convenience for one-off calls). */
    static void forward(FMatrixRMaj x, FMatrixRMaj w, FMatrixRMaj b, FMatrixRMaj out) {
        forward(new F32MatMul(), x, F32PackedWeight.packed(w), b, out);
    }

    /** The backward pass on a fresh workspace (a convenience for one-off calls). */
    static void backward(FMatrixRMaj x, FMatrixRMaj w, FMatrixRMaj dout, FMatrixRMaj dx, FMatrixRMaj dw,
                         FMatrixRMaj db) {
        backward(new F32MatMul(), x, F32PackedWeight.packed(w), dout, dx, dw, db);
    }

    /**
     * {@code out = x W + b}. x is (N, IN), W (IN, OUT) packed beforehand
     * ({@link F32PackedWeight#pack}), b has OUT elements, out is (N, OUT).
     *
     * @param out overwritten (reshaped to (N, OUT)); must not alias {@code x}
     */
    static void forward(F32MatMul mm, FMatrixRMaj x, F32PackedWeight pw, FMatrixRMaj b, FMatrixRMaj out) {
        int n = x.numRows, in = pw.in, o = pw.out;
        if (x.numCols != in) {
            throw new IllegalArgumentException("x has " + x.numCols + " columns, W has " + in + " rows");
        }
        out.reshape(n, o);
        fillRows(out, b);                                             // (N, OUT) = b per row
        mm.multAdd(x.data, 0, in, pw.rows(), n, in, o, out.data, 0, o, F32MatMul.FULL);   // += x W
    }

    /**
     * In the forward pass this was {@code out = x W + b}, so now
     * {@code dW += x^T dout}, {@code db += sum over rows of dout}, {@code dx += dout W^T}
     * (W^T packed beforehand, {@code pack(true)}).
     *
     * @param x    (N, IN) the forward input
     * @param pw   (IN, OUT) the weight
     * @param dout (N, OUT) gradient of the output
     * @param dx   (N, IN) accumulated into, or {@code null} when not needed
     * @param dw   (IN, OUT) accumulated into
     * @param db   (1, OUT) accumulated into
     */
    static void backward(F32MatMul mm, FMatrixRMaj x, F32PackedWeight pw, FMatrixRMaj dout, FMatrixRMaj dx,
                         FMatrixRMaj dw, FMatrixRMaj db) {
        int n = x.numRows, in = pw.in, o = pw.out;
        mm.addColumnSums(dout.data, 0, o, n, o, db.data);            // db += column sums of dout
        float[][] dp = mm.packRows(dout.data, 0, o, n, o);           // dout as N packed rows
        mm.multAddTransA(x.data, 0, in, dp, in, n, o, dw.data, 0, o, F32MatMul.FULL);   // dW += x^T dout
        if (dx != null) {
            mm.multAdd(dout.data, 0, o, pw.rowsT(), n, o, in, dx.data, 0, in, F32MatMul.FULL);  // dx += dout W^T
        }
    }

    /** {@code m[r, :] = v} for every row r; {@code v} holds {@code m.numCols} elements. */
    static void fillRows(FMatrixRMaj m, FMatrixRMaj v) {
        int cols = m.numCols;
        for (int r = 0; r < m.numRows; r++) {
            System.arraycopy(v.data, 0, m.data, r * cols, cols);
        }
    }
}
