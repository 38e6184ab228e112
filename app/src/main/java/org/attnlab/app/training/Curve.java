package org.attnlab.app.training;

/**
 * An immutable series of points (x = step), already downsampled to a bounded size.
 *
 * @param x steps, increasing (do not modify)
 * @param y values (do not modify)
 */
public record Curve(double[] x, double[] y) {
    /** The empty curve. */
    public static final Curve EMPTY = new Curve(new double[0], new double[0]);

    /** @return the number of points */
    public int size() {
        return x.length;
    }

    /** @return the last value, or NaN if empty */
    public double last() {
        return y.length == 0 ? Double.NaN : y[y.length - 1];
    }
}
