package org.attnlab.engine.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;

/**
 * A bounded record of a training run, for scrubbing back through it: every {@link #every()}
 * steps a {@link Moment} with the mean training loss since the previous moment, the last
 * held-out loss and metric, and the probe example's attention patterns; now and then a copy of
 * the parameters too, so that views can analyse that moment.
 *
 * <p>Memory stays bounded however long training runs: when more than {@link #capacity()}
 * moments are held, every other one is merged into its successor (their loss means combined)
 * and the interval doubles; likewise when more than {@link #paramCapacity()} moments hold a
 * parameter copy, every other copy is dropped and the copy interval doubles. So the history
 * always spans the whole run at an even resolution, the classic "thinning" of a bounded
 * trace. Bytes held are at most about
 * {@code capacity * (4 L H T^2 + 4 T + 100) + paramCapacity * 8 P} for P parameters and T the
 * longest probe ({@link #maxBytes}).
 *
 * <p>Not thread-safe: the training thread records; {@link #moments()} hands out an immutable
 * list (moments are immutable) that other threads may keep.
 */
public final class TrainingHistory {
    /** Default number of moments kept. */
    public static final int DEFAULT_CAPACITY = 256;
    /** Default number of parameter copies kept. */
    public static final int DEFAULT_PARAM_CAPACITY = 12;

    /**
     * One recorded moment.
     *
     * @param step       the optimizer step
     * @param trainLoss  mean training loss over the {@code lossCount} steps since the previous moment (NaN if none)
     * @param lossCount  how many step losses that mean covers
     * @param evalLoss   the last held-out loss at or before {@code step} (NaN before the first evaluation)
     * @param metric     the last held-out headline metric (NaN before the first evaluation)
     * @param tokens     the probe's token ids, [T]; do not modify
     * @param layers     L
     * @param heads      H
     * @param patterns   the probe's attention, [L*H*T*T] ({@code patterns[((l*H + h)*T + q)*T + k]}); do not modify
     * @param params     a parameter copy at {@code step}, or null; do not modify
     */
    public record Moment(long step, double trainLoss, int lossCount, double evalLoss, double metric, int[] tokens,
                         int layers, int heads, float[] patterns, Parameters params) {
        /** @return T, the probe's length */
        public int length() {
            return tokens.length;
        }

        /** @return the pattern of head (l, h) as doubles, [T*T] */
        public double[] pattern(int l, int h) {
            int t = tokens.length, off = (l * heads + h) * t * t;
            double[] out = new double[t * t];
            for (int i = 0; i < out.length; i++) {
                out[i] = patterns[off + i];
            }
            return out;
        }

        Moment withParams(Parameters p) {
            return new Moment(step, trainLoss, lossCount, evalLoss, metric, tokens, layers, heads, patterns, p);
        }
    }

    private final int capacity;
    private final int paramCapacity;
    private final List<Moment> moments = new ArrayList<>();
    private String metricName;
    private long every;
    private long paramEvery;
    private long lastParamStep = Long.MIN_VALUE;
    private double pendingSum;
    private int pendingCount;
    private List<Moment> view = List.of();

    /** A history with the default capacities, recording every step at first. */
    public TrainingHistory() {
        this(DEFAULT_CAPACITY, DEFAULT_PARAM_CAPACITY, 1);
    }

    /**
     * @param capacity      most moments kept, at least 4
     * @param paramCapacity most parameter copies kept, at least 1
     * @param every         steps between moments at first, at least 1
     * @throws IllegalArgumentException if a bound is too small
     */
    public TrainingHistory(int capacity, int paramCapacity, long every) {
        if (capacity < 4 || paramCapacity < 1 || every < 1) {
            throw new IllegalArgumentException("need capacity >= 4, paramCapacity >= 1, every >= 1; got "
                    + capacity + ", " + paramCapacity + ", " + every);
        }
        this.capacity = capacity;
        this.paramCapacity = paramCapacity;
        this.every = every;
        this.paramEvery = every * Math.max(1, capacity / paramCapacity);
    }

    /** Restores a history as saved ({@link TrainingHistoryFile}). */
    TrainingHistory(int capacity, int paramCapacity, long every, long paramEvery, long lastParamStep, String metricName,
                    double pendingSum, int pendingCount, List<Moment> moments) {
        this(capacity, paramCapacity, every);
        this.paramEvery = paramEvery;
        this.lastParamStep = lastParamStep;
        this.metricName = metricName;
        this.pendingSum = pendingSum;
        this.pendingCount = pendingCount;
        this.moments.addAll(moments);
        this.view = List.copyOf(moments);
    }

    /** @return most moments kept */
    public int capacity() {
        return capacity;
    }

    /** @return most parameter copies kept */
    public int paramCapacity() {
        return paramCapacity;
    }

    /** @return the current number of steps between moments */
    public long every() {
        return every;
    }

    /** @return the current least number of steps between parameter copies */
    public long paramEvery() {
        return paramEvery;
    }

    long lastParamStep() {
        return lastParamStep;
    }

    double pendingSum() {
        return pendingSum;
    }

    int pendingCount() {
        return pendingCount;
    }

    /** @return the headline metric's name (e.g. accuracy), or null before one was recorded */
    public String metricName() {
        return metricName;
    }

    /** Adds one step's training loss to the interval the next moment summarises (every step). */
    public void addLoss(double loss) {
        if (Double.isFinite(loss)) {
            pendingSum += loss;
            pendingCount++;
        }
    }

    /** @return whether a moment is due at {@code step} (at least {@link #every()} steps after the last) */
    public boolean due(long step) {
        return moments.isEmpty() || step - moments.get(moments.size() - 1).step() >= every;
    }

    /** @return whether the moment at {@code step} should carry a parameter copy */
    public boolean wantsParams(long step) {
        return lastParamStep == Long.MIN_VALUE || step - lastParamStep >= paramEvery;
    }

    /**
     * Records a moment (call when {@link #due}); thins the history if it is full.
     *
     * @param metricName the headline metric's name, or null
     * @param patterns   [L*H*T*T], kept (pass a fresh array)
     * @param params     a parameter copy (when {@link #wantsParams}), kept, or null
     * @throws IllegalArgumentException if {@code step} is not after the last moment or the sizes disagree
     */
    public void record(long step, double evalLoss, double metric, String metricName, int[] tokens, int layers, int heads,
                       float[] patterns, Parameters params) {
        if (!moments.isEmpty() && step <= moments.get(moments.size() - 1).step()) {
            throw new IllegalArgumentException("step " + step + " is not after the last moment's");
        }
        int t = tokens.length;
        if (patterns.length != layers * heads * t * t) {
            throw new IllegalArgumentException("patterns need L*H*T*T = " + layers * heads * t * t + " values");
        }
        double mean = pendingCount == 0 ? Double.NaN : pendingSum / pendingCount;
        moments.add(new Moment(step, mean, pendingCount, evalLoss, metric, tokens.clone(), layers, heads, patterns, params));
        if (metricName != null) {
            this.metricName = metricName;
        }
        pendingSum = 0;
        pendingCount = 0;
        if (params != null) {
            lastParamStep = step;
        }
        if (moments.size() > capacity) {
            thinMoments();
        }
        if (countParams() > paramCapacity) {
            thinParams();
        }
        view = Collections.unmodifiableList(new ArrayList<>(moments));
    }

    /** @return the moments, oldest first (an immutable list) */
    public List<Moment> moments() {
        return view;
    }

    /** @return the number of moments held */
    public int size() {
        return moments.size();
    }

    /** Merges every other moment into its successor and doubles the interval. */
    private void thinMoments() {
        List<Moment> kept = new ArrayList<>(moments.size() / 2 + 1);
        int n = moments.size();
        int start = n % 2;                      // odd count: the oldest stays alone
        if (start == 1) {
            kept.add(moments.get(0));
        }
        for (int i = start; i + 1 < n; i += 2) {
            Moment a = moments.get(i), b = moments.get(i + 1);
            int count = a.lossCount() + b.lossCount();
            double sum = (a.lossCount() > 0 ? a.trainLoss() * a.lossCount() : 0)
                    + (b.lossCount() > 0 ? b.trainLoss() * b.lossCount() : 0);
            kept.add(new Moment(b.step(), count == 0 ? Double.NaN : sum / count, count, b.evalLoss(), b.metric(),
                    b.tokens(), b.layers(), b.heads(), b.patterns(), b.params()));
        }
        moments.clear();
        moments.addAll(kept);
        every *= 2;
        paramEvery = Math.max(paramEvery, every);
    }

    /** Drops every other parameter copy (keeping the newest) and doubles the copy interval. */
    private void thinParams() {
        int seen = 0;
        for (int i = moments.size() - 1; i >= 0; i--) {
            Moment m = moments.get(i);
            if (m.params() != null) {
                if (seen % 2 == 1) {
                    moments.set(i, m.withParams(null));
                }
                seen++;
            }
        }
        paramEvery *= 2;
    }

    private int countParams() {
        int c = 0;
        for (Moment m : moments) {
            c += m.params() != null ? 1 : 0;
        }
        return c;
    }

    /**
     * About the largest number of bytes this history can hold for a model: the arrays, plus
     * 100 bytes per moment and 200 per parameter tensor for the objects around them.
     *
     * @param maxProbeLength the longest probe recorded, T
     */
    public long maxBytes(TransformerConfig c, int maxProbeLength) {
        long t = maxProbeLength;
        long perMoment = 4L * c.nLayers() * c.nHeads() * t * t + 4L * t + 100;
        Parameters p = new Parameters(c);
        return capacity * perMoment + (long) paramCapacity * (8 * p.count() + 200L * p.all().size());
    }

    /**
     * Moments where the training loss drops sharply after a plateau: a phase change, such as an
     * induction head forming (Olsson et al. 2022). Moment i is marked when the relative drop
     * {@code r_i = (l_{i-1} - l_i) / l_{i-1}} of the interval mean loss is at least
     * {@code minDrop}, is the largest within two moments either side, and is at least four
     * times the mean absolute relative change over the four moments before (the plateau).
     *
     * @param minDrop least relative drop, e.g. 0.1
     * @return indices into {@link #moments()}, ascending
     */
    public static List<Integer> phaseChanges(List<Moment> moments, double minDrop) {
        int n = moments.size();
        double[] r = new double[n];
        for (int i = 1; i < n; i++) {
            double a = moments.get(i - 1).trainLoss(), b = moments.get(i).trainLoss();
            r[i] = Double.isFinite(a) && Double.isFinite(b) && a > 0 ? (a - b) / a : 0;
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 5; i < n; i++) {
            if (r[i] < minDrop) {
                continue;
            }
            boolean peak = true;
            for (int j = Math.max(1, i - 2); j <= Math.min(n - 1, i + 2); j++) {
                peak &= j == i || r[j] < r[i] || (r[j] == r[i] && j > i);
            }
            double before = 0;
            for (int j = i - 4; j < i; j++) {
                before += Math.abs(r[j]) / 4;
            }
            if (peak && r[i] >= 4 * before) {
                out.add(i);
            }
        }
        return out;
    }
}
