package org.attnlab.app.common;

import java.util.Locale;

/** Number formats of the window (one place, so every label agrees). */
public final class Format {
    private Format() {
    }

    /** @return {@code 1,234} */
    public static String integer(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** @return a loss such as {@code 0.6931}, or an en dash if unknown */
    public static String loss(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.4f", x) : "\u2013";
    }

    /** @return a probability or accuracy as a percentage such as {@code 97.3%}, or an en dash */
    public static String percent(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.1f%%", 100 * x) : "\u2013";
    }

    /** @return a weight such as {@code 0.731} */
    public static String weight(double x) {
        return String.format(Locale.ROOT, "%.3f", x);
    }

    /** @return steps per second such as {@code 412} or {@code 3.5} */
    public static String rate(double x) {
        if (!Double.isFinite(x) || x <= 0) {
            return "0";
        }
        return x >= 20 ? String.format(Locale.ROOT, "%.0f", x) : String.format(Locale.ROOT, "%.1f", x);
    }

    /** @return a metric value: a percentage for names containing accuracy or match, else 3 decimals */
    public static String metric(String name, double x) {
        if (name != null && (name.contains("accuracy") || name.contains("match"))) {
            return percent(x);
        }
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.3f", x) : "\u2013";
    }
}
