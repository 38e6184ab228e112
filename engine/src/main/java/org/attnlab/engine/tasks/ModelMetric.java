package org.attnlab.engine.tasks;

import java.util.Map;
import java.util.Objects;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.transformer.Transformer;

/**
 * A metric of a task that needs the model, not only its logits on the batch
 * ({@link Task#modelMetrics()}): sort's exact match under greedy decoding (minGPT's demo
 * metric) runs the model autoregressively; induction's per-head induction and previous-token
 * scores (Olsson et al. 2022) read the attention patterns of the evaluation's forward pass.
 * The evaluator ({@code train.Evaluator}) runs that forward pass once, with an
 * {@link ActivationCache} if any of the task's model metrics {@link #needsCache()}, and adds
 * each metric's values after the task's own.
 */
public interface ModelMetric {

    /** @return the metric's name; if it is the {@link #headline()}, also the key of its one number */
    String name();

    /** @return whether {@link #compute} reads the activation cache of the evaluation's forward pass */
    boolean needsCache();

    /** @return whether this metric's value (one number under {@link #name()}) becomes the evaluation's headline */
    boolean headline();

    /**
     * @param model the model being evaluated; run as needed, not modified
     * @param batch the evaluation batch, {@code [B, T]}
     * @param cache every activation of the model's forward pass on {@code batch} if
     *              {@link #needsCache()}, else null
     * @return metric name to values (a 1-array for a number, one entry per head for a per-head
     *     score), in the order a view lists them
     * @throws IllegalArgumentException if the batch does not fit the model or the task
     */
    Map<String, double[]> compute(Transformer model, Batch batch, ActivationCache cache);

    /** The computation of a model metric, as a lambda. */
    @FunctionalInterface
    interface Compute {
        /** @see ModelMetric#compute */
        Map<String, double[]> compute(Transformer model, Batch batch, ActivationCache cache);
    }

    /** @return a model metric computed by {@code compute} */
    static ModelMetric of(String name, boolean needsCache, boolean headline, Compute compute) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(compute, "compute");
        return new ModelMetric() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean needsCache() {
                return needsCache;
            }

            @Override
            public boolean headline() {
                return headline;
            }

            @Override
            public Map<String, double[]> compute(Transformer model, Batch batch, ActivationCache cache) {
                return compute.compute(model, batch, cache);
            }

            @Override
            public String toString() {
                return "ModelMetric[" + name + (needsCache ? ", reads the cache" : "") + (headline ? ", headline" : "")
                        + "]";
            }
        };
    }
}
