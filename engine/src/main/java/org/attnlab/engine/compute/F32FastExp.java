// GENERATED from FastExp.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

/**
 * {@code exp} from basic arithmetic only, so that the scalar and the vector version
 * ({@link F32SimdMath#exp}) give the same bits, and both are several times faster than
 * {@code Math.exp} (a call per element on JDK 17 that no loop vectorizes).
 *
 * <p>The method is Cody and Waite's (Cody and Waite 1980, "Software Manual for the Elementary
 * Functions"; as in Cephes' {@code expf}): {@code x = n ln 2 + r} with {@code n} the nearest integer to
 * {@code x / ln 2} (found by adding and subtracting {@code 1.5 2^52}, whose sum also holds n in its
 * low bits) and {@code r = x - n ln2_hi - n ln2_lo} in [-0.35, 0.35], then {@code e^r} by its
 * Taylor polynomial (degree 12 in float32, truncation below 2e-16; degree 7 in float32, below
 * 6e-9) in Horner form with fused multiply-adds, times {@code 2^n} built from the exponent bits.
 * Every step is a correctly rounded IEEE operation, which is what makes the result the same in
 * any loop, interpreter or compiler. Accuracy: about 1 ulp (float32 within 3e-16 relative,
 * float32 within 2e-7, tested against {@code Math.exp}).
 *
 * <p>Below {@link #LO} the result is 0 (the true value is below 1e-307, or 1e-38 in float32;
 * {@code exp(-inf) = 0}, as masked softmax entries need), above {@link #HI} it is +inf, NaN stays
 * NaN.
 */
final class F32FastExp {
    static final float LOG2E = 1.4426950408889634f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 2^52: adding it rounds to an integer, and its sum's low bits are that integer. */
    static final float MAGIC = 12582912.0f;
    static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    static final int BIAS = 127;
    static final int MANTISSA = 23;
    /** Below this, exp is 0; above {@link #HI}, +inf. */
    static final float LO = -87.0f;
    static final float HI = 88.0f;
    /** Taylor coefficients 1/k!, highest degree first. */
    static final float[] C = {1.0f / 5040, 1.0f / 720, 1.0f / 120, 1.0f / 24, 1.0f / 6, 0.5f, 1.0f, 1.0f};
        

    private F32FastExp() {
    }

    /** @return e^x (see the class comment for accuracy and limits) */
    static float exp(float x) {
        if (x < LO) {
            return 0.0f;
        }
        if (x > HI) {
            return Float.POSITIVE_INFINITY;
        }
        float t = x * LOG2E + MAGIC;                      // Java never fuses this into an fma
        float n = t - MAGIC;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = C[0];
        for (int i = 1; i < C.length; i++) {
            p = Math.fma(p, r, C[i]);
        }
        int bits = Float.floatToRawIntBits(t) - MAGIC_BITS;
        return p * Float.intBitsToFloat((bits + BIAS) << MANTISSA);
    }
}
