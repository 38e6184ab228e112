package org.attnlab.app.common;

import javafx.scene.paint.Color;

/**
 * The heatmap colour map: white at 0 through light blue and violet to deep purple at 1
 * (ColorBrewer's sequential "BuPu", Harrower and Brewer 2003, with pure white at 0), so that
 * lightness falls monotonically with the weight and an empty cell reads as paper.
 *
 * <p>Weights are placed on the ramp by their square root ({@link #position}): attention spread
 * evenly over 30 keys (1/30 each) is then a visible light blue instead of near-white, while
 * the order of weights, and so of colours, is unchanged. The legend shows the true weights.
 */
public final class ColorMap {
    private static final int[] STOPS = {
        0xffffff, 0xe0ecf4, 0xbfd3e6, 0x9ebcda, 0x8c96c6, 0x8c6bb1, 0x88419d, 0x810f7c, 0x4d004b,
    };
    private static final int SIZE = 256;
    private static final int[] LUT = new int[SIZE];

    static {
        for (int i = 0; i < SIZE; i++) {
            double x = (double) i / (SIZE - 1) * (STOPS.length - 1);
            int k = Math.min((int) x, STOPS.length - 2);
            double f = x - k;
            int a = STOPS[k], b = STOPS[k + 1];
            int r = mix(a >> 16, b >> 16, f), g = mix(a >> 8, b >> 8, f), bl = mix(a, b, f);
            LUT[i] = 0xff000000 | r << 16 | g << 8 | bl;
        }
    }

    private ColorMap() {
    }

    private static int mix(int a, int b, double f) {
        a &= 0xff;
        b &= 0xff;
        return (int) Math.round(a + (b - a) * f);
    }

    /**
     * @param t a weight in [0, 1] (clamped; NaN gives a neutral grey)
     * @return the colour as {@code 0xAARRGGBB}
     */
    public static int argb(double t) {
        if (Double.isNaN(t)) {
            return 0xffd0d0d0;
        }
        int i = (int) Math.round(position(t) * (SIZE - 1));
        return LUT[i];
    }

    /** @return where weight {@code t} sits on the colour ramp, in [0, 1]: its square root */
    public static double position(double t) {
        return Math.sqrt(Math.max(0, Math.min(1, t)));
    }

    /** @return the weight at ramp position {@code p} (inverse of {@link #position}) */
    public static double weightAt(double p) {
        return p * p;
    }

    /** @return the colour of weight {@code t} */
    public static Color color(double t) {
        int c = argb(t);
        return Color.rgb(c >> 16 & 0xff, c >> 8 & 0xff, c & 0xff);
    }

}
