package org.attnlab.engine.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The causal shortcut of {@link SoftmaxAttentionCompute#softmaxRows} (and its float32 twin):
 * computing only a row's unmasked prefix gives the same bits as the whole row, and each row is
 * a probability distribution that is 0 where masked. Row lengths cover the vector-length and
 * 4-chain boundaries (1, 3, 5, 8, 15, 16, 17, 30, 33, 64).
 */
class SoftmaxRowsTest {
    private static final int[] LENGTHS = {1, 3, 5, 8, 15, 16, 17, 30, 33, 64};

    @Test
    void float64CausalPrefixGivesTheWholeRowsBits() {
        SplittableRandom r = new SplittableRandom(7);
        for (int t : LENGTHS) {
            int rows = 3 * t;                                     // 3 sequences' (or heads') blocks
            double[] in = new double[rows * t];
            for (int row = 0; row < rows; row++) {
                int i = row % t;
                for (int j = 0; j < t; j++) {
                    in[row * t + j] = j <= i ? r.nextDouble(-8, 8) : Double.NEGATIVE_INFINITY;
                }
            }
            double[] whole = new double[in.length], prefix = new double[in.length];
            java.util.Arrays.fill(prefix, Double.NaN);            // every entry must be written
            SoftmaxAttentionCompute.softmaxRows(in, whole, rows, t, false);
            SoftmaxAttentionCompute.softmaxRows(in, prefix, rows, t, true);
            for (int x = 0; x < in.length; x++) {
                assertEquals(Double.doubleToRawLongBits(whole[x]), Double.doubleToRawLongBits(prefix[x]),
                        "t=" + t + " entry " + x + ": " + whole[x] + " vs " + prefix[x]);
            }
            for (int row = 0; row < rows; row++) {
                double sum = 0;
                for (int j = 0; j < t; j++) {
                    sum += prefix[row * t + j];
                    if (j > row % t) {
                        assertEquals(0.0, prefix[row * t + j], "masked entry t=" + t + " row " + row);
                    }
                }
                assertEquals(1.0, sum, 1e-12, "row sum t=" + t + " row " + row);
            }
        }
    }

    @Test
    void float32CausalPrefixGivesTheWholeRowsBits() {
        SplittableRandom r = new SplittableRandom(8);
        for (int t : LENGTHS) {
            int rows = 3 * t;
            float[] in = new float[rows * t];
            for (int row = 0; row < rows; row++) {
                int i = row % t;
                for (int j = 0; j < t; j++) {
                    in[row * t + j] = j <= i ? (float) r.nextDouble(-8, 8) : Float.NEGATIVE_INFINITY;
                }
            }
            float[] whole = new float[in.length], prefix = new float[in.length];
            java.util.Arrays.fill(prefix, Float.NaN);
            F32SoftmaxAttentionCompute.softmaxRows(in, whole, rows, t, false);
            F32SoftmaxAttentionCompute.softmaxRows(in, prefix, rows, t, true);
            for (int x = 0; x < in.length; x++) {
                assertEquals(Float.floatToRawIntBits(whole[x]), Float.floatToRawIntBits(prefix[x]),
                        "t=" + t + " entry " + x + ": " + whole[x] + " vs " + prefix[x]);
            }
            for (int row = 0; row < rows; row++) {
                double sum = 0;
                for (int j = 0; j < t; j++) {
                    sum += prefix[row * t + j];
                    if (j > row % t) {
                        assertEquals(0.0f, prefix[row * t + j], "masked entry t=" + t + " row " + row);
                    }
                }
                assertEquals(1.0, sum, 1e-5, "row sum t=" + t + " row " + row);
            }
        }
    }
}
