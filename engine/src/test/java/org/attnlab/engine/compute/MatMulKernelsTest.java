package org.attnlab.engine.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The matrix kernels' contract, for both precisions and both implementations (the Vector API's
 * {@link SimdMatMul} and {@link MatMul}'s scalar loops): every entry of C that the limit asks for
 * is C's old value followed by {@code fma(a(i, p), b[p][j], .)} over p ascending, bit for bit.
 * Random shapes around the kernels' edges (tails of fewer than L columns, rows past the last
 * row block, k past {@link SimdMatMul#KC}, both sides of {@link SimdMatMul#PACK_MIN_ROWS}),
 * offsets and strides, every causal limit with A's masked entries zero as the callers guarantee.
 */
class MatMulKernelsTest {
    private static final int CASES = 400;
    private static final int[] LIMITS = {MatMul.FULL, MatMul.LOWER_N, MatMul.LOWER_K, MatMul.UPPER_K};

    @Test
    void float64KernelsSumInTheDocumentedOrder() {
        SplittableRandom r = new SplittableRandom(11);
        MatMul mm = new MatMul();
        for (int t = 0; t < CASES; t++) {
            Case c = Case.random(r, SimdMatMul.S.length());
            double[] a = new double[c.aLen()], cRef = new double[c.cLen()];
            double[][] b = new double[c.k][c.n + 3];
            fill(r, a, c);
            for (double[] row : b) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = r.nextGaussian();
                }
            }
            for (int i = 0; i < cRef.length; i++) {
                cRef[i] = r.nextGaussian();
            }
            double[] cScalar = cRef.clone(), cSimd = cRef.clone();
            for (int i = 0; i < c.m; i++) {
                for (int j = 0; j < c.n; j++) {
                    double s = cRef[c.cOff + i * c.ldc + j];
                    for (int p = 0; p < c.k; p++) {
                        s = Math.fma(a[c.aIndex(i, p)], b[p][j], s);
                    }
                    cRef[c.cOff + i * c.ldc + j] = s;
                }
            }
            if (c.transposed) {
                mm.scalarMultAddTransA(a, c.aOff, c.lda, b, c.m, c.k, c.n, cScalar, c.cOff, c.ldc, c.limit);
            } else {
                mm.scalarMultAdd(a, c.aOff, c.lda, b, c.m, c.k, c.n, cScalar, c.cOff, c.ldc, c.limit);
            }
            if (Simd.ENABLED) {
                SimdMatMul.multAdd(a, c.aOff, c.transposed ? 1 : c.lda, c.transposed ? c.lda : 1, b, c.m, c.k, c.n,
                        cSimd, c.cOff, c.ldc, c.limit, mm);
            }
            for (int i = 0; i < c.m; i++) {
                for (int j = 0; j < (c.limit == MatMul.LOWER_N ? Math.min(c.n, i + 1) : c.n); j++) {
                    int at = c.cOff + i * c.ldc + j;
                    assertEquals(cRef[at], cScalar[at], 0.0, "scalar " + c + " C[" + i + "][" + j + "]");
                    if (Simd.ENABLED) {
                        assertEquals(cRef[at], cSimd[at], 0.0, "vector " + c + " C[" + i + "][" + j + "]");
                    }
                }
            }
        }
    }

    @Test
    void float32KernelsSumInTheDocumentedOrder() {
        SplittableRandom r = new SplittableRandom(12);
        F32MatMul mm = new F32MatMul();
        for (int t = 0; t < CASES; t++) {
            Case c = Case.random(r, F32SimdMatMul.S.length());
            float[] a = new float[c.aLen()], cRef = new float[c.cLen()];
            float[][] b = new float[c.k][c.n + 3];
            double[] a64 = new double[a.length];
            fill(r, a64, c);
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) a64[i];
            }
            for (float[] row : b) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) r.nextGaussian();
                }
            }
            for (int i = 0; i < cRef.length; i++) {
                cRef[i] = (float) r.nextGaussian();
            }
            float[] cScalar = cRef.clone(), cSimd = cRef.clone();
            for (int i = 0; i < c.m; i++) {
                for (int j = 0; j < c.n; j++) {
                    float s = cRef[c.cOff + i * c.ldc + j];
                    for (int p = 0; p < c.k; p++) {
                        s = Math.fma(a[c.aIndex(i, p)], b[p][j], s);
                    }
                    cRef[c.cOff + i * c.ldc + j] = s;
                }
            }
            if (c.transposed) {
                mm.scalarMultAddTransA(a, c.aOff, c.lda, b, c.m, c.k, c.n, cScalar, c.cOff, c.ldc, c.limit);
            } else {
                mm.scalarMultAdd(a, c.aOff, c.lda, b, c.m, c.k, c.n, cScalar, c.cOff, c.ldc, c.limit);
            }
            if (Simd.ENABLED) {
                F32SimdMatMul.multAdd(a, c.aOff, c.transposed ? 1 : c.lda, c.transposed ? c.lda : 1, b, c.m, c.k,
                        c.n, cSimd, c.cOff, c.ldc, c.limit, mm);
            }
            for (int i = 0; i < c.m; i++) {
                for (int j = 0; j < (c.limit == MatMul.LOWER_N ? Math.min(c.n, i + 1) : c.n); j++) {
                    int at = c.cOff + i * c.ldc + j;
                    assertEquals(cRef[at], cScalar[at], 0.0f, "scalar " + c + " C[" + i + "][" + j + "]");
                    if (Simd.ENABLED) {
                        assertEquals(cRef[at], cSimd[at], 0.0f, "vector " + c + " C[" + i + "][" + j + "]");
                    }
                }
            }
        }
    }

    /** A's masked entries (past the limit) are zero, as every caller's are. */
    private static void fill(SplittableRandom r, double[] a, Case c) {
        for (int i = 0; i < c.m; i++) {
            for (int p = 0; p < c.k; p++) {
                boolean masked = c.limit == MatMul.LOWER_K && p > i || c.limit == MatMul.UPPER_K && p < i;
                a[c.aIndex(i, p)] = masked ? 0.0 : r.nextGaussian();
            }
        }
    }

    /** C (m, n) += A (m, k) B: A row-major (stride lda) or, transposed, X (k, m) with stride lda. */
    private record Case(int m, int k, int n, int aOff, int lda, int cOff, int ldc, int limit, boolean transposed) {
        /**
         * @param lanes the kernel's vector lanes: one case in six has n a multiple of 2 lanes (at
         *              least 4), whose products with 48+ rows read A in place (tile2Rows)
         */
        static Case random(SplittableRandom r, int lanes) {
            int m = r.nextInt(4) == 0 ? SimdMatMul.PACK_MIN_ROWS + r.nextInt(40) : 1 + r.nextInt(37);
            int n = r.nextInt(6) == 0 ? 2 * lanes * (2 + r.nextInt(3)) : 1 + r.nextInt(r.nextInt(4) == 0 ? 80 : 40);
            int k = r.nextInt(8) == 0 ? SimdMatMul.KC + 1 + r.nextInt(60) : 1 + r.nextInt(40);
            boolean transposed = r.nextBoolean();
            int limit = transposed ? (r.nextBoolean() ? MatMul.FULL : MatMul.UPPER_K)
                    : LIMITS[r.nextInt(3)];
            int lda = (transposed ? m : k) + r.nextInt(3);
            return new Case(m, k, n, r.nextInt(5), lda, r.nextInt(5), n + r.nextInt(3), limit, transposed);
        }

        int aIndex(int i, int p) {
            return transposed ? aOff + p * lda + i : aOff + i * lda + p;
        }

        int aLen() {
            return aOff + (transposed ? k * lda : m * lda);
        }

        int cLen() {
            return cOff + m * ldc;
        }
    }
}
