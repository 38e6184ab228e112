package org.attnlab.app.interventions;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.attnlab.app.common.AnalysisJob;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.intervene.HeadAblation;
import org.attnlab.engine.intervene.HeadAblation.Head;
import org.attnlab.engine.intervene.HeadAblation.Mode;
import org.attnlab.engine.intervene.MeanActivations;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.train.Trainer;

/**
 * The ablation view's model: the heads ablated together (in the order clicked) and the mode, the
 * held-out batch they are measured on (drawn once per task with the metric curve's seed), and two
 * background jobs: the comparison with and without the selected heads, and the whole-model table
 * (each head alone). Results follow the newest snapshot the view is given.
 */
public final class AblationViewModel {
    /**
     * The whole-model table shown.
     *
     * @param table the table
     * @param step  the model's step
     * @param batch how many held-out sequences
     * @param mode  zero or mean ablation
     */
    public record TableResult(HeadAblation.Table table, long step, int batch, Mode mode) {
    }

    private final ObservableList<Head> selected = FXCollections.observableArrayList();
    private final ObservableList<Head> selectedReadOnly = FXCollections.unmodifiableObservableList(selected);
    private final ObjectProperty<Mode> mode = new SimpleObjectProperty<>(this, "mode", Mode.ZERO);
    private final ReadOnlyIntegerWrapper layers = new ReadOnlyIntegerWrapper(this, "layers");
    private final ReadOnlyIntegerWrapper heads = new ReadOnlyIntegerWrapper(this, "heads");
    private final ReadOnlyObjectWrapper<HeadAblation.Comparison> comparison = new ReadOnlyObjectWrapper<>(this,
            "comparison");
    private final ReadOnlyObjectWrapper<TableResult> table = new ReadOnlyObjectWrapper<>(this, "table");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final AnalysisJob compareJob = new AnalysisJob(), tableJob = new AnalysisJob();
    private TrainingSnapshot last;
    private long shownRun = -1;
    private Object comparedKey, tableKey;
    private Batch heldOut;
    private String heldOutTask;

    /** Zero ablation, nothing selected. */
    public AblationViewModel() {
        mode.addListener((o, a, b) -> again());
    }

    /** @return the heads ablated together, in the order clicked (unmodifiable) */
    public ObservableList<Head> selectedHeads() {
        return selectedReadOnly;
    }

    /** @return zero or mean ablation */
    public ObjectProperty<Mode> modeProperty() {
        return mode;
    }

    /** @return L of the model shown (0 before the first snapshot) */
    public ReadOnlyIntegerProperty layersProperty() {
        return layers.getReadOnlyProperty();
    }

    /** @return H of the model shown */
    public ReadOnlyIntegerProperty headsProperty() {
        return heads.getReadOnlyProperty();
    }

    /** @return the comparison with and without the selected heads shown, or null */
    public ReadOnlyObjectProperty<HeadAblation.Comparison> comparisonProperty() {
        return comparison.getReadOnlyProperty();
    }

    /** @return the whole-model table shown, or null */
    public ReadOnlyObjectProperty<TableResult> tableProperty() {
        return table.getReadOnlyProperty();
    }

    /** @return the last problem, or null */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Ablates head {@code h} if it is not, else restores it. */
    public void toggle(Head h) {
        if (!selected.remove(h)) {
            selected.add(h);
        }
        again();
    }

    /** Restores every head. */
    public void clear() {
        selected.clear();
        again();
    }

    /** @return whether the results shown belong to the newest snapshot given, the selection and the mode */
    public boolean upToDate() {
        TrainingSnapshot s = last;
        return s != null && s.probe() != null && key(s, true).equals(comparedKey) && key(s, false).equals(tableKey);
    }

    private Object key(TrainingSnapshot s, boolean withSelection) {
        return List.of(s.runId(), s.probe().step(), mode.get(), withSelection ? List.copyOf(selected) : List.of());
    }

    private void again() {
        if (last != null) {
            update(last);
        }
    }

    /** Computes for {@code s} what it changes (the view gives it the newest snapshot while it is showing). */
    public void update(TrainingSnapshot s) {
        last = Objects.requireNonNull(s);
        if (s.probe() == null || s.probe().model() == null) {
            return;
        }
        Parameters p = s.probe().model();
        int nl = p.config().nLayers(), nh = p.config().nHeads();
        if (nl != layers.get() || nh != heads.get()) {
            List<Head> keep = new ArrayList<>(selected);
            keep.removeIf(h -> h.layer() >= nl || h.head() >= nh);
            selected.setAll(keep);
            layers.set(nl);
            heads.set(nh);
        }
        String task = s.spec().task().toString();
        if (heldOut == null || !task.equals(heldOutTask)) {
            heldOut = s.spec().task().evalBatch(Math.min(AblationView.MAX_BATCH, s.spec().training().evalBatchSize()),
                    Trainer.EVAL_SEED);
            heldOutTask = task;
        }
        if (s.runId() != shownRun) {
            // another run: what is shown belongs to a model that is gone (maybe of another shape)
            shownRun = s.runId();
            comparison.set(null);
            table.set(null);
            comparedKey = tableKey = null;
        }
        Batch batch = heldOut;
        Mode m = mode.get();
        List<Head> sel = List.copyOf(selected);
        Object ck = key(s, true), tk = key(s, false);
        // scopes: the same request but for a newer model lets a running analysis finish and be
        // shown (the table takes longer than snapshots come while training)
        List<Object> compareScope = List.of(s.runId(), m, sel), tableScope = List.of(s.runId(), m);
        if (!ck.equals(comparedKey)) {
            compareJob.submit(compareScope, stale -> {
                MeanActivations means = m == Mode.MEAN ? HeadAblation.meanZ(p, batch) : null;
                return HeadAblation.compare(p, s.spec().task(), batch, sel, m, means);
            }, c -> {
                comparedKey = ck;
                error.set(null);
                comparison.set(c);
            }, e -> error.set("Ablation failed: " + e.getMessage()));
        }
        if (!tk.equals(tableKey)) {
            tableJob.submit(tableScope, stale -> {
                MeanActivations means = m == Mode.MEAN ? HeadAblation.meanZ(p, batch) : null;
                return HeadAblation.table(p, s.spec().task(), batch, m, means, stale);
            }, t -> {
                tableKey = tk;
                table.set(new TableResult(t, s.probe().step(), batch.batchSize(), m));
            }, e -> error.set("Ablation table failed: " + e.getMessage()));
        }
    }

    /** Drops the jobs under way (the window closes). */
    public void close() {
        compareJob.cancel();
        tableJob.cancel();
    }
}
