package org.attnlab.app.interventions;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.attnlab.app.common.AnalysisJob;
import org.attnlab.engine.attention.LinearAttentionRecurrence;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.transformer.Transformer;

/**
 * The linear attention view's model: the recurrence traced for the head chosen (the state and
 * normalizer after every token, and the parallel output to compare with), computed in the
 * background, newest request only.
 */
public final class LinearAttentionViewModel {
    private final ReadOnlyObjectWrapper<LinearAttentionRecurrence.Trace> trace = new ReadOnlyObjectWrapper<>(this,
            "trace");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final AnalysisJob job = new AnalysisJob();

    /** @return the trace shown, or null */
    public ReadOnlyObjectProperty<LinearAttentionRecurrence.Trace> traceProperty() {
        return trace.getReadOnlyProperty();
    }

    /** @return the last problem running the recurrence, or null */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /**
     * Runs head ({@code layer}, {@code head}) of {@code model} as a recurrence over {@code tokens}
     * in the background: the engine's forward pass, then {@link LinearAttentionRecurrence#run} on its hooks.
     */
    public void run(Parameters model, int[] tokens, int layer, int head) {
        job.submit(stale -> LinearAttentionRecurrence.INSTANCE.run(model.config(), Transformer.forThread(model)
                .runWithCache(tokens, 1, tokens.length), layer, head), t -> {
            error.set(null);
            trace.set(t);
        }, e -> {
            trace.set(null);
            error.set("Cannot run the recurrence: " + e.getMessage());
        });
    }

    /** Forgets the trace (a model without a linear form) and drops the job under way. */
    public void clear() {
        job.cancel();
        trace.set(null);
    }

    /** Drops the job under way (the window closes). */
    public void close() {
        job.cancel();
    }
}
