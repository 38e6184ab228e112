// GENERATED from SimdMath.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise loops that call {@code exp} (gelu_new, softmax), on the JDK's Vector API:
 * {@link #exp} is {@link F32FastExp#exp} lane by lane, the same operations in the same order, so a
 * vector lane and the scalar tail give the same bits as the scalar fallback. Used only when
 * {@link Simd#ENABLED}.
 */
final class F32SimdMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private F32SimdMath() {
    }

    /**
     * {@code out[outOff + j] = exp(in[inOff + j] - shift)} for j &lt; len, each lane exactly
     * {@link F32FastExp#exp}. The exp is written out inside the loop, not a method taking and
     * returning vectors: where C2 declines to inline such a method (it was compiled on its own
     * first, "already compiled into a big method"), every vector crossing the call is boxed on
     * the heap, which made steady-state steps allocate tens of kilobytes depending on test order.
     */
    static void exp(float[] in, int inOff, float[] out, int outOff, int len, float shift) {
        int l = S.length(), covered = len - len % l;
        // out of place, the last len % l entries are one more vector over the last l: the lanes it
        // shares with the one before get the same bits again (softmax rows of T = 30)
        boolean overlap = in != out && len >= l && covered < len;
        int vectors = covered / l + (overlap ? 1 : 0);
        for (int v = 0; v < vectors; v++) {
            int j = Math.min(v * l, len - l);
            FloatVector x = FloatVector.fromArray(S, in, inOff + j).sub(shift);
            FloatVector t = x.mul(F32FastExp.LOG2E).add(F32FastExp.MAGIC);
            FloatVector n = t.sub(F32FastExp.MAGIC);
            FloatVector r = n.fma(FloatVector.broadcast(S, -F32FastExp.LN2_HI), x);
            r = n.fma(FloatVector.broadcast(S, -F32FastExp.LN2_LO), r);
            // F32FastExp.C in Horner form, written out: a loop over it kept vectors boxed (JDK 17's C2)
            FloatVector p = FloatVector.broadcast(S, F32FastExp.C[0]);
            
            
            
            
            
            p = p.fma(r, FloatVector.broadcast(S, F32FastExp.C[1]));
            p = p.fma(r, FloatVector.broadcast(S, F32FastExp.C[2]));
            p = p.fma(r, FloatVector.broadcast(S, F32FastExp.C[3]));
            p = p.fma(r, FloatVector.broadcast(S, F32FastExp.C[4]));
            p = p.fma(r, FloatVector.broadcast(S, F32FastExp.C[5]));
            p = p.fma(r, FloatVector.broadcast(S, F32FastExp.C[6]));
            p = p.fma(r, FloatVector.broadcast(S, F32FastExp.C[7]));
            IntVector bits = t.reinterpretAsInts().sub(F32FastExp.MAGIC_BITS);
            FloatVector scale = bits.add(F32FastExp.BIAS).lanewise(VectorOperators.LSHL, F32FastExp.MANTISSA).reinterpretAsFloats();
            FloatVector y = p.mul(scale);
            y = y.blend(0.0f, x.compare(VectorOperators.LT, F32FastExp.LO));
            y = y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, F32FastExp.HI));
            y.intoArray(out, outOff + j);
        }
        for (int j = overlap ? len : covered; j < len; j++) {
            out[outOff + j] = F32FastExp.exp(in[inOff + j] - shift);
        }
    }

    /**
     * gelu_new as {@link F32Mlp} computes it: {@code s[i] = sigmoid(2u) = 1 / (1 + exp(-2u))},
     * {@code u = c (x + a x^3)}, and {@code o[i] = x s[i]}, for i &lt; len.
     */
    static void gelu(float[] pre, float[] s, float[] o, int len, float c, float a) {
        int l = S.length(), i = 0;
        float k1 = -2.0f * c, k3 = -2.0f * c * a;
        for (; i + l <= len; i += l) {                                  // s = -2u = x (k1 + k3 x^2)
            FloatVector x = FloatVector.fromArray(S, pre, i);
            x.mul(x).mul(k3).add(k1).mul(x).intoArray(s, i);
        }
        for (; i < len; i++) {
            float x = pre[i];
            s[i] = (x * x * k3 + k1) * x;
        }
        exp(s, 0, s, 0, len, 0.0f);                                      // s = exp(-2u); x - 0 = x
        i = 0;
        for (; i + l <= len; i += l) {                                  // s = sigmoid(2u), o = x s
            FloatVector sg = FloatVector.broadcast(S, 1.0f).div(FloatVector.fromArray(S, s, i).add(1.0f));
            sg.intoArray(s, i);
            FloatVector.fromArray(S, pre, i).mul(sg).intoArray(o, i);
        }
        for (; i < len; i++) {
            float sg = 1.0f / (s[i] + 1.0f);
            s[i] = sg;
            o[i] = pre[i] * sg;
        }
    }

    /** {@code out[off + j] = exp(in[off + j] - max)} for j &lt; t. */
    static void expShifted(float[] in, float[] out, int off, int t, float max) {
        exp(in, off, out, off, t, max);
    }

    /**
     * Rotary's turn of one head's (first half, second half) pairs, as {@link F32Positions#rotate}'s
     * scalar loop computes it ({@code x1 c - x2 s}, {@code x2 c + x1 s}, {@code s = sign sin}),
     * for the first {@code half - half % L} pairs.
     *
     * @param o offset of the head's E entries in {@code x}
     * @param t offset of the position's E/2 entries in the cos and sin tables
     * @return the first pair left to the caller
     */
    static int rotate(float[] x, int o, float[] cos, float[] sin, int t, int half, float sign) {
        int l = S.length(), j = 0;
        for (; j + l <= half; j += l) {
            FloatVector c = FloatVector.fromArray(S, cos, t + j), s = FloatVector.fromArray(S, sin, t + j).mul(sign);
            FloatVector x1 = FloatVector.fromArray(S, x, o + j), x2 = FloatVector.fromArray(S, x, o + j + half);
            x1.mul(c).sub(x2.mul(s)).intoArray(x, o + j);
            x2.mul(c).add(x1.mul(s)).intoArray(x, o + j + half);
        }
        return j;
    }
}
