package org.attnlab.engine.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link FastExp} against {@code Math.exp} (about 1 ulp), its limits, and the Vector API
 * versions ({@link SimdMath}, {@link SimdMatMul}) against the scalar ones, bit for bit.
 */
class FastExpTest {
    @Test
    void float64IsWithinAFewUlps() {
        SplittableRandom r = new SplittableRandom(1);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double x = r.nextDouble(-700, 700);
            double want = Math.exp(x), got = FastExp.exp(x);
            worst = Math.max(worst, Math.abs(got - want) / want);
        }
        System.out.printf("FastExp float64 worst relative error %.2e%n", worst);
        assertTrue(worst < 5e-16, "worst relative error " + worst);
    }

    @Test
    void float32IsWithinAFewUlps() {
        SplittableRandom r = new SplittableRandom(2);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            float x = (float) r.nextDouble(-86, 87);
            double want = Math.exp(x), got = F32FastExp.exp(x);
            worst = Math.max(worst, Math.abs(got - want) / want);
        }
        System.out.printf("FastExp float32 worst relative error %.2e%n", worst);
        assertTrue(worst < 3e-7, "worst relative error " + worst);
    }

    @Test
    void limits() {
        assertEquals(0.0, FastExp.exp(Double.NEGATIVE_INFINITY));
        assertEquals(0.0f, F32FastExp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Double.POSITIVE_INFINITY, FastExp.exp(710));
        assertEquals(Float.POSITIVE_INFINITY, F32FastExp.exp(89f));
        assertTrue(Double.isNaN(FastExp.exp(Double.NaN)));
        assertTrue(Float.isNaN(F32FastExp.exp(Float.NaN)));
        assertEquals(1.0, FastExp.exp(0.0));
        assertEquals(1.0f, F32FastExp.exp(0.0f));
        assertEquals(Math.E, FastExp.exp(1.0), 1e-15);
    }

    @Test
    void vectorLanesEqualTheScalarVersion() {
        assumeTrue(Simd.ENABLED, "needs --add-modules jdk.incubator.vector");
        SplittableRandom r = new SplittableRandom(3);
        int n = 1000;
        double[] x = new double[n], y = new double[n];
        float[] xf = new float[n], yf = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 97 == 0 ? Double.NEGATIVE_INFINITY : r.nextDouble(-750, 20);
            xf[i] = (float) x[i];
        }
        SimdMath.expShifted(x, y, 0, n, 3.0);
        F32SimdMath.expShifted(xf, yf, 0, n, 3.0f);
        for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToRawLongBits(FastExp.exp(x[i] - 3.0)), Double.doubleToRawLongBits(y[i]),
                    "float64 lane " + i + " x=" + x[i]);
            assertEquals(Float.floatToRawIntBits(F32FastExp.exp(xf[i] - 3.0f)), Float.floatToRawIntBits(yf[i]),
                    "float32 lane " + i + " x=" + xf[i]);
        }
    }

    @Test
    void vectorMatrixKernelEqualsTheScalarOrder() {
        assumeTrue(Simd.ENABLED, "needs --add-modules jdk.incubator.vector");
        SplittableRandom r = new SplittableRandom(4);
        for (int[] s : new int[][] {{7, 5, 37}, {30, 16, 30}, {64, 300, 48}, {5, 3, 17}}) {
            int m = s[0], k = s[1], n = s[2];
            float[] a = new float[m * k], c0 = new float[m * n], c1 = new float[m * n];
            float[][] b = new float[k][n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextGaussian();
            }
            for (float[] row : b) {
                for (int j = 0; j < n; j++) {
                    row[j] = (float) r.nextGaussian();
                }
            }
            for (int i = 0; i < c0.length; i++) {
                c0[i] = c1[i] = (float) r.nextGaussian();
            }
            F32SimdMatMul.multAdd(a, 0, k, 1, b, m, k, n, c0, 0, n, MatMul.FULL, new F32MatMul());
            for (int i = 0; i < m; i++) {                     // the scalar order: fma over p ascending
                for (int j = 0; j < n; j++) {
                    float acc = c1[i * n + j];
                    for (int p = 0; p < k; p++) {
                        acc = Math.fma(a[i * k + p], b[p][j], acc);
                    }
                    c1[i * n + j] = acc;
                }
            }
            for (int i = 0; i < c0.length; i++) {
                assertEquals(Float.floatToRawIntBits(c1[i]), Float.floatToRawIntBits(c0[i]),
                        m + "x" + k + "x" + n + " entry " + i);
            }
        }
    }
}
