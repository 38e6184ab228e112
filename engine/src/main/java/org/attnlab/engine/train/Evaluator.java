package org.attnlab.engine.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.tasks.Metrics;
import org.attnlab.engine.tasks.ModelMetric;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.transformer.CrossEntropy;
import org.attnlab.engine.transformer.Transformer;
import org.ejml.data.DMatrixRMaj;

/**
 * Scores a model on a task's batch: the task's own metrics on the model's logits
 * ({@link Task#evaluate}), then the task's model metrics ({@link Task#modelMetrics()}: what
 * needs the model itself, e.g. sort's greedy-decoding exact match, induction's per-head
 * scores from the attention patterns). One forward pass serves both, recording an
 * {@link ActivationCache} only if a model metric needs it.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * @return loss and metrics of {@code model} on {@code batch}: the task's metrics, then each
     *     model metric's values in order; the headline is the last model metric that claims
     *     it, else the task's
     * @throws IllegalArgumentException if the batch does not fit the model
     */
    public static Evaluation evaluate(Task task, Transformer model, Batch batch, long step) {
        int v = model.config().dVocab();
        List<ModelMetric> extra = task.modelMetrics();
        boolean needsCache = false;
        for (ModelMetric mm : extra) {
            needsCache |= mm.needsCache();
        }
        ActivationCache cache = needsCache ? new ActivationCache() : null;
        DMatrixRMaj logits = model.forward(batch.tokens(), batch.batchSize(), batch.seqLen(), cache); // (B*T, V)
        double loss = CrossEntropy.lossAndGradient(logits, batch, null);
        double[] l = Arrays.copyOf(logits.data, batch.batchSize() * batch.seqLen() * v);              // (B, T, V)
        Metrics m = task.evaluate(batch, l, v);
        Map<String, double[]> values = new LinkedHashMap<>(m.values());
        String headline = m.headlineName();
        for (ModelMetric mm : extra) {
            values.putAll(mm.compute(model, batch, mm.needsCache() ? cache : null));
            if (mm.headline()) {
                headline = mm.name();
            }
        }
        return new Evaluation(step, loss, Metrics.of(values, headline));
    }
}
