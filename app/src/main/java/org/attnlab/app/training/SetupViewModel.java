package org.attnlab.app.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.tasks.Tasks;
import org.attnlab.engine.train.Curriculum;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.RunSpec;
import org.attnlab.engine.train.TrainingSettings;

/**
 * The setup sidebar's state and commands: the task and preset choosers, the settings sheet (an
 * editor of the run's {@link RunSpec}, {@link ModelSettings}), whether the sheet's values can be
 * applied and differ from the running model, and what the sidebar says the run is. Choosing a
 * task or preset starts a fresh model of it; a new run (a reset, an opened checkpoint) is loaded
 * into the sheet when its first snapshot arrives ({@link #syncTo}). Never touches a node.
 */
public final class SetupViewModel {
    /**
     * Configuration keys left out of {@link #describe}: they follow the task (d_vocab, n_ctx, and
     * weight_sharing, which a preset's own task options carry) or d_model (d_head, d_mlp).
     */
    private static final java.util.Set<String> DERIVED = java.util.Set.of("d_vocab", "n_ctx", "d_head", "d_mlp",
            "weight_sharing");

    private final ModelSettings settings = new ModelSettings();
    private final Consumer<RunSpec> reset;
    private final ObservableList<String> tasks = FXCollections.observableArrayList(Tasks.names());
    private final ObjectProperty<String> task = new SimpleObjectProperty<>(this, "task");
    private final ObservableList<RunSpec> presets = FXCollections.observableArrayList();
    private final ObjectProperty<RunSpec> preset = new SimpleObjectProperty<>(this, "preset");
    private final ReadOnlyObjectWrapper<RunSpec> applied = new ReadOnlyObjectWrapper<>(this, "applied");
    private final ReadOnlyStringWrapper settingsError = new ReadOnlyStringWrapper(this, "settingsError", "");
    private final ReadOnlyBooleanWrapper settingsPending = new ReadOnlyBooleanWrapper(this, "settingsPending");
    private final ReadOnlyStringWrapper description = new ReadOnlyStringWrapper(this, "setupDescription", "");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "runSummary", "");
    private boolean syncing;

    /**
     * @param initial the preset the session started with
     * @param reset   starts a fresh model of a spec (the session's reset)
     */
    public SetupViewModel(RunSpec initial, Consumer<RunSpec> reset) {
        this.reset = Objects.requireNonNull(reset);
        syncing = true;
        task.set(initial.taskName());
        presets.setAll(presetsFor(initial.taskName()));
        preset.set(initial);
        settings.load(initial);
        applied.set(initial);
        description.set(initial.description());
        summary.set(summary(initial));
        syncing = false;
        task.addListener((o, a, b) -> {
            if (!syncing && b != null) {
                presets.setAll(presetsFor(b));
                preset.set(presets.get(0));
            }
        });
        preset.addListener((o, a, b) -> {
            if (!syncing && b != null) {
                syncing = true;
                settings.load(b);
                syncing = false;
                reset();
            }
        });
        settings.all().forEach(p -> p.addListener((o, a, b) -> validate()));
    }

    /** @return the presets of {@code taskName}, or its made-up default if it has none */
    public static List<RunSpec> presetsFor(String taskName) {
        List<RunSpec> ps = Presets.all().stream().filter(p -> p.taskName().equals(taskName)).toList();
        return ps.isEmpty() ? List.of(Presets.forTask(taskName)) : ps;
    }

    /**
     * A fresh model of the sheet's spec (the loaded run with the sheet's values); does nothing but
     * say why if they are invalid.
     *
     * @return whether a reset was sent
     */
    public boolean reset() {
        RunSpec next;
        try {
            next = settings.toSpec();
        } catch (IllegalArgumentException e) {
            settingsError.set(e.getMessage());
            return false;
        }
        reset.accept(next);
        return true;
    }

    /** Shows the run the session reports an error for (a reset it could not build). */
    void failed(String message) {
        settingsError.set(message);
    }

    /** Shows a new run: its task, preset, sheet values and description (JavaFX thread). */
    void syncTo(RunSpec s, TrainingSession.Opened opened) {
        syncing = true;
        applied.set(s);
        if (!s.taskName().equals(task.get())) {
            task.set(s.taskName());
            presets.setAll(presetsFor(s.taskName()));
        }
        RunSpec match = presets.stream().filter(p -> p.name().equals(s.name())).findFirst().orElse(presets.get(0));
        preset.set(match);
        description.set(describe(match, s, opened));
        summary.set(summary(s));
        settings.load(s);
        settingsError.set("");
        settingsPending.set(false);
        syncing = false;
    }

    private void validate() {
        if (syncing) {
            return;
        }
        try {
            RunSpec next = settings.toSpec();
            settingsError.set("");
            settingsPending.set(!next.equals(applied.get()));
        } catch (IllegalArgumentException e) {
            settingsError.set(e.getMessage());
            settingsPending.set(true);
        }
    }

    /**
     * What the sidebar says about the run: the preset's description when the run is that preset,
     * otherwise the task and what differs from the preset (task options such as LEGO's {@code n_var},
     * model keys such as {@code n_layers}) and where it came from, e.g.
     * {@code "lego · n_var=3, n_train=3 (from checkpoint)"}.
     *
     * @param p      the preset the run was made from
     * @param s      the run
     * @param opened the checkpoint the run was opened from, or null
     */
    public static String describe(RunSpec p, RunSpec s, TrainingSession.Opened opened) {
        if (s == null) {
            return p == null ? "" : p.description();
        }
        List<String> diffs = new ArrayList<>();
        boolean samePreset = p != null && p.taskName().equals(s.taskName());
        Map<String, String> presetOptions = samePreset ? p.task().options() : Map.of();
        for (Map.Entry<String, String> e : s.task().options().entrySet()) {
            if (!e.getValue().equals(presetOptions.get(e.getKey()))) {
                diffs.add(e.getKey() + "=" + e.getValue());
            }
        }
        if (samePreset) {
            Map<String, Object> now = s.config().toMap(), was = p.config().toMap();
            for (Map.Entry<String, Object> e : now.entrySet()) {
                if (!DERIVED.contains(e.getKey()) && !Objects.equals(e.getValue(), was.get(e.getKey()))) {
                    diffs.add(e.getKey() + "=" + e.getValue());
                }
            }
        }
        if (diffs.isEmpty() && opened == null && samePreset) {
            return p.description();
        }
        String what = diffs.isEmpty() && samePreset ? p.description()
                : s.taskName() + (diffs.isEmpty() ? "" : " \u00b7 " + String.join(", ", diffs));
        if (opened != null) {
            return what + " (from checkpoint" + (opened.weightsOnly()
                    ? "; weights only: Play trains on with a fresh optimizer" : "") + ")";
        }
        return what + (samePreset ? " (preset " + p.name() + " changed)" : "");
    }

    /**
     * The whole run, one line per part: task and options, model, training, curriculum, weight
     * sharing, target. The sidebar shows it as the description's tooltip.
     */
    public static String summary(RunSpec s) {
        TransformerConfig c = s.config();
        TrainingSettings t = s.training();
        List<String> options = new ArrayList<>();
        s.task().options().forEach((k, v) -> options.add(k + "=" + v));
        String norm = c.hasLayerNorm() ? "LayerNorm " + c.lnPlacement().json() : "no LayerNorm";
        List<String> stages = new ArrayList<>();
        for (Curriculum.Stage st : s.curriculum()) {
            List<String> o = new ArrayList<>();
            st.options().forEach((k, v) -> o.add(k + "=" + v));
            stages.add(String.join(", ", o) + (st.untilMastered() ? " until mastered (at most to step "
                    + st.untilStep() + ")" : " to step " + st.untilStep()));
        }
        return String.join("\n",
                "Task: " + s.taskName() + (options.isEmpty() ? "" : " \u00b7 " + String.join(", ", options)),
                String.format(Locale.ROOT, "Model: %d layers \u00d7 %d heads, d_model %d, d_head %d, d_mlp %d, %s "
                        + "positions, %s %s attention, %s%s", c.nLayers(), c.nHeads(), c.dModel(), c.dHead(),
                        c.dMlp(), c.positionalEmbeddingType().json(), c.attentionDir().json(), c.attentionType().type(),
                        norm, c.attnOnly() ? ", attention only" : ""),
                String.format(Locale.ROOT, "Training: AdamW lr %s, batch %d, %d steps (warmup %d), seed %d, %s",
                        Double.toString(t.adamw().lr()), t.batchSize(), t.steps(), t.warmupSteps(), t.seed(),
                        t.precision() == org.attnlab.engine.compute.Precision.F32 ? "float32" : "float64"),
                "Curriculum: " + (stages.isEmpty() ? "none" : String.join("; ", stages)),
                "Weight sharing: " + (c.weightSharing() ? "one block shared by all " + c.nLayers() + " layers" : "none"),
                String.format(Locale.ROOT, "Target: %s \u2265 %s", s.target().metric(),
                        Double.toString(s.target().value())));
    }

    /** @return the sheet */
    public ModelSettings settings() {
        return settings;
    }

    public ObservableList<String> tasks() {
        return tasks;
    }

    /** @return the selected task id; selecting one resets to its first preset */
    public ObjectProperty<String> taskProperty() {
        return task;
    }

    /** @return the presets of the selected task */
    public ObservableList<RunSpec> presets() {
        return presets;
    }

    /** @return the selected preset; selecting one resets to it */
    public ObjectProperty<RunSpec> presetProperty() {
        return preset;
    }

    /** @return the run the model was built from */
    public ReadOnlyObjectProperty<RunSpec> appliedProperty() {
        return applied.getReadOnlyProperty();
    }

    /** @return why the sheet's settings cannot be applied, or "" */
    public ReadOnlyStringProperty settingsErrorProperty() {
        return settingsError.getReadOnlyProperty();
    }

    /** @return whether the sheet differs from the running model (Reset applies it) */
    public ReadOnlyBooleanProperty settingsPendingProperty() {
        return settingsPending.getReadOnlyProperty();
    }

    /**
     * @return what the sidebar says the run is: the preset's description, or for an opened
     *     checkpoint or changed settings the task and what differs ({@link #describe})
     */
    public ReadOnlyStringProperty setupDescriptionProperty() {
        return description.getReadOnlyProperty();
    }

    /** @return the whole run spec in a few lines ({@link #summary}) */
    public ReadOnlyStringProperty runSummaryProperty() {
        return summary.getReadOnlyProperty();
    }
}
