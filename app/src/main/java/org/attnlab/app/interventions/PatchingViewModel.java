package org.attnlab.app.interventions;

import java.util.List;
import java.util.Objects;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.attnlab.app.common.AnalysisJob;
import org.attnlab.engine.intervene.ActivationPatching;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.tasks.Corruption;
import org.attnlab.engine.tasks.Vocabulary;

/**
 * The patching view's model: the sweep shown and the background job that computes the next one
 * (the clean and corrupted runs and every patched rerun), newest request only, and which request
 * the sweep shown answers (a snapshot that changes nothing the view shows asks nothing).
 */
public final class PatchingViewModel {
    /**
     * A sweep and what it was computed for.
     *
     * @param setup      the clean and corrupted inputs and answers
     * @param result     the recovered fractions
     * @param corruption the corruption applied
     * @param vocab      the task's vocabulary
     * @param tokens     the clean probe's token strings
     */
    public record Sweep(ActivationPatching.Setup setup, ActivationPatching.Result result,
                        Corruption.Corrupted corruption, Vocabulary vocab, List<String> tokens) {
    }

    private final ReadOnlyObjectWrapper<Sweep> sweep = new ReadOnlyObjectWrapper<>(this, "sweep");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final AnalysisJob job = new AnalysisJob();
    private Object shownKey;

    /** @return the sweep shown, or null */
    public ReadOnlyObjectProperty<Sweep> sweepProperty() {
        return sweep.getReadOnlyProperty();
    }

    /** @return the last problem (cannot corrupt the probe, patching failed), or null */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** @return whether the sweep shown answers the request {@code key} (run, step, probe and the view's choices) */
    public boolean shows(Object key) {
        return Objects.equals(key, shownKey);
    }

    /**
     * Computes the sweep of corruption {@code x} of the probe in the background; the result is shown
     * if no newer request came meanwhile.
     *
     * @param key    what the request is for (see {@link #shows})
     * @param scope  the request without the model's step: a newer model of the same scope lets a
     *               sweep under way finish and be shown ({@link AnalysisJob})
     * @param p      the model's parameter copy
     * @param probe  the clean probe, {@code [T]}
     * @param x      the corruption
     * @param vocab  the task's vocabulary
     * @param tokens the probe's token strings
     */
    public void run(Object key, Object scope, Parameters p, int[] probe, Corruption.Corrupted x, Vocabulary vocab, List<String> tokens) {
        job.submit(scope, stale -> {
            ActivationPatching.Setup su = x.correct() >= 0
                    ? new ActivationPatching.Setup(probe, x.tokens(), x.answerPosition(), x.correct(), x.wrong())
                    : ActivationPatching.fromModel(p, probe, x.tokens(), x.answerPosition());
            return new Sweep(su, ActivationPatching.run(p, su), x, vocab, tokens);
        }, r -> {
            shownKey = key;
            error.set(null);
            sweep.set(r);
        }, e -> error.set("Patching failed: " + e.getMessage()));
    }

    /** Says what went wrong building a request (e.g. a corruption the probe does not allow). */
    public void fail(String message) {
        error.set(message);
    }

    /** Drops the job under way (the window closes). */
    public void close() {
        job.cancel();
    }
}
