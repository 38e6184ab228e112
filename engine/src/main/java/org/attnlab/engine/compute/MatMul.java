package org.attnlab.engine.compute;

import java.util.Arrays;

/**
 * The engine's matrix-multiply kernels on the {@code double[]} storage of EJML matrices, plus
 * the packing they need. One instance per thread: it owns scratch rows and one packing buffer.
 *
 * <p>Why not {@code CommonOps_DDRM.mult}: on JDK 17 the JIT vectorizes a loop only when every
 * array it stores to and loads from is indexed by the same expression ({@code s[j] += a * b[j]},
 * not {@code c[ci + j] += a * b[bi + j]}, because two offsets into arrays that might be the
 * same object could overlap). EJML's kernels index rows by offset, so they run scalar (about
 * 3 GFLOP/s here). These kernels keep two output rows in scratch arrays and read the right-hand
 * matrix as packed rows ({@code b[p][j]}, each row its own array), so the inner loop is
 * {@code s0[j] += a00 b0[j] + ... ; s1[j] += ...}: 2 rows x 4 inner-products per pass, which the
 * JIT turns into AVX-512/AVX2 fused multiply-adds (about 20-25 GFLOP/s per core measured, see
 * the bench command). Summation order is fixed by the loop order, so results are deterministic.
 *
 * <p>With the JDK's Vector API present ({@link Simd#ENABLED}) both kernels hand the work to the
 * register-blocked {@link SimdMatMul}, which sums in the same order.
 *
 * <p>Both kernels accumulate ({@code C += ...}); callers zero or bias-fill {@code C} first.
 * Outputs never alias inputs. Internal to the engine's fast path (public only so that an
 * attention kernel can hand one to the compute it creates).
 */
public final class MatMul {
    /** No causal limit. */
    static final int FULL = 0;
    /** Row i of C only needs columns j &lt;= i (a causal score matrix). */
    static final int LOWER_N = 1;
    /** Row i of C only needs inner index p &lt;= i (A is lower triangular, e.g. a causal pattern). */
    static final int LOWER_K = 2;
    /** Row i of C only needs inner index p &gt;= i (X^T with X lower triangular). */
    static final int UPPER_K = 3;

    private double[] s0 = new double[16], s1 = new double[16];
    private double[][] pack = new double[0][];
    private double[] panelA = new double[0], panelB = new double[0], tile = new double[0];

    /** A workspace for one thread. */
    public MatMul() {
    }

    /**
     * {@code c[cOff + i*ldc + j] += sum_p a[aOff + i*lda + p] * b[p][j]} for i &lt; m, j &lt; n,
     * p &lt; k: C (m, n) += A (m, k) B (k, n), with B given as packed rows.
     *
     * @param limit {@link #FULL}, {@link #LOWER_N} or {@link #LOWER_K}; with a limit, entries
     *              past the limit may be computed for the second row of a pair (j or p = i + 1),
     *              so the caller's masked entries there must be finite
     */
    void multAdd(double[] a, int aOff, int lda, double[][] b, int m, int k, int n, double[] c, int cOff, int ldc,
                 int limit) {
        if (Simd.ENABLED && n >= Simd.MIN_COLUMNS) {
            SimdMatMul.multAdd(a, aOff, lda, 1, b, m, k, n, c, cOff, ldc, limit, this);
        } else {
            scalarMultAdd(a, aOff, lda, b, m, k, n, c, cOff, ldc, limit);
        }
    }

    /** {@link #multAdd} without the Vector API: the same sums in the same order. */
    void scalarMultAdd(double[] a, int aOff, int lda, double[][] b, int m, int k, int n, double[] c, int cOff,
                       int ldc, int limit) {
        ensureScratch(n);
        double[] s0 = this.s0, s1 = this.s1;
        int i = 0;
        for (; i + 1 < m; i += 2) {
            int j1 = limit == LOWER_N ? Math.min(n, i + 2) : n;
            int k1 = limit == LOWER_K ? Math.min(k, i + 2) : k;
            int c0 = cOff + i * ldc, c1 = c0 + ldc;
            System.arraycopy(c, c0, s0, 0, j1);
            System.arraycopy(c, c1, s1, 0, j1);
            int r0 = aOff + i * lda, r1 = r0 + lda;
            int p = 0;
            for (; p + 3 < k1; p += 4) {
                double a00 = a[r0 + p], a01 = a[r0 + p + 1], a02 = a[r0 + p + 2], a03 = a[r0 + p + 3];
                double a10 = a[r1 + p], a11 = a[r1 + p + 1], a12 = a[r1 + p + 2], a13 = a[r1 + p + 3];
                double[] b0 = b[p], b1 = b[p + 1], b2 = b[p + 2], b3 = b[p + 3];
                for (int j = 0; j < j1; j++) {
                    double x0 = b0[j], x1 = b1[j], x2 = b2[j], x3 = b3[j];
                    s0[j] = Math.fma(a03, x3, Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, s0[j]))));
                    s1[j] = Math.fma(a13, x3, Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, s1[j]))));
                }
            }
            for (; p < k1; p++) {
                double a00 = a[r0 + p], a10 = a[r1 + p];
                double[] b0 = b[p];
                for (int j = 0; j < j1; j++) {
                    double x0 = b0[j];
                    s0[j] = Math.fma(a00, x0, s0[j]);
                    s1[j] = Math.fma(a10, x0, s1[j]);
                }
            }
            System.arraycopy(s0, 0, c, c0, j1);
            System.arraycopy(s1, 0, c, c1, j1);
        }
        if (i < m) {
            int j1 = limit == LOWER_N ? Math.min(n, i + 1) : n;
            int k1 = limit == LOWER_K ? Math.min(k, i + 1) : k;
            int c0 = cOff + i * ldc, r0 = aOff + i * lda;
            System.arraycopy(c, c0, s0, 0, j1);
            for (int p = 0; p < k1; p++) {
                double a00 = a[r0 + p];
                double[] b0 = b[p];
                for (int j = 0; j < j1; j++) {
                    s0[j] = Math.fma(a00, b0[j], s0[j]);
                }
            }
            System.arraycopy(s0, 0, c, c0, j1);
        }
    }

    /**
     * {@code c[cOff + i*ldc + j] += sum_p x[xOff + p*ldx + i] * b[p][j]} for i &lt; m, j &lt; n,
     * p &lt; k: C (m, n) += X^T B with X (k, m) row-major (stride ldx) and B (k, n) packed rows.
     * This is {@code dW += X^T dY} with X the layer input and B the packed output gradient.
     *
     * @param limit {@link #FULL} or {@link #UPPER_K} (only p &gt;= i; X[p][i+1] for p = i
     *              must then be finite)
     */
    void multAddTransA(double[] x, int xOff, int ldx, double[][] b, int m, int k, int n, double[] c, int cOff,
                       int ldc, int limit) {
        if (Simd.ENABLED && n >= Simd.MIN_COLUMNS) {
            SimdMatMul.multAdd(x, xOff, 1, ldx, b, m, k, n, c, cOff, ldc, limit, this);
        } else {
            scalarMultAddTransA(x, xOff, ldx, b, m, k, n, c, cOff, ldc, limit);
        }
    }

    /** {@link #multAddTransA} without the Vector API: the same sums in the same order. */
    void scalarMultAddTransA(double[] x, int xOff, int ldx, double[][] b, int m, int k, int n, double[] c, int cOff,
                             int ldc, int limit) {
        ensureScratch(n);
        double[] s0 = this.s0, s1 = this.s1;
        int i = 0;
        for (; i + 1 < m; i += 2) {
            int k0 = limit == UPPER_K ? Math.min(i, k) : 0;
            int c0 = cOff + i * ldc, c1 = c0 + ldc;
            System.arraycopy(c, c0, s0, 0, n);
            System.arraycopy(c, c1, s1, 0, n);
            int p = k0;
            for (; p + 3 < k; p += 4) {
                int r = xOff + p * ldx + i;
                double a00 = x[r], a10 = x[r + 1], a01 = x[r + ldx], a11 = x[r + ldx + 1];
                double a02 = x[r + 2 * ldx], a12 = x[r + 2 * ldx + 1], a03 = x[r + 3 * ldx], a13 = x[r + 3 * ldx + 1];
                double[] b0 = b[p], b1 = b[p + 1], b2 = b[p + 2], b3 = b[p + 3];
                for (int j = 0; j < n; j++) {
                    double x0 = b0[j], x1 = b1[j], x2 = b2[j], x3 = b3[j];
                    s0[j] = Math.fma(a03, x3, Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, s0[j]))));
                    s1[j] = Math.fma(a13, x3, Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, s1[j]))));
                }
            }
            for (; p < k; p++) {
                int r = xOff + p * ldx + i;
                double a00 = x[r], a10 = x[r + 1];
                double[] b0 = b[p];
                for (int j = 0; j < n; j++) {
                    double x0 = b0[j];
                    s0[j] = Math.fma(a00, x0, s0[j]);
                    s1[j] = Math.fma(a10, x0, s1[j]);
                }
            }
            System.arraycopy(s0, 0, c, c0, n);
            System.arraycopy(s1, 0, c, c1, n);
        }
        if (i < m) {
            int k0 = limit == UPPER_K ? Math.min(i, k) : 0;
            int c0 = cOff + i * ldc;
            System.arraycopy(c, c0, s0, 0, n);
            for (int p = k0; p < k; p++) {
                double a00 = x[xOff + p * ldx + i];
                double[] b0 = b[p];
                for (int j = 0; j < n; j++) {
                    s0[j] = Math.fma(a00, b0[j], s0[j]);
                }
            }
            System.arraycopy(s0, 0, c, c0, n);
        }
    }

    /**
     * {@code acc[j] += sum_r m[off + r*ld + j]} for j &lt; cols: column sums, row by row (the
     * bias gradient of a linear map).
     */
    void addColumnSums(double[] m, int off, int ld, int rows, int cols, double[] acc) {
        ensureScratch(cols);
        double[] s = s0;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(m, off + r * ld, s, 0, cols);
            for (int j = 0; j < cols; j++) {
                acc[j] += s[j];
            }
        }
    }

    /**
     * Packs {@code rows} rows of {@code cols} values, {@code src[off + r*ld + j]}, into the
     * packing buffer as {@code pack[r][j]}.
     *
     * @return the packing buffer, valid until the next pack call on this instance
     */
    double[][] packRows(double[] src, int off, int ld, int rows, int cols) {
        double[][] p = ensurePack(rows, cols);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, off + r * ld, p[r], 0, cols);
        }
        return p;
    }

    /**
     * Packs the transpose of a (rows, cols) block, {@code src[off + r*ld + j]}, as
     * {@code pack[j][r]} (cols packed rows of length rows).
     *
     * @return the packing buffer, valid until the next pack call on this instance
     */
    double[][] packTransposed(double[] src, int off, int ld, int rows, int cols) {
        double[][] p = ensurePack(cols, rows);
        for (int r = 0; r < rows; r++) {
            int o = off + r * ld;
            for (int j = 0; j < cols; j++) {
                p[j][r] = src[o + j];
            }
        }
        return p;
    }

    private double[][] ensurePack(int rows, int cols) {
        if (pack.length < rows) {
            pack = Arrays.copyOf(pack, Math.max(rows, 2 * pack.length));
        }
        for (int r = 0; r < rows; r++) {
            if (pack[r] == null || pack[r].length < cols) {
                pack[r] = new double[cols];
            }
        }
        return pack;
    }

    /** {@link SimdMatMul}'s buffer for a packed block of A, at least {@code size} long. */
    double[] simdPanelA(int size) {
        return panelA = atLeast(panelA, size);
    }

    /** {@link SimdMatMul}'s buffer for a packed block of B, at least {@code size} long. */
    double[] simdPanelB(int size) {
        return panelB = atLeast(panelB, size);
    }

    /** {@link SimdMatMul}'s copy of the last rows of C, at least {@code size} long. */
    double[] simdTile(int size) {
        return tile = atLeast(tile, size);
    }

    /** {@code buf}, or a new buffer of at least {@code size} (and twice its length) when it is shorter. */
    private static double[] atLeast(double[] buf, int size) {
        return buf.length >= size ? buf : new double[Math.max(size, 2 * buf.length)];
    }

    private void ensureScratch(int n) {
        if (s0.length < n) {
            s0 = new double[n];
            s1 = new double[n];
        }
    }
}
