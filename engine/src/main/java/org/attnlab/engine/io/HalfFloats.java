package org.attnlab.engine.io;

/**
 * The two 16-bit float formats of safetensors, as bit patterns held in a {@code short}:
 * IEEE 754 binary16 ({@code F16}: 1 sign, 5 exponent, 10 mantissa bits) and bfloat16
 * ({@code BF16}: the upper 16 bits of a float32). Decoding is exact; encoding rounds the double
 * to float first and then to the nearest 16-bit value, ties to even (IEEE 754's default
 * rounding); values past the largest finite one become infinities.
 */
final class HalfFloats {

    private HalfFloats() {
    }

    /** Decodes an IEEE 754 binary16 value (subnormals, infinities and NaN included), exactly. */
    static double f16ToDouble(short bits) {
        int h = bits & 0xffff;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        double v;
        if (exp == 0) {
            v = Math.scalb((double) mant, -24);
        } else if (exp == 0x1f) {
            v = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            v = Math.scalb((double) (mant | 0x400), exp - 25);
        }
        return (h & 0x8000) != 0 ? -v : v;
    }

    /** Decodes a bfloat16 value (the upper 16 bits of a float32), exactly. */
    static double bf16ToDouble(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Rounds {@code v} to float, then to the nearest binary16 (ties to even); NaN becomes a quiet NaN. */
    static short doubleToF16(double v) {
        float f = (float) v;
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        if (Float.isNaN(f)) {
            return (short) (sign | 0x7e00 | ((bits >>> 13) & 0x3ff));
        }
        float abs = Math.abs(f);
        if (abs >= 65520f) { // halfway between 65504 (max half) and 65536: ties-to-even goes up to infinity
            return (short) (sign | 0x7c00);
        }
        if (abs <= 0x1p-25f) { // at most half of the smallest subnormal 2^-24: ties-to-even goes to zero
            return (short) sign;
        }
        int exp = Math.getExponent(f); // -25 .. 15
        int shift = 13;
        int significand = bits & 0x7fffff;
        if (exp < -14) { // half subnormal: keep the implicit bit, shift further
            shift += -14 - exp;
            exp = -15;
            significand |= 0x800000;
        }
        int half = significand >>> shift;
        int lsb = (significand >>> shift) & 1;
        int round = (significand >>> (shift - 1)) & 1;
        int sticky = significand & ((1 << (shift - 1)) - 1);
        if (round != 0 && (lsb != 0 || sticky != 0)) {
            half++; // may carry into the exponent, which is the correct result
        }
        return (short) (sign | (((exp + 15) << 10) + half));
    }

    /** Rounds {@code v} to float, then to the nearest bfloat16 (ties to even); NaN becomes a quiet NaN. */
    static short doubleToBf16(double v) {
        float f = (float) v;
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
