package org.attnlab.app.inside;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import org.attnlab.app.common.AnalysisJob;

/**
 * What a view inside the model computes from the shared {@link Analysis} under its own choices
 * (a position, a head, a permutation): the base of its view model. While the view is showing,
 * each new analysis or change of choice asks for the result once, in the background (an
 * {@link AnalysisJob} on the shared analysis thread); the result, if still the newest asked for,
 * is set on the JavaFX thread. Nothing is computed for a view that is not showing.
 *
 * @param <S> the choices, an immutable value taken on the JavaFX thread
 * @param <R> the result, immutable
 */
abstract class ViewAnalysis<S, R> {
    protected final InsideViewModel inside;
    private final BooleanProperty showing = new SimpleBooleanProperty(this, "showing");
    private final ReadOnlyObjectWrapper<R> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final AnalysisJob job = new AnalysisJob();
    private Analysis askedFor;
    private S askedWith;

    /** @param inside the shared analysis */
    ViewAnalysis(InsideViewModel inside) {
        this.inside = inside;
        inside.analysisProperty().addListener((o, a, b) -> refresh());
        showing.addListener((o, a, on) -> {
            if (on) {
                inside.refresh();
                refresh();
            }
        });
    }

    /** @return whether the view is on screen (the view binds it to its tab's) */
    final BooleanProperty showingProperty() {
        return showing;
    }

    /** @return the newest result, null before the first */
    public final ReadOnlyObjectProperty<R> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** @return the last problem computing a result, or null */
    public final ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** @return the analysis the newest request is for, or null */
    protected final Analysis analysis() {
        return inside.analysisProperty().get();
    }

    /** Asks for the result of the current analysis and choices, unless asked for already (JavaFX thread). */
    protected final void refresh() {
        Analysis a = analysis();
        if (!showing.get() || a == null) {
            return;
        }
        S with = choices(a);
        if (a == askedFor && Objects.equals(with, askedWith)) {
            return;
        }
        askedFor = a;
        askedWith = with;
        job.submit(stale -> compute(a, with, stale), this::delivered, e -> {
            askedFor = null;
            error.set(e.getMessage());
        });
    }

    /**
     * @param a the analysis asked for
     * @return the view's choices for {@code a} (JavaFX thread): resolved against it, e.g. a position
     *     kept if it is still on the probe, else the default one
     */
    protected abstract S choices(Analysis a);

    /**
     * Computes the result (on the analysis thread: touches no node and no property).
     *
     * @param stale turns true once a newer request came in (a long computation may stop early)
     */
    protected abstract R compute(Analysis a, S choices, BooleanSupplier stale);

    /** Takes a new result (JavaFX thread); sets {@link #resultProperty()}. */
    protected void delivered(R r) {
        error.set(null);
        result.set(r);
    }

    /** Drops any computation under way (the window closes). */
    final void close() {
        job.cancel();
    }
}
