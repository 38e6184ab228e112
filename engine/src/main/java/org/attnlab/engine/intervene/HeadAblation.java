package org.attnlab.engine.intervene;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.attnlab.engine.hooks.ActivationHook;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.tasks.Metrics;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.transformer.CrossEntropy;
import org.attnlab.engine.transformer.Transformer;
import org.ejml.data.DMatrixRMaj;

/**
 * Head ablation: a forward pass in which the outputs {@code blocks.l.attn.hook_z[:, :, h, :]}
 * of chosen heads are replaced before {@code W_O} mixes them into the residual stream, either by
 * zero (zero ablation) or by their mean over a reference batch, per position (mean ablation,
 * as TransformerLens's demos do: {@code z.mean(dim=0)} over the batch, so each position keeps
 * its average). Every later layer sees the change: the engine's hooks edit the live buffer.
 *
 * <p>Shape letters: B batch, T positions, L layers, H heads, E d_head. Instances are not
 * needed: every method is a pure function of its arguments (each builds its own
 * {@link Transformer}), so it may run on any thread.
 */
public final class HeadAblation {
    /** How an ablated head's z is replaced. */
    public enum Mode {
        /** z = 0: the head writes only b_O's share (nothing) into the residual stream. */
        ZERO,
        /** z = its mean over the reference batch at the same position. */
        MEAN
    }

    /**
     * One attention head.
     *
     * @param layer l, in [0, L)
     * @param head  h, in [0, H)
     */
    public record Head(int layer, int head) {
        @Override
        public String toString() {
            return "L" + layer + "H" + head;
        }
    }

    /**
     * Loss and task metrics of one (possibly ablated) forward pass over a batch.
     *
     * @param loss    masked cross-entropy, nats per scored position
     * @param metrics the task's metrics ({@link Task#evaluate}); the headline is {@code metrics.headline()}
     */
    public record Outcome(double loss, Metrics metrics) {
    }

    /**
     * The same batch with and without the ablation.
     *
     * @param intact  the model as it is
     * @param ablated with the heads ablated
     */
    public record Comparison(Outcome intact, Outcome ablated) {
        /** @return intact headline metric minus ablated (positive: the heads helped) */
        public double metricDrop() {
            return intact.metrics().headline() - ablated.metrics().headline();
        }

        /** @return ablated loss minus intact loss (positive: the heads helped) */
        public double lossIncrease() {
            return ablated.loss() - intact.loss();
        }
    }

    /**
     * Every head ablated on its own.
     *
     * @param intact the model as it is
     * @param loss   {@code [L][H]} loss with head (l, h) ablated
     * @param metric {@code [L][H]} headline metric with head (l, h) ablated
     */
    public record Table(Outcome intact, double[][] loss, double[][] metric) {
        /** @return {@code [L][H]} intact headline metric minus the ablated one */
        public double[][] metricDrop() {
            double[][] d = new double[metric.length][];
            for (int l = 0; l < d.length; l++) {
                d[l] = new double[metric[l].length];
                for (int h = 0; h < d[l].length; h++) {
                    d[l][h] = intact.metrics().headline() - metric[l][h];
                }
            }
            return d;
        }
    }

    private HeadAblation() {
    }

    /**
     * The mean of every layer's {@code hook_z} over a batch, per position (what mean ablation
     * writes).
     *
     * @param params    the model
     * @param reference the batch to average over (e.g. the task's held-out batch), [B, T]
     * @return the means
     * @throws IllegalArgumentException if the batch does not fit the model
     */
    public static MeanActivations meanZ(Parameters params, Batch reference) {
        int l = params.config().nLayers(), h = params.config().nHeads(), e = params.config().dHead();
        int b = reference.batchSize(), t = reference.seqLen();
        double[][] sums = new double[l][t * h * e];
        forwardInChunks(Transformer.forThread(params), reference, (point, shape, data) -> {
            if (point.site() == HookPoint.Site.ATTN_Z) {
                double[] s = sums[point.layer()];
                for (int bi = 0; bi < shape[0]; bi++) {
                    int off = bi * t * h * e;
                    for (int i = 0; i < s.length; i++) {
                        s[i] += data[off + i];
                    }
                }
            }
        });
        for (double[] s : sums) {
            for (int i = 0; i < s.length; i++) {
                s[i] /= b;
            }
        }
        return new MeanActivations(t, h, e, sums);
    }

    /**
     * A hook that ablates {@code heads} (set them on {@code blocks.l.attn.hook_z}) and then hands
     * every activation on to {@code next}.
     *
     * @param heads the heads to ablate (any layers)
     * @param mode  zero or mean
     * @param means the means for {@link Mode#MEAN} (ignored for zero; may then be null)
     * @param next  another hook to call after the ablation (e.g. a cache), or null
     * @throws IllegalArgumentException if mode is MEAN and {@code means} is null
     */
    public static ActivationHook hook(Collection<Head> heads, Mode mode, MeanActivations means, ActivationHook next) {
        List<Head> list = List.copyOf(heads);
        if (mode == Mode.MEAN && means == null) {
            throw new IllegalArgumentException("mean ablation needs the means (meanZ)");
        }
        return (point, shape, data) -> {
            if (point.site() == HookPoint.Site.ATTN_Z) {
                int layer = point.layer();
                int b = shape[0], t = shape[1], hs = shape[2], e = shape[3];
                for (Head hd : list) {
                    if (hd.layer() != layer) {
                        continue;
                    }
                    for (int bi = 0; bi < b; bi++) {
                        for (int ti = 0; ti < t; ti++) {
                            int off = ((bi * t + ti) * hs + hd.head()) * e;
                            for (int k = 0; k < e; k++) {
                                data[off + k] = mode == Mode.ZERO ? 0.0 : means.value(layer, ti, hd.head(), k);
                            }
                        }
                    }
                }
            }
            if (next != null) {
                next.apply(point, shape, data);
            }
        };
    }

    /**
     * Runs a batch through a model with a hook (null: intact) and scores it.
     *
     * @throws IllegalArgumentException if the batch does not fit the model or the task
     */
    public static Outcome evaluate(Transformer model, Task task, Batch batch, ActivationHook hook) {
        int v = model.config().dVocab();
        double[] logits = forwardInChunks(model, batch, hook);
        double loss = CrossEntropy.lossAndGradient(DMatrixRMaj.wrap(batch.batchSize() * batch.seqLen(), v, logits),
                batch, null);
        return new Outcome(loss, task.evaluate(batch, logits, v));
    }

    /** The most tokens one hooked pass holds: a batch runs in pieces so its activations stay small. */
    static final int CHUNK_TOKENS = 512;

    /**
     * Runs {@code batch} through {@code model} in pieces of whole sequences (at most
     * {@link #CHUNK_TOKENS} tokens each), calling {@code hook} on each piece's activations (their
     * shapes give the piece's B).
     *
     * @return a new (B*T*V) array of the whole batch's logits
     */
    static double[] forwardInChunks(Transformer model, Batch batch, ActivationHook hook) {
        int b = batch.batchSize(), t = batch.seqLen(), v = model.config().dVocab();
        int per = Math.max(1, CHUNK_TOKENS / t);
        double[] out = new double[b * t * v];
        for (int b0 = 0; b0 < b; b0 += per) {
            int n = Math.min(per, b - b0);
            int[] tokens = java.util.Arrays.copyOfRange(batch.tokens(), b0 * t, (b0 + n) * t);
            DMatrixRMaj logits = model.forward(tokens, n, t, hook);
            System.arraycopy(logits.data, 0, out, b0 * t * v, n * t * v);
        }
        return out;
    }

    /**
     * Loss and metrics with and without ablating {@code heads} together.
     *
     * @param means the means for mean ablation (null for zero ablation)
     * @throws IllegalArgumentException as {@link #hook} and {@link #evaluate}
     */
    public static Comparison compare(Parameters params, Task task, Batch batch, Collection<Head> heads, Mode mode,
                                     MeanActivations means) {
        Transformer m = Transformer.forThread(params);
        Outcome intact = evaluate(m, task, batch, null);
        Outcome ablated = heads.isEmpty() ? intact : evaluate(m, task, batch, hook(heads, mode, means, null));
        return new Comparison(intact, ablated);
    }

    /**
     * The whole-model table: each of the L x H heads ablated alone (L*H + 1 forward passes).
     *
     * @param cancelled polled between passes; when it returns true the method returns null
     * @return the table, or null if cancelled
     */
    public static Table table(Parameters params, Task task, Batch batch, Mode mode, MeanActivations means,
                              BooleanSupplier cancelled) {
        Objects.requireNonNull(cancelled, "cancelled");
        Transformer m = Transformer.forThread(params);
        Outcome intact = evaluate(m, task, batch, null);
        int layers = params.config().nLayers(), heads = params.config().nHeads();
        double[][] loss = new double[layers][heads], metric = new double[layers][heads];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                if (cancelled.getAsBoolean()) {
                    return null;
                }
                Outcome o = evaluate(m, task, batch, hook(List.of(new Head(l, h)), mode, means, null));
                loss[l][h] = o.loss();
                metric[l][h] = o.metrics().headline();
            }
        }
        return new Table(intact, loss, metric);
    }
}
