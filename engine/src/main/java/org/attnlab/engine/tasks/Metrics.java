package org.attnlab.engine.tasks;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A task's metrics on one batch: an ordered map from metric name to values (a 1-array for
 * a number, one entry per position or chain depth for a curve) and the headline, the single
 * number a view shows (the task's main accuracy). The headline is also in the map, under
 * {@link #headlineName()}. {@code NaN} marks a value with nothing to average (for example a
 * LEGO chain depth that no scored position of the batch has).
 *
 * <p>Immutable: the map and its arrays are copied in, and {@link #values()} and
 * {@link #get(String)} hand out copies.
 *
 * @param values       metric name to values, in the order a view should list them
 * @param headlineName the key of the headline metric, e.g. {@code "accuracy"}
 * @param headline     the headline value, equal to {@code values.get(headlineName)[0]}
 */
public record Metrics(Map<String, double[]> values, String headlineName, double headline) {

    /**
     * @throws IllegalArgumentException if {@code headlineName} is not a key of {@code values}
     *     holding exactly {@code {headline}}
     */
    public Metrics {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(headlineName, "headlineName");
        values = deepCopy(values);
        double[] h = values.get(headlineName);
        if (h == null || h.length != 1 || Double.compare(h[0], headline) != 0) {
            throw new IllegalArgumentException("headline '" + headlineName + "' = " + headline
                    + " must be a key of values holding exactly that one number");
        }
    }

    /** Builds metrics from {@code values}, taking the headline from {@code values.get(headlineName)[0]}. */
    public static Metrics of(Map<String, double[]> values, String headlineName) {
        double[] h = values.get(headlineName);
        if (h == null || h.length != 1) {
            throw new IllegalArgumentException("headline '" + headlineName + "' must be a key of values holding one number");
        }
        return new Metrics(values, headlineName, h[0]);
    }

    /** @return a copy of the ordered map (unmodifiable, arrays copied) */
    @Override
    public Map<String, double[]> values() {
        return deepCopy(values);
    }

    /** @return the metric names in order */
    public Set<String> names() {
        return values.keySet();
    }

    /**
     * @return a copy of the values of {@code name}
     * @throws IllegalArgumentException if there is no such metric
     */
    public double[] get(String name) {
        return require(name).clone();
    }

    /**
     * @return the single number of metric {@code name}
     * @throws IllegalArgumentException if there is no such metric or it holds more than one number
     */
    public double scalar(String name) {
        double[] v = require(name);
        if (v.length != 1) {
            throw new IllegalArgumentException("metric '" + name + "' holds " + v.length + " numbers, not one");
        }
        return v[0];
    }

    private double[] require(String name) {
        double[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no metric '" + name + "'; metrics are " + values.keySet());
        }
        return v;
    }

    private static Map<String, double[]> deepCopy(Map<String, double[]> in) {
        Map<String, double[]> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(Objects.requireNonNull(k, "metric name"),
                Objects.requireNonNull(v, "metric values").clone()));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Metrics other) || !headlineName.equals(other.headlineName)
                || Double.compare(headline, other.headline) != 0
                || !values.keySet().equals(other.values.keySet())) {
            return false;
        }
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            if (!Arrays.equals(e.getValue(), other.values.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(headlineName, headline);
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            h = 31 * h + e.getKey().hashCode() + Arrays.hashCode(e.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Metrics[").append(headlineName).append('=').append(headline);
        values.forEach((k, v) -> {
            if (!k.equals(headlineName)) {
                sb.append(", ").append(k).append('=')
                        .append(v.length == 1 ? Double.toString(v[0]) : Arrays.toString(v));
            }
        });
        return sb.append(']').toString();
    }
}
