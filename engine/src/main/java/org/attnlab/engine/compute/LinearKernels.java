package org.attnlab.engine.compute;

import org.ejml.data.DMatrixRMaj;

/**
 * The three products of a linear map's training step, {@code Y = X W}, {@code dW += X^T dY} and
 * {@code dX += dY W^T}, computed by the fast path's {@link MatMul} kernels exactly as a
 * {@link Linear} layer runs them (W packed each pass, {@code dY} packed once per product),
 * behind EJML-shaped calls. Internal to the engine's fast path: public only so that the tools
 * module's kernel benchmark ({@code attnlab-tools.jar bench --kernels}) can time the kernels
 * against EJML's {@code CommonOps_DDRM} on the same matrices; not an API.
 *
 * <p>Shapes: N rows, IN inputs, OUT outputs. One instance per thread (it holds a
 * {@link MatMul} workspace and the packed W); outputs never alias inputs.
 */
public final class LinearKernels {
    private final MatMul mm = new MatMul();
    private final PackedWeight w;

    /** @param w the weight W (IN, OUT); read at every call (packed again: the optimizer may change it) */
    public LinearKernels(DMatrixRMaj w) {
        this.w = new PackedWeight(w);
    }

    /**
     * {@code y += x W}: Y (N, OUT) += X (N, IN) W (IN, OUT), packing W first (forward).
     *
     * @param x (N, IN) read
     * @param y (N, OUT) modified
     */
    public void multAdd(DMatrixRMaj x, DMatrixRMaj y) {
        w.pack(false);
        mm.multAdd(x.data, 0, w.in, w.rows(), x.numRows, w.in, w.out, y.data, 0, w.out, MatMul.FULL);
    }

    /**
     * {@code dw += x^T dy}: dW (IN, OUT) += X^T (IN, N) dY (N, OUT) (the weight gradient).
     *
     * @param x  (N, IN) read
     * @param dy (N, OUT) read
     * @param dw (IN, OUT) modified
     */
    public void multAddTransA(DMatrixRMaj x, DMatrixRMaj dy, DMatrixRMaj dw) {
        int n = x.numRows, in = x.numCols, out = dy.numCols;
        mm.multAddTransA(x.data, 0, in, mm.packRows(dy.data, 0, out, n, out), in, n, out, dw.data, 0, out,
                MatMul.FULL);
    }

    /**
     * {@code dx += dy W^T}: dX (N, IN) += dY (N, OUT) W^T (OUT, IN), packing W^T first (the
     * input gradient).
     *
     * @param dy (N, OUT) read
     * @param dx (N, IN) modified
     */
    public void multAddTransB(DMatrixRMaj dy, DMatrixRMaj dx) {
        w.pack(true);
        mm.multAdd(dy.data, 0, w.out, w.rowsT(), dy.numRows, w.out, w.in, dx.data, 0, w.in, MatMul.FULL);
    }
}
