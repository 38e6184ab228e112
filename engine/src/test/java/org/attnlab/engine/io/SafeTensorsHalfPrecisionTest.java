package org.attnlab.engine.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** F16 and BF16 conversions, checked exhaustively over all 65,536 bit patterns. */
class SafeTensorsHalfPrecisionTest {

    private static int f16(double v) {
        return HalfFloats.doubleToF16(v) & 0xffff;
    }

    private static int bf16(double v) {
        return HalfFloats.doubleToBf16(v) & 0xffff;
    }

    @Test
    void f16KnownValues() {
        assertEquals(1.0, HalfFloats.f16ToDouble((short) 0x3c00));
        assertEquals(-2.0, HalfFloats.f16ToDouble((short) 0xc000));
        assertEquals(0.5, HalfFloats.f16ToDouble((short) 0x3800));
        assertEquals(65504.0, HalfFloats.f16ToDouble((short) 0x7bff));
        assertEquals(0x1p-24, HalfFloats.f16ToDouble((short) 0x0001));
        assertEquals(0x1p-14, HalfFloats.f16ToDouble((short) 0x0400));
        assertEquals(1023 * 0x1p-24, HalfFloats.f16ToDouble((short) 0x03ff));
        assertEquals(0.333251953125, HalfFloats.f16ToDouble((short) 0x3555));
        assertEquals(Double.POSITIVE_INFINITY, HalfFloats.f16ToDouble((short) 0x7c00));
        assertEquals(Double.NEGATIVE_INFINITY, HalfFloats.f16ToDouble((short) 0xfc00));
        assertTrue(Double.isNaN(HalfFloats.f16ToDouble((short) 0x7e00)));
        assertTrue(Double.isNaN(HalfFloats.f16ToDouble((short) 0xfc01)));
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(HalfFloats.f16ToDouble((short) 0x8000)));

        assertEquals(0x3800, f16(0.5));
        assertEquals(0xc000, f16(-2));
        assertEquals(0x7bff, f16(65504));
        assertEquals(0x0001, f16(0x1p-24));
        assertEquals(0x7c00, f16(Double.POSITIVE_INFINITY));
        assertEquals(0xfc00, f16(Double.NEGATIVE_INFINITY));
        assertEquals(0x8000, f16(-0.0));
        assertEquals(0x7bff, f16(65519.99));
        assertEquals(0x7c00, f16(65520));
        assertEquals(0xfc00, f16(-1e10));
        assertEquals(0x0000, f16(0x1p-25)); // tie between 0 and the smallest subnormal: to even (0)
        assertEquals(0x0001, f16(Math.nextUp((float) 0x1p-25)));
        assertEquals(0x8000, f16(-0x1p-25));
        assertEquals(0x0000, f16(1e-30));
        int nan = f16(Double.NaN);
        assertEquals(0x7c00, nan & 0x7c00);
        assertTrue((nan & 0x3ff) != 0);
        // rounding goes double -> float -> half: 1 + 2^-11 + 2^-40 becomes the float 1 + 2^-11, a tie, then even
        assertEquals(0x3c00, f16(1 + 0x1p-11 + 0x1p-40));
    }

    @Test
    void f16EveryPatternRoundTrips() {
        for (int h = 0; h <= 0xffff; h++) {
            double v = HalfFloats.f16ToDouble((short) h);
            boolean nanPattern = (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0;
            assertEquals(nanPattern, Double.isNaN(v), Integer.toHexString(h));
            if (nanPattern) {
                int back = f16(v);
                assertTrue((back & 0x7c00) == 0x7c00 && (back & 0x3ff) != 0, Integer.toHexString(h));
            } else {
                assertEquals(h, f16(v), Integer.toHexString(h));
            }
        }
    }

    @Test
    void f16RoundsToNearestEvenBetweenEveryPairOfNeighbours() {
        for (int h = 0; h < 0x7c00; h++) {
            double lo = HalfFloats.f16ToDouble((short) h);
            double hi = h == 0x7bff ? 65536.0 : HalfFloats.f16ToDouble((short) (h + 1));
            float mid = (float) ((lo + hi) / 2);
            assertEquals((lo + hi) / 2, mid, 0.0, "midpoint exact in float");
            int even = (h & 1) == 0 ? h : h + 1;
            assertEquals(even, f16(mid), "tie at " + Integer.toHexString(h));
            assertEquals(h + 1, f16(Math.nextUp(mid)), "above tie at " + Integer.toHexString(h));
            assertEquals(h, f16(Math.nextDown(mid)), "below tie at " + Integer.toHexString(h));
            assertEquals(even | 0x8000, f16(-mid), "negative tie at " + Integer.toHexString(h));
            assertEquals((h + 1) | 0x8000, f16(-Math.nextUp(mid)));
        }
    }

    @Test
    void bf16KnownValues() {
        assertEquals(1.0, HalfFloats.bf16ToDouble((short) 0x3f80));
        assertEquals(-2.0, HalfFloats.bf16ToDouble((short) 0xc000));
        assertEquals(3.140625, HalfFloats.bf16ToDouble((short) 0x4049));
        assertEquals(0x1p-133, HalfFloats.bf16ToDouble((short) 0x0001));
        assertEquals(0x1.fep127, HalfFloats.bf16ToDouble((short) 0x7f7f));
        assertEquals(Double.POSITIVE_INFINITY, HalfFloats.bf16ToDouble((short) 0x7f80));
        assertEquals(Double.NEGATIVE_INFINITY, HalfFloats.bf16ToDouble((short) 0xff80));
        assertTrue(Double.isNaN(HalfFloats.bf16ToDouble((short) 0x7fc0)));

        assertEquals(0x3f00, bf16(0.5));
        assertEquals(0x4049, bf16(Math.PI)); // 3.14159... rounds to 3.140625
        assertEquals(0x3f80, bf16(1 + 0x1p-8)); // tie: to even
        assertEquals(0x3f82, bf16(1 + 3 * 0x1p-8)); // tie: to even (up)
        assertEquals(0x7f80, bf16(1e39));
        assertEquals(0x7f80, bf16(Double.POSITIVE_INFINITY));
        assertEquals(0x8000, bf16(-0.0));
        int nan = bf16(Double.NaN);
        assertEquals(0x7f80, nan & 0x7f80);
        assertTrue((nan & 0x7f) != 0);
    }

    @Test
    void bf16EveryPatternRoundTripsAndRoundsToNearestEven() {
        for (int b = 0; b <= 0xffff; b++) {
            double v = HalfFloats.bf16ToDouble((short) b);
            boolean nanPattern = (b & 0x7f80) == 0x7f80 && (b & 0x7f) != 0;
            assertEquals(nanPattern, Double.isNaN(v), Integer.toHexString(b));
            if (!nanPattern) {
                assertEquals(b, bf16(v), Integer.toHexString(b));
            }
        }
        for (int b = 0; b < 0x7f80; b++) {
            float mid = Float.intBitsToFloat((b << 16) | 0x8000);
            int even = (b & 1) == 0 ? b : b + 1;
            assertEquals(even, bf16(mid), Integer.toHexString(b));
            assertEquals(b + 1, bf16(Math.nextUp(mid)), Integer.toHexString(b));
            assertEquals(b, bf16(Math.nextDown(mid)), Integer.toHexString(b));
            assertEquals(even | 0x8000, bf16(-mid), Integer.toHexString(b));
        }
    }
}
