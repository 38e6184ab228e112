package org.attnlab.engine.compute;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector; //@f32: import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise loops that call {@code exp} (gelu_new, softmax), on the JDK's Vector API:
 * {@link #exp} is {@link FastExp#exp} lane by lane, the same operations in the same order, so a
 * vector lane and the scalar tail give the same bits as the scalar fallback. Used only when
 * {@link Simd#ENABLED}.
 */
final class SimdMath {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private SimdMath() {
    }

    /**
     * {@code out[outOff + j] = exp(in[inOff + j] - shift)} for j &lt; len, each lane exactly
     * {@link FastExp#exp}. The exp is written out inside the loop, not a method taking and
     * returning vectors: where C2 declines to inline such a method (it was compiled on its own
     * first, "already compiled into a big method"), every vector crossing the call is boxed on
     * the heap, which made steady-state steps allocate tens of kilobytes depending on test order.
     */
    static void exp(double[] in, int inOff, double[] out, int outOff, int len, double shift) {
        int l = S.length(), covered = len - len % l;
        // out of place, the last len % l entries are one more vector over the last l: the lanes it
        // shares with the one before get the same bits again (softmax rows of T = 30)
        boolean overlap = in != out && len >= l && covered < len;
        int vectors = covered / l + (overlap ? 1 : 0);
        for (int v = 0; v < vectors; v++) {
            int j = Math.min(v * l, len - l);
            DoubleVector x = DoubleVector.fromArray(S, in, inOff + j).sub(shift);
            DoubleVector t = x.mul(FastExp.LOG2E).add(FastExp.MAGIC);
            DoubleVector n = t.sub(FastExp.MAGIC);
            DoubleVector r = n.fma(DoubleVector.broadcast(S, -FastExp.LN2_HI), x);
            r = n.fma(DoubleVector.broadcast(S, -FastExp.LN2_LO), r);
            // FastExp.C in Horner form, written out: a loop over it kept vectors boxed (JDK 17's C2)
            DoubleVector p = DoubleVector.broadcast(S, FastExp.C[0]); //@f32: FloatVector p = FloatVector.broadcast(S, F32FastExp.C[0]);
            p = p.fma(r, DoubleVector.broadcast(S, FastExp.C[1])); //@f32:
            p = p.fma(r, DoubleVector.broadcast(S, FastExp.C[2])); //@f32:
            p = p.fma(r, DoubleVector.broadcast(S, FastExp.C[3])); //@f32:
            p = p.fma(r, DoubleVector.broadcast(S, FastExp.C[4])); //@f32:
            p = p.fma(r, DoubleVector.broadcast(S, FastExp.C[5])); //@f32:
            p = p.fma(r, DoubleVector.broadcast(S, FastExp.C[6])); //@f32: p = p.fma(r, FloatVector.broadcast(S, F32FastExp.C[1]));
            p = p.fma(r, DoubleVector.broadcast(S, FastExp.C[7])); //@f32: p = p.fma(r, FloatVector.broadcast(S, F32FastExp.C[2]));
            p = p.fma(r, DoubleVector.broadcast(S, FastExp.C[8])); //@f32: p = p.fma(r, FloatVector.broadcast(S, F32FastExp.C[3]));
            p = p.fma(r, DoubleVector.broadcast(S, FastExp.C[9])); //@f32: p = p.fma(r, FloatVector.broadcast(S, F32FastExp.C[4]));
            p = p.fma(r, DoubleVector.broadcast(S, FastExp.C[10])); //@f32: p = p.fma(r, FloatVector.broadcast(S, F32FastExp.C[5]));
            p = p.fma(r, DoubleVector.broadcast(S, FastExp.C[11])); //@f32: p = p.fma(r, FloatVector.broadcast(S, F32FastExp.C[6]));
            p = p.fma(r, DoubleVector.broadcast(S, FastExp.C[12])); //@f32: p = p.fma(r, FloatVector.broadcast(S, F32FastExp.C[7]));
            LongVector bits = t.reinterpretAsLongs().sub(FastExp.MAGIC_BITS); //@f32: IntVector bits = t.reinterpretAsInts().sub(FastExp.MAGIC_BITS);
            DoubleVector scale = bits.add(FastExp.BIAS).lanewise(VectorOperators.LSHL, FastExp.MANTISSA).reinterpretAsDoubles(); //@f32: FloatVector scale = bits.add(FastExp.BIAS).lanewise(VectorOperators.LSHL, FastExp.MANTISSA).reinterpretAsFloats();
            DoubleVector y = p.mul(scale);
            y = y.blend(0.0, x.compare(VectorOperators.LT, FastExp.LO));
            y = y.blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.GT, FastExp.HI));
            y.intoArray(out, outOff + j);
        }
        for (int j = overlap ? len : covered; j < len; j++) {
            out[outOff + j] = FastExp.exp(in[inOff + j] - shift);
        }
    }

    /**
     * gelu_new as {@link Mlp} computes it: {@code s[i] = sigmoid(2u) = 1 / (1 + exp(-2u))},
     * {@code u = c (x + a x^3)}, and {@code o[i] = x s[i]}, for i &lt; len.
     */
    static void gelu(double[] pre, double[] s, double[] o, int len, double c, double a) {
        int l = S.length(), i = 0;
        double k1 = -2.0 * c, k3 = -2.0 * c * a;
        for (; i + l <= len; i += l) {                                  // s = -2u = x (k1 + k3 x^2)
            DoubleVector x = DoubleVector.fromArray(S, pre, i);
            x.mul(x).mul(k3).add(k1).mul(x).intoArray(s, i);
        }
        for (; i < len; i++) {
            double x = pre[i];
            s[i] = (x * x * k3 + k1) * x;
        }
        exp(s, 0, s, 0, len, 0.0);                                      // s = exp(-2u); x - 0 = x
        i = 0;
        for (; i + l <= len; i += l) {                                  // s = sigmoid(2u), o = x s
            DoubleVector sg = DoubleVector.broadcast(S, 1.0).div(DoubleVector.fromArray(S, s, i).add(1.0));
            sg.intoArray(s, i);
            DoubleVector.fromArray(S, pre, i).mul(sg).intoArray(o, i);
        }
        for (; i < len; i++) {
            double sg = 1.0 / (s[i] + 1.0);
            s[i] = sg;
            o[i] = pre[i] * sg;
        }
    }

    /** {@code out[off + j] = exp(in[off + j] - max)} for j &lt; t. */
    static void expShifted(double[] in, double[] out, int off, int t, double max) {
        exp(in, off, out, off, t, max);
    }

    /**
     * Rotary's turn of one head's (first half, second half) pairs, as {@link Positions#rotate}'s
     * scalar loop computes it ({@code x1 c - x2 s}, {@code x2 c + x1 s}, {@code s = sign sin}),
     * for the first {@code half - half % L} pairs.
     *
     * @param o offset of the head's E entries in {@code x}
     * @param t offset of the position's E/2 entries in the cos and sin tables
     * @return the first pair left to the caller
     */
    static int rotate(double[] x, int o, double[] cos, double[] sin, int t, int half, double sign) {
        int l = S.length(), j = 0;
        for (; j + l <= half; j += l) {
            DoubleVector c = DoubleVector.fromArray(S, cos, t + j), s = DoubleVector.fromArray(S, sin, t + j).mul(sign);
            DoubleVector x1 = DoubleVector.fromArray(S, x, o + j), x2 = DoubleVector.fromArray(S, x, o + j + half);
            x1.mul(c).sub(x2.mul(s)).intoArray(x, o + j);
            x2.mul(c).add(x1.mul(s)).intoArray(x, o + j + half);
        }
        return j;
    }
}
