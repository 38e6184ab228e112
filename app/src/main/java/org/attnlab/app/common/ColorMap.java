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
 *
 * <p>The projector theme switches to a high-contrast map ({@link #setHighContrast}): white at 0
 * through yellow, orange, red and purple to black at 1 (matplotlib's "inferno" reversed, white
 * prepended), whose lightness spans the whole range (L* 100 to 0), so that even a washed-out
 * projector shows the weights apart; BuPu ends at L* 15 and its low half is pastel.
 */
public final class ColorMap {
    private static final int[] STOPS = {
        0xffffff, 0xe0ecf4, 0xbfd3e6, 0x9ebcda, 0x8c96c6, 0x8c6bb1, 0x88419d, 0x810f7c, 0x4d004b,
    };
    private static final int[] HIGH_CONTRAST_STOPS = {
        0xffffff, 0xfcffa4, 0xfac228, 0xf57d15, 0xd44842, 0x9f2a63, 0x65156e, 0x280b53, 0x000004,
    };
    private static final int SIZE = 256;
    private static final int[] NORMAL_LUT = lut(STOPS);
    private static final int[] HIGH_CONTRAST_LUT = lut(HIGH_CONTRAST_STOPS);
    private static volatile int[] lut = NORMAL_LUT;

    private static int[] lut(int[] stops) {
        int[] out = new int[SIZE];
        for (int i = 0; i < SIZE; i++) {
            double x = (double) i / (SIZE - 1) * (stops.length - 1);
            int k = Math.min((int) x, stops.length - 2);
            double f = x - k;
            int a = stops[k], b = stops[k + 1];
            int r = mix(a >> 16, b >> 16, f), g = mix(a >> 8, b >> 8, f), bl = mix(a, b, f);
            out[i] = 0xff000000 | r << 16 | g << 8 | bl;
        }
        return out;
    }

    /**
     * @param on whether heatmaps use the high-contrast map (the projector theme) instead of BuPu;
     *     views redraw through {@link CanvasStyle#highContrastProperty()}, which calls this
     */
    public static void setHighContrast(boolean on) {
        lut = on ? HIGH_CONTRAST_LUT : NORMAL_LUT;
    }

    /** @return whether the high-contrast map is in use */
    public static boolean isHighContrast() {
        return lut == HIGH_CONTRAST_LUT;
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
        return lut[i];
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
