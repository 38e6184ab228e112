package org.attnlab.engine.compute;

/**
 * {@code exp} from basic arithmetic only, so that the scalar and the vector version
 * ({@link SimdMath#exp}) give the same bits, and both are several times faster than
 * {@code Math.exp} (a call per element on JDK 17 that no loop vectorizes).
 *
 * <p>The method is Cody and Waite's (Cody and Waite 1980, "Software Manual for the Elementary
 * Functions"; as in Cephes' {@code expf}): {@code x = n ln 2 + r} with {@code n} the nearest integer to
 * {@code x / ln 2} (found by adding and subtracting {@code 1.5 2^52}, whose sum also holds n in its
 * low bits) and {@code r = x - n ln2_hi - n ln2_lo} in [-0.35, 0.35], then {@code e^r} by its
 * Taylor polynomial (degree 12 in float64, truncation below 2e-16; degree 7 in float32, below
 * 6e-9) in Horner form with fused multiply-adds, times {@code 2^n} built from the exponent bits.
 * Every step is a correctly rounded IEEE operation, which is what makes the result the same in
 * any loop, interpreter or compiler. Accuracy: about 1 ulp (float64 within 3e-16 relative,
 * float32 within 2e-7, tested against {@code Math.exp}).
 *
 * <p>Below {@link #LO} the result is 0 (the true value is below 1e-307, or 1e-38 in float32;
 * {@code exp(-inf) = 0}, as masked softmax entries need), above {@link #HI} it is +inf, NaN stays
 * NaN.
 */
final class FastExp {
    static final double LOG2E = 1.4426950408889634;
    static final double LN2_HI = 0.6931471803691238;       //@f32: static final float LN2_HI = 0.693359375f;
    static final double LN2_LO = 1.9082149292705877e-10;   //@f32: static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 2^52: adding it rounds to an integer, and its sum's low bits are that integer. */
    static final double MAGIC = 6755399441055744.0;        //@f32: static final float MAGIC = 12582912.0f;
    static final long MAGIC_BITS = Double.doubleToRawLongBits(MAGIC); //@f32: static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    static final int BIAS = 1023;                          //@f32: static final int BIAS = 127;
    static final int MANTISSA = 52;                        //@f32: static final int MANTISSA = 23;
    /** Below this, exp is 0; above {@link #HI}, +inf. */
    static final double LO = -708.0;                       //@f32: static final float LO = -87.0f;
    static final double HI = 709.0;                        //@f32: static final float HI = 88.0f;
    /** Taylor coefficients 1/k!, highest degree first. */
    static final double[] C = {1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880, 1.0 / 40320, //@f32: static final float[] C = {1.0f / 5040, 1.0f / 720, 1.0f / 120, 1.0f / 24, 1.0f / 6, 0.5f, 1.0f, 1.0f};
        1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1.0, 1.0}; //@f32:

    private FastExp() {
    }

    /** @return e^x (see the class comment for accuracy and limits) */
    static double exp(double x) {
        if (x < LO) {
            return 0.0;
        }
        if (x > HI) {
            return Double.POSITIVE_INFINITY;
        }
        double t = x * LOG2E + MAGIC;                      // Java never fuses this into an fma
        double n = t - MAGIC;
        double r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        double p = C[0];
        for (int i = 1; i < C.length; i++) {
            p = Math.fma(p, r, C[i]);
        }
        long bits = Double.doubleToRawLongBits(t) - MAGIC_BITS; //@f32: int bits = Float.floatToRawIntBits(t) - MAGIC_BITS;
        return p * Double.longBitsToDouble((bits + BIAS) << MANTISSA); //@f32: return p * Float.intBitsToFloat((bits + BIAS) << MANTISSA);
    }
}
