package org.attnlab.app.inside;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ObservableValue;
import org.attnlab.app.common.AnalysisJob;
import org.attnlab.app.training.TrainingSnapshot;

/**
 * Shared state of the views inside the model: the newest snapshot's {@link Analysis} (the model
 * run once more on the probe with every activation cached), computed in the background (an
 * {@link AnalysisJob}) at most once per snapshot, and only while one of the views is showing. A
 * view that becomes visible gets the newest snapshot analysed at once. The views' own view models
 * ({@link ResidualStreamViewModel}, {@link PositionalViewModel}, {@link StepThroughViewModel})
 * compute their analyses from it, in the background too.
 */
public final class InsideViewModel {
    private final ObservableValue<TrainingSnapshot> snapshots;
    private final ReadOnlyObjectWrapper<Analysis> analysis = new ReadOnlyObjectWrapper<>(this, "analysis");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final BooleanProperty active = new SimpleBooleanProperty(this, "active");
    private final AnalysisJob job = new AnalysisJob();
    private TrainingSnapshot requested;

    /** @param snapshots the window's snapshots (set on the JavaFX thread) */
    public InsideViewModel(ObservableValue<TrainingSnapshot> snapshots) {
        this.snapshots = snapshots;
        snapshots.addListener((o, a, s) -> refresh());
        active.addListener((o, a, on) -> refresh());
    }

    /** @return whether a view inside the model is showing (bound by the window to its tabs) */
    public BooleanProperty activeProperty() {
        return active;
    }

    /** @return the newest analysis, null before the first probe result */
    public ReadOnlyObjectProperty<Analysis> analysisProperty() {
        return analysis.getReadOnlyProperty();
    }

    /** @return the last problem analysing a snapshot, or null */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Asks for the newest snapshot's analysis if a view is showing and it was not asked for yet (JavaFX thread). */
    public void refresh() {
        TrainingSnapshot s = snapshots.getValue();
        if (!active.get() || s == null || s == requested || s.probe() == null) {
            return;
        }
        requested = s;
        Analysis prev = analysis.get();
        if (prev != null && prev.runId() == s.runId() && prev.step() == s.probe().step()
                && prev.probeId() == s.probe().probeId()) {
            return;                                // same model and probe: nothing new to compute
        }
        job.submit(stale -> Analysis.of(s), a -> {
            analysis.set(a);
            error.set(null);
        }, e -> error.set(e.getMessage()));
    }

    /** Drops any analysis under way (the window closes). */
    public void close() {
        job.cancel();
    }
}
