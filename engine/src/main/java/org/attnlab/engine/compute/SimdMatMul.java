package org.attnlab.engine.compute;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked matrix kernels on the JDK's Vector API ({@code jdk.incubator.vector}), used by
 * {@link MatMul} when the module is present ({@link #AVAILABLE}); the same sums in the same order
 * as {@link MatMul}'s loops, so results are bit-identical with or without it.
 *
 * <p>{@code C (m, n) += A (m, k) B (k, n)} with B as packed rows and A read through strides
 * ({@code a(i, p) = a[aOff + i*rs + p*cs]}: {@code rs = lda, cs = 1} for A, {@code rs = 1,
 * cs = ldx} for X^T). The loops (the textbook blocking of Goto and van de Geijn 2008, "Anatomy of
 * high-performance matrix multiplication", with the micro-tile BLIS uses on AVX2): k in blocks of
 * at most {@value #KC}; each block of B is copied once into contiguous panels of {@code 2 L}
 * columns ({@code L} lanes: 8 floats or 4 doubles with AVX2, 16 and 8 with AVX-512), and each block
 * of {@value #MR} rows of A into a contiguous micro-panel ({@code p}-major, the {@value #MR} values
 * of one p side by side) that stays in L1 while it runs over every panel of B. A {@value #MR} x 2L
 * tile of C lives in 12 vector registers; each p adds {@code a(i, p) b[p][j..j+2L)} to it: 2 loads
 * of B, {@value #MR} broadcasts of A, 12 fused multiply-adds. Twelve independent chains cover the
 * latency of two FMA units (4 cycles each on AMD Zen 3), and 12 accumulators, 2 B vectors and two
 * broadcasts fit AVX2's 16 registers with room for the JIT (a 4 x 3L tile, also 12 chains, needs
 * all 16, and C2 then keeps one accumulator on the stack: a store-load on every p). The packed
 * operands are read at one index with constant strides, so the JIT's loop has few bounds checks.
 * Columns left over run as 1-vector panels; the rows past the last full block run as one more
 * block, through a copy of their rows of C (zero rows of A below them). Products with fewer than
 * {@value #PACK_MIN_ROWS} rows or 4L columns (the per-head attention products) do not pay for the
 * copies: {@link InPlaceMatMul} reads A in place and B's packed rows directly.
 * Each entry of C is the chain {@code fma(a(i,p), b[p][j], ...)} over p in increasing order,
 * exactly as in the scalar kernels.
 */
final class SimdMatMul {
    /** The lanes the machine prefers (AVX2: 4 doubles; AVX-512: 8). */
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** The most rows of B one block of panels holds. */
    static final int KC = 256;
    /**
     * Rows of C per register tile: 6 with AVX2's 16 vector registers (12 accumulators), 12 with
     * AVX-512's 32 (24 accumulators, {@link #tile2x12}).
     */
    static final int MR = S.vectorBitSize() >= 512 ? 12 : 6;
    /**
     * The fewest rows of C for which packing pays: below them (per-head attention products at
     * T = 30 or 32) copying the operands costs about what the tiles save, and
     * {@link InPlaceMatMul} runs; the weight gradients (d_model rows, tokens deep) pack.
     */
    static final int PACK_MIN_ROWS = 48;
    /** {@code LANE[i] = i}: lane numbers, to make masks by comparison. */
    static final double[] LANE = new double[S.length()];

    static {
        for (int i = 0; i < LANE.length; i++) {
            LANE[i] = i;
        }
    }

    private SimdMatMul() {
    }

    /**
     * @param limit {@link MatMul#FULL}, {@link MatMul#LOWER_N} (row i only needs j &lt;= i),
     *              {@link MatMul#LOWER_K} (only p &lt;= i) or {@link MatMul#UPPER_K} (only
     *              p &gt;= i); a block of rows ({@value #MR} packed, 4 in place) computes what
     *              its last (first) row needs, so the caller's masked entries of A must be 0 and
     *              those of C are overwritten
     * @param ws    the calling thread's workspace, whose packing buffers this uses
     */
    static void multAdd(double[] a, int aOff, int rs, int cs, double[][] b, int m, int k, int n, double[] c,
                        int cOff, int ldc, int limit, MatMul ws) {
        int l = S.length(), w = 2 * l;
        if (n < l) {
            for (int p0 = 0; p0 < k; p0 += KC) {
                tail(a, aOff, rs, cs, b, m, p0, Math.min(k, p0 + KC), 0, n, c, cOff, ldc, limit);
            }
            return;
        }
        if (m < PACK_MIN_ROWS || n < 2 * w) {
            InPlaceMatMul.multAdd(a, aOff, rs, cs, b, m, k, n, c, cOff, ldc, limit);
            return;
        }
        int jv = n - n % l;                                  // columns the whole vectors cover
        int j2 = jv - jv % w;                                // columns the 2-vector panels cover
        int kept = jv < n ? jv - (n - l) : 0;                // lanes of the last vector other panels own
        int width = jv + (jv < n ? l : 0);                   // packed columns per p
        int mFull = m - m % MR;
        boolean inPlaceA = cs == 1 && j2 == n;                // rows of A read where they are (see tile2Rows)
        for (int p0 = 0; p0 < k; p0 += KC) {
            int p1 = Math.min(k, p0 + KC), kc = p1 - p0;
            double[] pb = ws.simdPanelB(kc * width);
            packB(b, p0, p1, j2, jv, n, pb);
            double[] pa = ws.simdPanelA(kc * MR);
            for (int i = 0; i < m; i += MR) {
                int rows = Math.min(MR, m - i);
                boolean direct = inPlaceA && rows == MR;
                if (!direct) {
                    packA(a, aOff + i * rs, rs, cs, rows, p0, p1, pa);
                }
                int pbk = limit == MatMul.UPPER_K ? Math.max(p0, i) : p0;
                int pek = limit == MatMul.LOWER_K ? Math.min(p1, i + MR) : p1;
                if (pbk >= pek) {
                    continue;
                }
                double[] cb = c;
                int c0 = cOff + i * ldc, ldb = ldc;
                if (i >= mFull) {                             // the last rows: through an MR-row copy of C
                    cb = ws.simdTile(MR * n);
                    c0 = 0;
                    ldb = n;
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(c, cOff + (i + r) * ldc, cb, r * n, n);
                    }
                }
                int ao = (pbk - p0) * MR, count = pek - pbk;
                for (int j = 0; j < jv; j += j < j2 ? w : l) {
                    if (limit == MatMul.LOWER_N && j > i + MR - 1) {
                        break;                                // this panel and every later one is past every row's limit
                    }
                    if (direct && MR == 12) {
                        tile2Rows12(a, aOff + i * rs + pbk, rs, pb, kc * j + (pbk - p0) * w, count, cb, c0 + j, ldb);
                    } else if (direct) {
                        tile2Rows(a, aOff + i * rs + pbk, rs, pb, kc * j + (pbk - p0) * w, count, cb, c0 + j, ldb);
                    } else if (j < j2 && MR == 12) {
                        tile2x12(pa, ao, pb, kc * j + (pbk - p0) * w, count, cb, c0 + j, ldb);
                    } else if (j < j2) {
                        tile2(pa, ao, pb, kc * j + (pbk - p0) * w, count, cb, c0 + j, ldb);
                    } else {
                        tile1Block(pa, ao, pb, kc * j + (pbk - p0) * l, count, 0, cb, c0 + j, ldb);
                    }
                }
                if (jv < n && !(limit == MatMul.LOWER_N && jv > i + MR - 1)) {
                    tile1Block(pa, ao, pb, kc * jv + (pbk - p0) * l, count, kept, cb, c0 + n - l, ldb);
                }
                if (i >= mFull) {
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(cb, r * n, c, cOff + (i + r) * ldc, n);
                    }
                }
            }
        }
    }

    /**
     * Copies {@code a(i0 + r, p)} for r &lt; rows, p in [p0, p1) (the row block starting at
     * {@code r0 = aOff + i0 rs}) into {@code pa[(p - p0) MR + r]}, and zeros for the rows from
     * {@code rows} to {@link #MR}. Loops run along the operand's contiguous direction: p for A
     * ({@code cs = 1}), r for X^T ({@code rs = 1}).
     */
    private static void packA(double[] a, int r0, int rs, int cs, int rows, int p0, int p1, double[] pa) {
        int kc = p1 - p0;
        if (cs == 1) {
            for (int r = 0; r < rows; r++) {
                int src = r0 + r * rs + p0;
                for (int p = 0; p < kc; p++) {
                    pa[p * MR + r] = a[src + p];
                }
            }
        } else if (rows == 6 && MR == 6) {
            for (int p = 0; p < kc; p++) {
                int q = r0 + (p0 + p) * cs, o = p * MR;
                pa[o] = a[q];
                pa[o + 1] = a[q + rs];
                pa[o + 2] = a[q + 2 * rs];
                pa[o + 3] = a[q + 3 * rs];
                pa[o + 4] = a[q + 4 * rs];
                pa[o + 5] = a[q + 5 * rs];
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int q = r0 + (p0 + p) * cs;
                for (int r = 0; r < rows; r++) {
                    pa[p * MR + r] = a[q + r * rs];
                }
            }
        }
        for (int r = rows; r < MR; r++) {                     // rows past m: zero, their sums are dropped
            for (int p = 0; p < kc; p++) {
                pa[p * MR + r] = 0.0;
            }
        }
    }

    /**
     * Copies rows {@code [p0, p1)} of B into {@code pb}: the 2-vector panel at column {@code j < j2}
     * at {@code kc j}, {@code 2L} values per p; 1-vector panels at {@code j2 <= j < jv} and, when
     * {@code jv < n}, the last L columns {@code [n - L, n)} at {@code kc jv}, L values per p.
     */
    private static void packB(double[][] b, int p0, int p1, int j2, int jv, int n, double[] pb) {
        int l = S.length(), w = 2 * l, kc = p1 - p0;
        for (int p = p0; p < p1; p++) {
            double[] bp = b[p];
            int q = p - p0;
            for (int j = 0; j < j2; j += w) {
                int o = kc * j + q * w;
                DoubleVector.fromArray(S, bp, j).intoArray(pb, o);
                DoubleVector.fromArray(S, bp, j + l).intoArray(pb, o + l);
            }
            for (int j = j2; j < jv; j += l) {
                DoubleVector.fromArray(S, bp, j).intoArray(pb, kc * j + q * l);
            }
            if (jv < n) {
                DoubleVector.fromArray(S, bp, n - l).intoArray(pb, kc * jv + q * l);
            }
        }
    }

    /** C[0..MR)[0..2L) at {@code c0} += the packed A micro-panel times a packed 2L-column panel of B. */
    private static void tile2(double[] pa, int ao, double[] pb, int bo, int count, double[] c, int c0, int ldc) {
        int l = S.length(), w = 2 * l;
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        DoubleVector s00 = DoubleVector.fromArray(S, c, c0), s01 = DoubleVector.fromArray(S, c, c0 + l);
        DoubleVector s10 = DoubleVector.fromArray(S, c, c1), s11 = DoubleVector.fromArray(S, c, c1 + l);
        DoubleVector s20 = DoubleVector.fromArray(S, c, c2), s21 = DoubleVector.fromArray(S, c, c2 + l);
        DoubleVector s30 = DoubleVector.fromArray(S, c, c3), s31 = DoubleVector.fromArray(S, c, c3 + l);
        DoubleVector s40 = DoubleVector.fromArray(S, c, c4), s41 = DoubleVector.fromArray(S, c, c4 + l);
        DoubleVector s50 = DoubleVector.fromArray(S, c, c5), s51 = DoubleVector.fromArray(S, c, c5 + l);
        for (int p = 0; p < count; p++) {
            int o = bo + p * w, q = ao + p * MR;
            DoubleVector x0 = DoubleVector.fromArray(S, pb, o), x1 = DoubleVector.fromArray(S, pb, o + l);
            DoubleVector a0 = DoubleVector.broadcast(S, pa[q]);
            s00 = a0.fma(x0, s00);
            s01 = a0.fma(x1, s01);
            DoubleVector a1 = DoubleVector.broadcast(S, pa[q + 1]);
            s10 = a1.fma(x0, s10);
            s11 = a1.fma(x1, s11);
            DoubleVector a2 = DoubleVector.broadcast(S, pa[q + 2]);
            s20 = a2.fma(x0, s20);
            s21 = a2.fma(x1, s21);
            DoubleVector a3 = DoubleVector.broadcast(S, pa[q + 3]);
            s30 = a3.fma(x0, s30);
            s31 = a3.fma(x1, s31);
            DoubleVector a4 = DoubleVector.broadcast(S, pa[q + 4]);
            s40 = a4.fma(x0, s40);
            s41 = a4.fma(x1, s41);
            DoubleVector a5 = DoubleVector.broadcast(S, pa[q + 5]);
            s50 = a5.fma(x0, s50);
            s51 = a5.fma(x1, s51);
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + l);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + l);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + l);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + l);
        s40.intoArray(c, c4);
        s41.intoArray(c, c4 + l);
        s50.intoArray(c, c5);
        s51.intoArray(c, c5 + l);
    }

    /**
     * {@link #tile2} with A read in place rather than packed: row r of the block at
     * {@code a[aRow + r rs + p]}, p from 0 ({@code cs = 1}, i.e. A itself, not X^T), six sequential
     * streams. It skips {@link #packA}'s transposing copy, 10% of a classroom-S step in a JFR
     * profile on AVX-512 (B of d_model 64 has only 2 panels to spread the copy over); its own
     * speed is not yet measured.
     */
    private static void tile2Rows(double[] a, int aRow, int rs, double[] pb, int bo, int count, double[] c, int c0,
                                  int ldc) {
        int l = S.length(), w = 2 * l;
        int q0 = aRow, q1 = q0 + rs, q2 = q1 + rs, q3 = q2 + rs, q4 = q3 + rs, q5 = q4 + rs;
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        DoubleVector s00 = DoubleVector.fromArray(S, c, c0), s01 = DoubleVector.fromArray(S, c, c0 + l);
        DoubleVector s10 = DoubleVector.fromArray(S, c, c1), s11 = DoubleVector.fromArray(S, c, c1 + l);
        DoubleVector s20 = DoubleVector.fromArray(S, c, c2), s21 = DoubleVector.fromArray(S, c, c2 + l);
        DoubleVector s30 = DoubleVector.fromArray(S, c, c3), s31 = DoubleVector.fromArray(S, c, c3 + l);
        DoubleVector s40 = DoubleVector.fromArray(S, c, c4), s41 = DoubleVector.fromArray(S, c, c4 + l);
        DoubleVector s50 = DoubleVector.fromArray(S, c, c5), s51 = DoubleVector.fromArray(S, c, c5 + l);
        for (int p = 0; p < count; p++) {
            int o = bo + p * w;
            DoubleVector x0 = DoubleVector.fromArray(S, pb, o), x1 = DoubleVector.fromArray(S, pb, o + l);
            DoubleVector a0 = DoubleVector.broadcast(S, a[q0 + p]);
            s00 = a0.fma(x0, s00);
            s01 = a0.fma(x1, s01);
            DoubleVector a1 = DoubleVector.broadcast(S, a[q1 + p]);
            s10 = a1.fma(x0, s10);
            s11 = a1.fma(x1, s11);
            DoubleVector a2 = DoubleVector.broadcast(S, a[q2 + p]);
            s20 = a2.fma(x0, s20);
            s21 = a2.fma(x1, s21);
            DoubleVector a3 = DoubleVector.broadcast(S, a[q3 + p]);
            s30 = a3.fma(x0, s30);
            s31 = a3.fma(x1, s31);
            DoubleVector a4 = DoubleVector.broadcast(S, a[q4 + p]);
            s40 = a4.fma(x0, s40);
            s41 = a4.fma(x1, s41);
            DoubleVector a5 = DoubleVector.broadcast(S, a[q5 + p]);
            s50 = a5.fma(x0, s50);
            s51 = a5.fma(x1, s51);
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + l);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + l);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + l);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + l);
        s40.intoArray(c, c4);
        s41.intoArray(c, c4 + l);
        s50.intoArray(c, c5);
        s51.intoArray(c, c5 + l);
    }

    /**
     * {@link #tile2} for a block of 12 rows, on 512-bit vectors ({@link #MR} = 12 there): 24
     * accumulators, 2 loads of B and 12 broadcasts per p, in 32 registers. Each vector of B read
     * from L2 now feeds 12 fused multiply-adds rather than 6, which halves the panel traffic
     * that bounded the 6-row tile; the sums per entry of C are the same chains as before.
     */
    private static void tile2x12(double[] pa, int ao, double[] pb, int bo, int count, double[] c, int c0, int ldc) {
        int l = S.length(), w = 2 * l;
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc, c7 = c6 + ldc, c8 = c7 + ldc, c9 = c8 + ldc, c10 = c9 + ldc, c11 = c10 + ldc;
        DoubleVector s0a = DoubleVector.fromArray(S, c, c0), s0b = DoubleVector.fromArray(S, c, c0 + l);
        DoubleVector s1a = DoubleVector.fromArray(S, c, c1), s1b = DoubleVector.fromArray(S, c, c1 + l);
        DoubleVector s2a = DoubleVector.fromArray(S, c, c2), s2b = DoubleVector.fromArray(S, c, c2 + l);
        DoubleVector s3a = DoubleVector.fromArray(S, c, c3), s3b = DoubleVector.fromArray(S, c, c3 + l);
        DoubleVector s4a = DoubleVector.fromArray(S, c, c4), s4b = DoubleVector.fromArray(S, c, c4 + l);
        DoubleVector s5a = DoubleVector.fromArray(S, c, c5), s5b = DoubleVector.fromArray(S, c, c5 + l);
        DoubleVector s6a = DoubleVector.fromArray(S, c, c6), s6b = DoubleVector.fromArray(S, c, c6 + l);
        DoubleVector s7a = DoubleVector.fromArray(S, c, c7), s7b = DoubleVector.fromArray(S, c, c7 + l);
        DoubleVector s8a = DoubleVector.fromArray(S, c, c8), s8b = DoubleVector.fromArray(S, c, c8 + l);
        DoubleVector s9a = DoubleVector.fromArray(S, c, c9), s9b = DoubleVector.fromArray(S, c, c9 + l);
        DoubleVector s10a = DoubleVector.fromArray(S, c, c10), s10b = DoubleVector.fromArray(S, c, c10 + l);
        DoubleVector s11a = DoubleVector.fromArray(S, c, c11), s11b = DoubleVector.fromArray(S, c, c11 + l);
        for (int p = 0; p < count; p++) {
            int o = bo + p * w, q = ao + p * MR;
            DoubleVector x0 = DoubleVector.fromArray(S, pb, o), x1 = DoubleVector.fromArray(S, pb, o + l);
            DoubleVector a0 = DoubleVector.broadcast(S, pa[q]);
            s0a = a0.fma(x0, s0a);
            s0b = a0.fma(x1, s0b);
            DoubleVector a1 = DoubleVector.broadcast(S, pa[q + 1]);
            s1a = a1.fma(x0, s1a);
            s1b = a1.fma(x1, s1b);
            DoubleVector a2 = DoubleVector.broadcast(S, pa[q + 2]);
            s2a = a2.fma(x0, s2a);
            s2b = a2.fma(x1, s2b);
            DoubleVector a3 = DoubleVector.broadcast(S, pa[q + 3]);
            s3a = a3.fma(x0, s3a);
            s3b = a3.fma(x1, s3b);
            DoubleVector a4 = DoubleVector.broadcast(S, pa[q + 4]);
            s4a = a4.fma(x0, s4a);
            s4b = a4.fma(x1, s4b);
            DoubleVector a5 = DoubleVector.broadcast(S, pa[q + 5]);
            s5a = a5.fma(x0, s5a);
            s5b = a5.fma(x1, s5b);
            DoubleVector a6 = DoubleVector.broadcast(S, pa[q + 6]);
            s6a = a6.fma(x0, s6a);
            s6b = a6.fma(x1, s6b);
            DoubleVector a7 = DoubleVector.broadcast(S, pa[q + 7]);
            s7a = a7.fma(x0, s7a);
            s7b = a7.fma(x1, s7b);
            DoubleVector a8 = DoubleVector.broadcast(S, pa[q + 8]);
            s8a = a8.fma(x0, s8a);
            s8b = a8.fma(x1, s8b);
            DoubleVector a9 = DoubleVector.broadcast(S, pa[q + 9]);
            s9a = a9.fma(x0, s9a);
            s9b = a9.fma(x1, s9b);
            DoubleVector a10 = DoubleVector.broadcast(S, pa[q + 10]);
            s10a = a10.fma(x0, s10a);
            s10b = a10.fma(x1, s10b);
            DoubleVector a11 = DoubleVector.broadcast(S, pa[q + 11]);
            s11a = a11.fma(x0, s11a);
            s11b = a11.fma(x1, s11b);
        }
        s0a.intoArray(c, c0);
        s0b.intoArray(c, c0 + l);
        s1a.intoArray(c, c1);
        s1b.intoArray(c, c1 + l);
        s2a.intoArray(c, c2);
        s2b.intoArray(c, c2 + l);
        s3a.intoArray(c, c3);
        s3b.intoArray(c, c3 + l);
        s4a.intoArray(c, c4);
        s4b.intoArray(c, c4 + l);
        s5a.intoArray(c, c5);
        s5b.intoArray(c, c5 + l);
        s6a.intoArray(c, c6);
        s6b.intoArray(c, c6 + l);
        s7a.intoArray(c, c7);
        s7b.intoArray(c, c7 + l);
        s8a.intoArray(c, c8);
        s8b.intoArray(c, c8 + l);
        s9a.intoArray(c, c9);
        s9b.intoArray(c, c9 + l);
        s10a.intoArray(c, c10);
        s10b.intoArray(c, c10 + l);
        s11a.intoArray(c, c11);
        s11b.intoArray(c, c11 + l);
    }

    /** {@link #tile2Rows} for a block of 12 rows (see {@link #tile2x12}). */
    private static void tile2Rows12(double[] a, int aRow, int rs, double[] pb, int bo, int count, double[] c, int c0,
                                    int ldc) {
        int l = S.length(), w = 2 * l;
        int q0 = aRow, q1 = q0 + rs, q2 = q1 + rs, q3 = q2 + rs, q4 = q3 + rs, q5 = q4 + rs, q6 = q5 + rs, q7 = q6 + rs, q8 = q7 + rs, q9 = q8 + rs, q10 = q9 + rs, q11 = q10 + rs;
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc, c7 = c6 + ldc, c8 = c7 + ldc, c9 = c8 + ldc, c10 = c9 + ldc, c11 = c10 + ldc;
        DoubleVector s0a = DoubleVector.fromArray(S, c, c0), s0b = DoubleVector.fromArray(S, c, c0 + l);
        DoubleVector s1a = DoubleVector.fromArray(S, c, c1), s1b = DoubleVector.fromArray(S, c, c1 + l);
        DoubleVector s2a = DoubleVector.fromArray(S, c, c2), s2b = DoubleVector.fromArray(S, c, c2 + l);
        DoubleVector s3a = DoubleVector.fromArray(S, c, c3), s3b = DoubleVector.fromArray(S, c, c3 + l);
        DoubleVector s4a = DoubleVector.fromArray(S, c, c4), s4b = DoubleVector.fromArray(S, c, c4 + l);
        DoubleVector s5a = DoubleVector.fromArray(S, c, c5), s5b = DoubleVector.fromArray(S, c, c5 + l);
        DoubleVector s6a = DoubleVector.fromArray(S, c, c6), s6b = DoubleVector.fromArray(S, c, c6 + l);
        DoubleVector s7a = DoubleVector.fromArray(S, c, c7), s7b = DoubleVector.fromArray(S, c, c7 + l);
        DoubleVector s8a = DoubleVector.fromArray(S, c, c8), s8b = DoubleVector.fromArray(S, c, c8 + l);
        DoubleVector s9a = DoubleVector.fromArray(S, c, c9), s9b = DoubleVector.fromArray(S, c, c9 + l);
        DoubleVector s10a = DoubleVector.fromArray(S, c, c10), s10b = DoubleVector.fromArray(S, c, c10 + l);
        DoubleVector s11a = DoubleVector.fromArray(S, c, c11), s11b = DoubleVector.fromArray(S, c, c11 + l);
        for (int p = 0; p < count; p++) {
            int o = bo + p * w;
            DoubleVector x0 = DoubleVector.fromArray(S, pb, o), x1 = DoubleVector.fromArray(S, pb, o + l);
            DoubleVector a0 = DoubleVector.broadcast(S, a[q0 + p]);
            s0a = a0.fma(x0, s0a);
            s0b = a0.fma(x1, s0b);
            DoubleVector a1 = DoubleVector.broadcast(S, a[q1 + p]);
            s1a = a1.fma(x0, s1a);
            s1b = a1.fma(x1, s1b);
            DoubleVector a2 = DoubleVector.broadcast(S, a[q2 + p]);
            s2a = a2.fma(x0, s2a);
            s2b = a2.fma(x1, s2b);
            DoubleVector a3 = DoubleVector.broadcast(S, a[q3 + p]);
            s3a = a3.fma(x0, s3a);
            s3b = a3.fma(x1, s3b);
            DoubleVector a4 = DoubleVector.broadcast(S, a[q4 + p]);
            s4a = a4.fma(x0, s4a);
            s4b = a4.fma(x1, s4b);
            DoubleVector a5 = DoubleVector.broadcast(S, a[q5 + p]);
            s5a = a5.fma(x0, s5a);
            s5b = a5.fma(x1, s5b);
            DoubleVector a6 = DoubleVector.broadcast(S, a[q6 + p]);
            s6a = a6.fma(x0, s6a);
            s6b = a6.fma(x1, s6b);
            DoubleVector a7 = DoubleVector.broadcast(S, a[q7 + p]);
            s7a = a7.fma(x0, s7a);
            s7b = a7.fma(x1, s7b);
            DoubleVector a8 = DoubleVector.broadcast(S, a[q8 + p]);
            s8a = a8.fma(x0, s8a);
            s8b = a8.fma(x1, s8b);
            DoubleVector a9 = DoubleVector.broadcast(S, a[q9 + p]);
            s9a = a9.fma(x0, s9a);
            s9b = a9.fma(x1, s9b);
            DoubleVector a10 = DoubleVector.broadcast(S, a[q10 + p]);
            s10a = a10.fma(x0, s10a);
            s10b = a10.fma(x1, s10b);
            DoubleVector a11 = DoubleVector.broadcast(S, a[q11 + p]);
            s11a = a11.fma(x0, s11a);
            s11b = a11.fma(x1, s11b);
        }
        s0a.intoArray(c, c0);
        s0b.intoArray(c, c0 + l);
        s1a.intoArray(c, c1);
        s1b.intoArray(c, c1 + l);
        s2a.intoArray(c, c2);
        s2b.intoArray(c, c2 + l);
        s3a.intoArray(c, c3);
        s3b.intoArray(c, c3 + l);
        s4a.intoArray(c, c4);
        s4b.intoArray(c, c4 + l);
        s5a.intoArray(c, c5);
        s5b.intoArray(c, c5 + l);
        s6a.intoArray(c, c6);
        s6b.intoArray(c, c6 + l);
        s7a.intoArray(c, c7);
        s7b.intoArray(c, c7 + l);
        s8a.intoArray(c, c8);
        s8b.intoArray(c, c8 + l);
        s9a.intoArray(c, c9);
        s9b.intoArray(c, c9 + l);
        s10a.intoArray(c, c10);
        s10b.intoArray(c, c10 + l);
        s11a.intoArray(c, c11);
        s11b.intoArray(c, c11 + l);
    }

    /** {@link #tile1} over every 6 rows of the {@link #MR}-row block. */
    private static void tile1Block(double[] pa, int ao, double[] pb, int bo, int count, int kept, double[] c, int c0,
                                   int ldc) {
        for (int r = 0; r < MR; r += 6) {
            tile1(pa, ao + r, pb, bo, count, kept, c, c0 + r * ldc, ldc);
        }
    }

    /**
     * C[0..6)[0..L) at {@code c0} += six rows of the packed A micro-panel times a packed 1-vector panel of B.
     * With {@code kept > 0} its first {@code kept} lanes belong to other panels: they are blended
     * back to what C held when loaded (whether those panels ran yet or not), so the last n % L
     * columns of a product run as one vector over its last L columns (at n = T = 30, LEGO's score
     * matrices, instead of 6 scalar columns).
     */
    private static void tile1(double[] pa, int ao, double[] pb, int bo, int count, int kept, double[] c, int c0,
                              int ldc) {
        int l = S.length();
        VectorMask<Double> keep = DoubleVector.fromArray(S, LANE, 0).compare(VectorOperators.LT, kept);
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        DoubleVector o0 = DoubleVector.fromArray(S, c, c0), o1 = DoubleVector.fromArray(S, c, c1);
        DoubleVector o2 = DoubleVector.fromArray(S, c, c2), o3 = DoubleVector.fromArray(S, c, c3);
        DoubleVector o4 = DoubleVector.fromArray(S, c, c4), o5 = DoubleVector.fromArray(S, c, c5);
        DoubleVector s0 = o0, s1 = o1, s2 = o2, s3 = o3, s4 = o4, s5 = o5;
        for (int p = 0; p < count; p++) {
            DoubleVector x0 = DoubleVector.fromArray(S, pb, bo + p * l);
            int q = ao + p * MR;
            s0 = DoubleVector.broadcast(S, pa[q]).fma(x0, s0);
            s1 = DoubleVector.broadcast(S, pa[q + 1]).fma(x0, s1);
            s2 = DoubleVector.broadcast(S, pa[q + 2]).fma(x0, s2);
            s3 = DoubleVector.broadcast(S, pa[q + 3]).fma(x0, s3);
            s4 = DoubleVector.broadcast(S, pa[q + 4]).fma(x0, s4);
            s5 = DoubleVector.broadcast(S, pa[q + 5]).fma(x0, s5);
        }
        s0.blend(o0, keep).intoArray(c, c0);
        s1.blend(o1, keep).intoArray(c, c1);
        s2.blend(o2, keep).intoArray(c, c2);
        s3.blend(o3, keep).intoArray(c, c3);
        s4.blend(o4, keep).intoArray(c, c4);
        s5.blend(o5, keep).intoArray(c, c5);
    }

    /**
     * Columns {@code [j0, n)} (fewer than L, the whole product when n &lt; L) of every row, scalar,
     * p in the same order, each row in its own limit.
     */
    private static void tail(double[] a, int aOff, int rs, int cs, double[][] b, int m, int p0, int p1, int j0,
                             int n, double[] c, int cOff, int ldc, int limit) {
        for (int i = 0; i < m; i++) {
            if (limit == MatMul.LOWER_N && j0 > i) {
                continue;
            }
            int pb = limit == MatMul.UPPER_K ? Math.max(p0, i) : p0;
            int pe = limit == MatMul.LOWER_K ? Math.min(p1, i + 1) : p1;
            int r0 = aOff + i * rs, c0 = cOff + i * ldc;
            for (int j = j0; j < n; j++) {
                double s = c[c0 + j];
                for (int p = pb; p < pe; p++) {
                    s = Math.fma(a[r0 + p * cs], b[p][j], s);
                }
                c[c0 + j] = s;
            }
        }
    }
}
