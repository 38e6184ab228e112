package org.attnlab.app.training;

import java.util.Arrays;

/**
 * A growing series kept at a bounded number of points: when full, neighbouring points are
 * merged pairwise (x of the later, mean of y), and from then on each stored point is the mean
 * of twice as many raw points. Memory and the cost of {@link #curve()} stay bounded however
 * long training runs, and a noisy training loss is smoothed the longer the curve gets. Used by
 * one thread (the training thread).
 */
final class CurveBuffer {
    private final int capacity;
    private final double[] xs;
    private final double[] ys;
    private int size;
    private int stride = 1;      // raw points per stored point
    private int pending;         // raw points in the bucket being filled
    private double pendingSum;

    /** @param capacity the most points kept, even, at least 2 */
    CurveBuffer(int capacity) {
        if (capacity < 2 || capacity % 2 != 0) {
            throw new IllegalArgumentException("capacity must be even and at least 2");
        }
        this.capacity = capacity;
        this.xs = new double[capacity];
        this.ys = new double[capacity];
    }

    /** Appends a raw point; non-finite values are skipped. */
    void add(double x, double y) {
        if (!Double.isFinite(y)) {
            return;
        }
        pendingSum += y;
        if (++pending < stride) {
            return;
        }
        if (size == capacity) {
            for (int i = 0; i < capacity / 2; i++) {
                xs[i] = xs[2 * i + 1];
                ys[i] = 0.5 * (ys[2 * i] + ys[2 * i + 1]);
            }
            size = capacity / 2;
            stride *= 2;
            if (pending < stride) {
                return;          // keep filling the (now larger) bucket
            }
        }
        xs[size] = x;
        ys[size] = pendingSum / pending;
        size++;
        pending = 0;
        pendingSum = 0;
    }

    /** @return an immutable copy of the stored points */
    Curve curve() {
        return size == 0 ? Curve.EMPTY : new Curve(Arrays.copyOf(xs, size), Arrays.copyOf(ys, size));
    }

    /** Forgets every point. */
    void clear() {
        size = 0;
        stride = 1;
        pending = 0;
        pendingSum = 0;
    }
}
