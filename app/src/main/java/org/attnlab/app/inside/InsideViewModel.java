package org.attnlab.app.inside;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ObservableValue;
import org.attnlab.app.training.TrainingSnapshot;

/**
 * Shared state of the views inside the model: the newest snapshot's {@link Analysis}, computed
 * on the JavaFX thread (the models are tiny) at most once per snapshot, and only while one of
 * the views is showing. A view that becomes visible gets the newest snapshot analysed at once.
 */
public final class InsideViewModel {
    private final ObservableValue<TrainingSnapshot> snapshots;
    private final ReadOnlyObjectWrapper<Analysis> analysis = new ReadOnlyObjectWrapper<>(this, "analysis");
    private final BooleanProperty active = new SimpleBooleanProperty(this, "active");
    private TrainingSnapshot analysed;
    private String error;

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
    public String error() {
        return error;
    }

    /** Analyses the newest snapshot if a view is showing and it was not analysed yet. */
    public void refresh() {
        TrainingSnapshot s = snapshots.getValue();
        if (!active.get() || s == null || s == analysed || s.probe() == null) {
            return;
        }
        Analysis prev = analysis.get();
        if (prev != null && prev.runId() == s.runId() && prev.step() == s.probe().step()
                && prev.probeId() == s.probe().probeId()) {
            analysed = s;                          // same model and probe: nothing new to compute
            return;
        }
        analysed = s;
        try {
            analysis.set(Analysis.of(s));
            error = null;
        } catch (RuntimeException e) {
            error = e.getMessage();
        }
    }
}
