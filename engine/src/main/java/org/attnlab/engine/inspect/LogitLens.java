package org.attnlab.engine.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.attnlab.engine.attention.ReferenceMath;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.model.Parameters;

/**
 * The logit lens (nostalgebraist 2020; Din et al. 2023, "Jump to Conclusions"): decode every
 * point of the residual stream as if it were the last one, by applying the final LayerNorm
 * (when the model has one, i.e. pre-LN) and the unembedding: {@code logits = ln_final(x) W_U + b_U}.
 * One sees at which layer the answer appears. At the last point this gives the model's own
 * logits exactly.
 *
 * <p>Shapes: P stream points ({@link StreamPoint#of}), T positions of one sequence, V = d_vocab,
 * D = d_model.
 */
public final class LogitLens {
    /**
     * One token the lens proposes.
     *
     * @param token       token id
     * @param probability softmax probability in [0, 1]
     * @param logit       the lens logit
     */
    public record Guess(int token, double probability, double logit) {
    }

    private final List<StreamPoint> points;
    private final double[][][] logits;   // [P][T][V]
    private final double[][][] probs;    // [P][T][V]
    private final double[][] norms;      // [P][T]

    private LogitLens(List<StreamPoint> points, double[][][] logits, double[][][] probs, double[][] norms) {
        this.points = points;
        this.logits = logits;
        this.probs = probs;
        this.norms = norms;
    }

    /**
     * Applies the lens to every stream point and position of a cached forward pass.
     *
     * @param params the model's parameters (the ones that produced {@code cache})
     * @param cache  the activations of one sequence (B = 1), from {@code Transformer.runWithCache}
     * @return the lens logits, probabilities and residual norms
     * @throws IllegalArgumentException if the cache holds more than one sequence
     * @throws java.util.NoSuchElementException if a resid hook is missing from the cache
     */
    public static LogitLens compute(Parameters params, ActivationCache cache) {
        List<StreamPoint> points = StreamPoint.of(params.config());
        int p = points.size();
        double[][][] lg = new double[p][][];
        double[][][] pr = new double[p][][];
        double[][] nm = new double[p][];
        for (int k = 0; k < p; k++) {
            double[][] x = CacheRows.rows(cache, points.get(k).hook());    // [T][D]
            int t = x.length;
            lg[k] = new double[t][];
            pr[k] = new double[t][];
            nm[k] = new double[t];
            for (int i = 0; i < t; i++) {
                nm[k][i] = ReferenceMath.norm(x[i]);
                lg[k][i] = ReferenceMath.unembed(x[i], params);
                pr[k][i] = ReferenceMath.softmax(lg[k][i]);
            }
        }
        return new LogitLens(points, lg, pr, nm);
    }

    /** @return the stream points, in order (P of them) */
    public List<StreamPoint> points() {
        return points;
    }

    /** @return T */
    public int length() {
        return norms.length == 0 ? 0 : norms[0].length;
    }

    /** @return the lens logits at point {@code p}, position {@code t} ([V], a copy) */
    public double[] logits(int p, int t) {
        return logits[p][t].clone();
    }

    /** @return the lens probabilities at point {@code p}, position {@code t} ([V], a copy) */
    public double[] probabilities(int p, int t) {
        return probs[p][t].clone();
    }

    /** @return the probability the lens gives token {@code token} at point {@code p}, position {@code t} */
    public double probability(int p, int t, int token) {
        return probs[p][t][token];
    }

    /** @return the L2 norm of the residual stream at point {@code p}, position {@code t} */
    public double norm(int p, int t) {
        return norms[p][t];
    }

    /** @return the norms {@code [P][T]} (a copy) */
    public double[][] norms() {
        double[][] out = new double[norms.length][];
        for (int i = 0; i < norms.length; i++) {
            out[i] = norms[i].clone();
        }
        return out;
    }

    /**
     * @param k how many (at most V)
     * @return the k most probable tokens at point {@code p}, position {@code t}, most probable first
     *     (ties by lower token id)
     */
    public List<Guess> top(int p, int t, int k) {
        double[] pr = probs[p][t];
        Integer[] ids = new Integer[pr.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        Arrays.sort(ids, (a, b) -> pr[a] != pr[b] ? Double.compare(pr[b], pr[a]) : Integer.compare(a, b));
        List<Guess> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, ids.length); i++) {
            out.add(new Guess(ids[i], pr[ids[i]], logits[p][t][ids[i]]));
        }
        return out;
    }

    /**
     * @return the first point index from which on the lens's top token at position {@code t} is
     *     {@code token} at every later point, or -1 if it is not the top token at the last point
     */
    public int firstStableTop(int t, int token) {
        int first = -1;
        for (int p = points.size() - 1; p >= 0; p--) {
            if (top(p, t, 1).get(0).token() != token) {
                break;
            }
            first = p;
        }
        return first;
    }
}
