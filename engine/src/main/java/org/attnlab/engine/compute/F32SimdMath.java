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

    /** @return e^x in every lane, exactly as {@link F32FastExp#exp} */
    static FloatVector exp(FloatVector x) {
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
        return y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, F32FastExp.HI));
    }

    /**
     * gelu_new as {@link F32Mlp} computes it: {@code s[i] = sigmoid(2u) = 1 / (1 + exp(-2u))},
     * {@code u = c (x + a x^3)}, and {@code o[i] = x s[i]}, for i &lt; len.
     */
    static void gelu(float[] pre, float[] s, float[] o, int len, float c, float a) {
        int l = S.length(), i = 0;
        float k1 = -2.0f * c, k3 = -2.0f * c * a;
        for (; i + l <= len; i += l) {
            FloatVector x = FloatVector.fromArray(S, pre, i);
            FloatVector u2 = x.mul(x).mul(k3).add(k1).mul(x);          // -2u = x (k1 + k3 x^2)
            FloatVector sg = exp(u2).add(1.0f);
            sg = FloatVector.broadcast(S, 1.0f).div(sg);
            sg.intoArray(s, i);
            x.mul(sg).intoArray(o, i);
        }
        for (; i < len; i++) {
            float x = pre[i];
            float sg = 1.0f / (F32FastExp.exp((x * x * k3 + k1) * x) + 1.0f);
            s[i] = sg;
            o[i] = x * sg;
        }
    }

    /** {@code out[off + j] = exp(in[off + j] - max)} for j &lt; t. */
    static void expShifted(float[] in, float[] out, int off, int t, float max) {
        int l = S.length(), j = 0;
        for (; j + l <= t; j += l) {
            exp(FloatVector.fromArray(S, in, off + j).sub(max)).intoArray(out, off + j);
        }
        for (; j < t; j++) {
            out[off + j] = F32FastExp.exp(in[off + j] - max);
        }
    }
}
