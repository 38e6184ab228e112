// GENERATED from InPlaceMatMul.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API matrix kernel for products too small to pay for {@link F32SimdMatMul}'s packing
 * (fewer than {@link F32SimdMatMul#PACK_MIN_ROWS} rows or 4L columns: the per-head attention
 * products): A read in place through its strides ({@code a(i, p) = a[aOff + i*rs + p*cs]}), B's
 * packed rows directly. Blocks of 4 rows of C run over a stripe of 3, 2 or 1 vectors of B's columns
 * (4 x 3L, 4 x 2L, 4 x L tiles); the last n % L columns are one more vector over the last L. Each
 * entry of C is the chain {@code fma(a(i,p), b[p][j], ...)} over p in increasing order, exactly as
 * in the scalar kernels.
 */
final class F32InPlaceMatMul {
    private static final VectorSpecies<Float> S = F32SimdMatMul.S;
    private static final int KC = F32SimdMatMul.KC;
    private static final float[] LANE = F32SimdMatMul.LANE;

    private F32InPlaceMatMul() {
    }

    /**
     * {@link F32SimdMatMul#multAdd} without the packing, for n &gt;= L.
     *
     * @param limit as {@link F32SimdMatMul#multAdd}'s, with blocks of 4 rows
     */
    static void multAdd(float[] a, int aOff, int rs, int cs, float[][] b, int m, int k, int n, float[] c,
                        int cOff, int ldc, int limit) {
        int l = S.length(), w = 2 * l;
        int jv = n - n % l;                                  // columns the vector loops cover
        for (int p0 = 0; p0 < k; p0 += KC) {
            int p1 = Math.min(k, p0 + KC);
            int j = 0;
            for (; j + 3 * l <= jv; j += 3 * l) {
                stripe(a, aOff, rs, cs, b, m, p0, p1, j, 3, 0, c, cOff, ldc, limit);
            }
            for (; j + w <= jv; j += w) {
                stripe(a, aOff, rs, cs, b, m, p0, p1, j, 2, 0, c, cOff, ldc, limit);
            }
            for (; j < jv; j += l) {
                stripe(a, aOff, rs, cs, b, m, p0, p1, j, 1, 0, c, cOff, ldc, limit);
            }
            if (jv < n) {                                    // the last n % L columns: one vector over
                stripe(a, aOff, rs, cs, b, m, p0, p1, n - l, 1, jv - (n - l), c, cOff, ldc, limit); // the last L
            }
        }
    }

    /**
     * The vector columns {@code [j, j + vectors L)} of every row of C, for p in [p0, p1). With
     * {@code kept > 0} (one vector only) its first {@code kept} lanes belong to other stripes: they
     * are blended back to what C held when loaded (whether those stripes ran yet or not), so the
     * last n % L columns of a product run as one vector over its last L columns (at n = T = 30,
     * LEGO's score matrices, instead of 6 scalar columns); each of the other lanes is the same fma
     * chain as the scalar kernels', in the block's p range.
     */
    private static void stripe(float[] a, int aOff, int rs, int cs, float[][] b, int m, int p0, int p1, int j,
                               int vectors, int kept, float[] c, int cOff, int ldc, int limit) {
        int l = S.length();
        int jOwn = j + kept;                                  // the first column this stripe writes
        VectorMask<Float> keep = FloatVector.fromArray(S, LANE, 0).compare(VectorOperators.LT, kept);
        int i = 0;
        for (; i + 3 < m; i += 4) {
            if (limit == F32MatMul.LOWER_N && jOwn > i + 3) {
                continue;                                     // the whole tile is past every row's limit
            }
            int pb = limit == F32MatMul.UPPER_K ? Math.max(p0, i) : p0;
            int pe = limit == F32MatMul.LOWER_K ? Math.min(p1, i + 4) : p1;
            if (pb >= pe) {
                continue;
            }
            int c0 = cOff + i * ldc + j, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
            int r0 = aOff + i * rs, r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
            if (vectors == 3) {
                int l2 = 2 * l;
                FloatVector s00 = FloatVector.fromArray(S, c, c0), s01 = FloatVector.fromArray(S, c, c0 + l);
                FloatVector s02 = FloatVector.fromArray(S, c, c0 + l2);
                FloatVector s10 = FloatVector.fromArray(S, c, c1), s11 = FloatVector.fromArray(S, c, c1 + l);
                FloatVector s12 = FloatVector.fromArray(S, c, c1 + l2);
                FloatVector s20 = FloatVector.fromArray(S, c, c2), s21 = FloatVector.fromArray(S, c, c2 + l);
                FloatVector s22 = FloatVector.fromArray(S, c, c2 + l2);
                FloatVector s30 = FloatVector.fromArray(S, c, c3), s31 = FloatVector.fromArray(S, c, c3 + l);
                FloatVector s32 = FloatVector.fromArray(S, c, c3 + l2);
                for (int p = pb; p < pe; p++) {
                    float[] bp = b[p];
                    FloatVector x0 = FloatVector.fromArray(S, bp, j), x1 = FloatVector.fromArray(S, bp, j + l);
                    FloatVector x2 = FloatVector.fromArray(S, bp, j + l2);
                    int q = p * cs;
                    FloatVector a0 = FloatVector.broadcast(S, a[r0 + q]);
                    s00 = a0.fma(x0, s00);
                    s01 = a0.fma(x1, s01);
                    s02 = a0.fma(x2, s02);
                    FloatVector a1 = FloatVector.broadcast(S, a[r1 + q]);
                    s10 = a1.fma(x0, s10);
                    s11 = a1.fma(x1, s11);
                    s12 = a1.fma(x2, s12);
                    FloatVector a2 = FloatVector.broadcast(S, a[r2 + q]);
                    s20 = a2.fma(x0, s20);
                    s21 = a2.fma(x1, s21);
                    s22 = a2.fma(x2, s22);
                    FloatVector a3 = FloatVector.broadcast(S, a[r3 + q]);
                    s30 = a3.fma(x0, s30);
                    s31 = a3.fma(x1, s31);
                    s32 = a3.fma(x2, s32);
                }
                s00.intoArray(c, c0);
                s01.intoArray(c, c0 + l);
                s02.intoArray(c, c0 + l2);
                s10.intoArray(c, c1);
                s11.intoArray(c, c1 + l);
                s12.intoArray(c, c1 + l2);
                s20.intoArray(c, c2);
                s21.intoArray(c, c2 + l);
                s22.intoArray(c, c2 + l2);
                s30.intoArray(c, c3);
                s31.intoArray(c, c3 + l);
                s32.intoArray(c, c3 + l2);
            } else if (vectors == 2) {
                FloatVector s00 = FloatVector.fromArray(S, c, c0), s01 = FloatVector.fromArray(S, c, c0 + l);
                FloatVector s10 = FloatVector.fromArray(S, c, c1), s11 = FloatVector.fromArray(S, c, c1 + l);
                FloatVector s20 = FloatVector.fromArray(S, c, c2), s21 = FloatVector.fromArray(S, c, c2 + l);
                FloatVector s30 = FloatVector.fromArray(S, c, c3), s31 = FloatVector.fromArray(S, c, c3 + l);
                for (int p = pb; p < pe; p++) {
                    float[] bp = b[p];
                    FloatVector x0 = FloatVector.fromArray(S, bp, j), x1 = FloatVector.fromArray(S, bp, j + l);
                    int q = p * cs;
                    FloatVector a0 = FloatVector.broadcast(S, a[r0 + q]);
                    FloatVector a1 = FloatVector.broadcast(S, a[r1 + q]);
                    FloatVector a2 = FloatVector.broadcast(S, a[r2 + q]);
                    FloatVector a3 = FloatVector.broadcast(S, a[r3 + q]);
                    s00 = a0.fma(x0, s00);
                    s01 = a0.fma(x1, s01);
                    s10 = a1.fma(x0, s10);
                    s11 = a1.fma(x1, s11);
                    s20 = a2.fma(x0, s20);
                    s21 = a2.fma(x1, s21);
                    s30 = a3.fma(x0, s30);
                    s31 = a3.fma(x1, s31);
                }
                s00.intoArray(c, c0);
                s01.intoArray(c, c0 + l);
                s10.intoArray(c, c1);
                s11.intoArray(c, c1 + l);
                s20.intoArray(c, c2);
                s21.intoArray(c, c2 + l);
                s30.intoArray(c, c3);
                s31.intoArray(c, c3 + l);
            } else {
                FloatVector o0 = FloatVector.fromArray(S, c, c0), o1 = FloatVector.fromArray(S, c, c1);
                FloatVector o2 = FloatVector.fromArray(S, c, c2), o3 = FloatVector.fromArray(S, c, c3);
                FloatVector s0 = o0, s1 = o1, s2 = o2, s3 = o3;
                for (int p = pb; p < pe; p++) {
                    FloatVector x0 = FloatVector.fromArray(S, b[p], j);
                    int q = p * cs;
                    s0 = FloatVector.broadcast(S, a[r0 + q]).fma(x0, s0);
                    s1 = FloatVector.broadcast(S, a[r1 + q]).fma(x0, s1);
                    s2 = FloatVector.broadcast(S, a[r2 + q]).fma(x0, s2);
                    s3 = FloatVector.broadcast(S, a[r3 + q]).fma(x0, s3);
                }
                s0.blend(o0, keep).intoArray(c, c0);
                s1.blend(o1, keep).intoArray(c, c1);
                s2.blend(o2, keep).intoArray(c, c2);
                s3.blend(o3, keep).intoArray(c, c3);
            }
        }
        for (; i < m; i++) {                                  // the last rows, one at a time
            if (limit == F32MatMul.LOWER_N && jOwn > i) {
                continue;
            }
            int pb = limit == F32MatMul.UPPER_K ? Math.max(p0, i) : p0;
            int pe = limit == F32MatMul.LOWER_K ? Math.min(p1, i + 1) : p1;
            int r0 = aOff + i * rs;
            for (int v = 0; v < vectors; v++) {
                int c0 = cOff + i * ldc + j + v * l;
                FloatVector o0 = FloatVector.fromArray(S, c, c0), s0 = o0;
                for (int p = pb; p < pe; p++) {
                    s0 = FloatVector.broadcast(S, a[r0 + p * cs]).fma(FloatVector.fromArray(S, b[p], j + v * l), s0);
                }
                s0.blend(o0, keep).intoArray(c, c0);
            }
        }
    }
}
