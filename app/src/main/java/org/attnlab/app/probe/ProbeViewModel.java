package org.attnlab.app.probe;

import java.util.List;
import java.util.Objects;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.attnlab.app.training.TokenPrediction;
import org.attnlab.app.training.ProbeResult;
import org.attnlab.app.training.TrainingSession;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.tasks.UnknownTokenException;
import org.attnlab.engine.tasks.Vocabulary;
import org.attnlab.engine.train.RunSpec;

/**
 * The probe example: the text the user types (validated against the task's vocabulary here, on
 * the JavaFX thread; only valid tokens go to the training thread) and the model's predictions
 * on it. Never touches a node.
 */
public final class ProbeViewModel {
    private static final long SLOW_UPDATE_NANOS = 500_000_000L;   // table rows while training

    private final TrainingSession session;
    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyStringWrapper vocabulary = new ReadOnlyStringWrapper(this, "vocabulary", "");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final BooleanProperty onlyScored = new SimpleBooleanProperty(this, "onlyScored", true);
    private final ObservableList<TokenPrediction> all = FXCollections.observableArrayList();
    private final ObservableList<TokenPrediction> shown = FXCollections.observableArrayList();
    private final ObservableList<TokenPrediction> shownReadOnly = FXCollections.unmodifiableObservableList(shown);
    private RunSpec setup;
    private long runId = -1;
    private long probeId = -1;
    private ProbeResult last;
    private long lastUpdate;

    /** @param session where valid probes go */
    public ProbeViewModel(TrainingSession session) {
        this.session = Objects.requireNonNull(session);
        onlyScored.addListener((o, a, b) -> filter());
    }

    /** Takes a snapshot (JavaFX thread). */
    public void accept(TrainingSnapshot s) {
        ProbeResult p = s.probe();
        if (p == null) {
            return;
        }
        setup = s.spec();
        boolean newProbe = p.probeId() != probeId || s.runId() != runId;
        if (newProbe) {
            probeId = p.probeId();
            runId = s.runId();
            text.set(String.join(" ", p.tokens()));
            error.set("");
            Vocabulary v = setup.task().vocabulary();
            vocabulary.set("Tokens separated by spaces, at most " + setup.config().nCtx() + ". Vocabulary: "
                    + String.join(" ", v.tokens()));
        }
        long now = System.nanoTime();
        if (p != last && (newProbe || !s.running() || now - lastUpdate >= SLOW_UPDATE_NANOS)) {
            last = p;
            lastUpdate = now;
            all.setAll(p.predictions());
            filter();
        }
    }

    /**
     * Uses the typed text as the probe if every token is in the vocabulary and it fits the
     * model; otherwise shows why inline and changes nothing else.
     */
    public void submit() {
        if (setup == null) {
            return;
        }
        Vocabulary v = setup.task().vocabulary();
        int[] ids;
        try {
            ids = v.encode(text.get() == null ? "" : text.get());
        } catch (UnknownTokenException e) {
            error.set("unknown token '" + e.token() + "' at position " + e.position());
            return;
        }
        if (ids.length == 0) {
            error.set("type tokens separated by spaces");
            return;
        }
        int nCtx = setup.config().nCtx();
        if (ids.length > nCtx) {
            error.set(ids.length + " tokens, but the model reads at most n_ctx = " + nCtx);
            return;
        }
        error.set("");
        session.setProbe(ids);
    }

    /** Draws a new example from the task. */
    public void regenerate() {
        error.set("");
        session.regenerateProbe();
    }

    private void filter() {
        boolean anyScored = all.stream().anyMatch(TokenPrediction::scored);
        List<TokenPrediction> rows = onlyScored.get() && anyScored
                ? all.stream().filter(TokenPrediction::scored).toList() : List.copyOf(all);
        shown.setAll(rows);
        long scored = all.stream().filter(TokenPrediction::scored).count();
        long right = all.stream().filter(TokenPrediction::correct).count();
        summary.set(scored == 0 ? "no targets for a typed example" : right + " of " + scored + " scored positions right");
    }

    /** @return the probe text field's content */
    public StringProperty textProperty() {
        return text;
    }

    /** @return why the typed probe was not used, or "" */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** @return a hint listing the vocabulary */
    public ReadOnlyStringProperty vocabularyProperty() {
        return vocabulary.getReadOnlyProperty();
    }

    /** @return "5 of 6 scored positions right" */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** @return whether the table lists only scored positions (when the probe has any) */
    public BooleanProperty onlyScoredProperty() {
        return onlyScored;
    }

    /** @return the table's rows */
    public ObservableList<TokenPrediction> predictions() {
        return shownReadOnly;
    }
}
