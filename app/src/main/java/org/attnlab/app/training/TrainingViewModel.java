package org.attnlab.app.training;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.attnlab.app.common.Format;
import org.attnlab.engine.tasks.Tasks;
import org.attnlab.engine.train.Preset;
import org.attnlab.engine.train.Presets;

/**
 * State and commands of training: what the status bar, the transport, the curves and the setup
 * sidebar show. Reads {@link TrainingSnapshot}s (on the JavaFX thread, from the frame timer) and
 * sends commands to the {@link TrainingSession}; never touches a node.
 */
public final class TrainingViewModel {
    /** Speed limits of the speed slider, steps per second; 0 is "as fast as possible". */
    public static final double[] SPEEDS = {1, 2, 5, 10, 20, 50, 100, 200, 0};
    /**
     * Curves redraw at most this often while training (the heatmaps and the status bar with
     * every snapshot): charts are the window's most expensive nodes to lay out and draw, and a
     * curve of a few hundred points does not need 20 updates a second.
     */
    private static final long SLOW_UPDATE_NANOS = 1_000_000_000L;
    private final TrainingSession session;
    private final ModelSettings settings = new ModelSettings();
    private final ControlLocks locks = new ControlLocks();

    private final ReadOnlyLongWrapper step = new ReadOnlyLongWrapper(this, "step");
    private final ReadOnlyStringWrapper stepText = new ReadOnlyStringWrapper(this, "stepText", "step 0");
    private final ReadOnlyDoubleWrapper stepsPerSecond = new ReadOnlyDoubleWrapper(this, "stepsPerSecond");
    private final ReadOnlyDoubleWrapper trainLoss = new ReadOnlyDoubleWrapper(this, "trainLoss", Double.NaN);
    private final ReadOnlyStringWrapper metricText = new ReadOnlyStringWrapper(this, "metricText", "");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "Starting\u2026");
    private final ReadOnlyBooleanWrapper failed = new ReadOnlyBooleanWrapper(this, "failed");
    private final ReadOnlyObjectWrapper<Curve> trainLossCurve = new ReadOnlyObjectWrapper<>(this, "trainLossCurve",
            Curve.EMPTY);
    private final ReadOnlyObjectWrapper<Curve> evalLossCurve = new ReadOnlyObjectWrapper<>(this, "evalLossCurve",
            Curve.EMPTY);
    private final ReadOnlyObjectWrapper<Curve> metricCurve = new ReadOnlyObjectWrapper<>(this, "metricCurve",
            Curve.EMPTY);
    private final ReadOnlyStringWrapper metricName = new ReadOnlyStringWrapper(this, "metricName", "accuracy");
    private final ReadOnlyObjectWrapper<double[]> breakdown = new ReadOnlyObjectWrapper<>(this, "breakdown");
    private final ReadOnlyStringWrapper breakdownName = new ReadOnlyStringWrapper(this, "breakdownName");
    private final ReadOnlyObjectWrapper<RunSetup> applied = new ReadOnlyObjectWrapper<>(this, "applied");

    private final ObservableList<String> tasks = FXCollections.observableArrayList(Tasks.names());
    private final ObjectProperty<String> task = new SimpleObjectProperty<>(this, "task");
    private final ObservableList<Preset> presets = FXCollections.observableArrayList();
    private final ObjectProperty<Preset> preset = new SimpleObjectProperty<>(this, "preset");
    private final ReadOnlyStringWrapper settingsError = new ReadOnlyStringWrapper(this, "settingsError", "");
    private final ReadOnlyBooleanWrapper settingsPending = new ReadOnlyBooleanWrapper(this, "settingsPending");
    private final IntegerProperty speedIndex = new SimpleIntegerProperty(this, "speedIndex", SPEEDS.length - 1);
    private final ReadOnlyStringWrapper speedText = new ReadOnlyStringWrapper(this, "speedText");
    private final ReadOnlyStringWrapper announcement = new ReadOnlyStringWrapper(this, "announcement", "");
    private final ReadOnlyStringWrapper setupDescription = new ReadOnlyStringWrapper(this, "setupDescription", "");
    private TrainingSession.Opened opened;

    private boolean syncing;
    private long runId = -1;
    private long lastSlowUpdate;
    private TrainingSnapshot last;

    /**
     * @param session the training thread
     * @param initial the preset the session started with
     */
    public TrainingViewModel(TrainingSession session, Preset initial) {
        this.session = Objects.requireNonNull(session);
        syncing = true;
        task.set(initial.taskName());
        presets.setAll(presetsFor(initial.taskName()));
        preset.set(initial);
        settings.load(RunSetup.of(initial));
        applied.set(RunSetup.of(initial));
        setupDescription.set(initial.description());
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
                settings.load(RunSetup.of(b));
                syncing = false;
                reset();
            }
        });
        settings.all().forEach(p -> p.addListener((o, a, b) -> validateSettings()));
        speedIndex.addListener((o, a, b) -> applySpeed());
        applySpeed();
    }

    /** @return the presets of {@code taskName}, or its made-up default if it has none */
    public static List<Preset> presetsFor(String taskName) {
        List<Preset> ps = Presets.all().stream().filter(p -> p.taskName().equals(taskName)).toList();
        return ps.isEmpty() ? List.of(Presets.forTask(taskName)) : ps;
    }

    // ------------------------------------------------------------------ commands

    /** Play if paused, pause if playing. */
    public void togglePlay() {
        if (session.isRunning()) {
            pause();
        } else {
            play();
        }
    }

    public void play() {
        announcement.set("");
        session.play();
        running.set(true);
    }

    public void pause() {
        session.pause();
        running.set(false);
    }

    /** One optimizer step (pauses first). */
    public void stepOnce() {
        announcement.set("");
        session.stepOnce();
        running.set(false);
    }

    /** A fresh model from the preset with the sheet's settings; does nothing but say why if they are invalid. */
    public void reset() {
        Preset p = preset.get();
        RunSetup next;
        try {
            next = settings.toSetup(RunSetup.of(p));
        } catch (IllegalArgumentException e) {
            settingsError.set(e.getMessage());
            return;
        }
        running.set(false);
        announcement.set("");
        session.reset(next).whenComplete((s, e) -> {
            if (e != null) {
                javafx.application.Platform.runLater(() -> settingsError.set(e.getCause() != null
                        ? e.getCause().getMessage() : e.getMessage()));
            }
        });
    }

    /**
     * A fresh model of exactly {@code run} (not from the sheet: a lesson's "Train it yourself"
     * retrains an opened checkpoint's own model), paused.
     */
    public void reset(RunSetup run) {
        running.set(false);
        announcement.set("");
        session.reset(run);
    }

    /** Shows a short message in the status bar until the next training command. */
    public void announce(String text) {
        announcement.set(text == null ? "" : text);
    }

    // ------------------------------------------------------------------ snapshots

    /** Shows a snapshot (JavaFX thread, once per frame at most). */
    public void accept(TrainingSnapshot s) {
        if (s == null || s == last) {
            return;
        }
        last = s;
        boolean newRun = s.runId() != runId;
        if (newRun) {
            runId = s.runId();
            syncTo(s.setup());
        }
        step.set(s.step());
        stepText.set("step " + Format.integer(s.step()) + " / " + Format.integer(s.setup().settings().steps()));
        stepsPerSecond.set(s.stepsPerSecond());
        trainLoss.set(s.trainLoss());
        boolean playing = session.isRunning();   // the live flag: a snapshot may predate a Play
        running.set(playing);
        if (s.metricName() != null) {
            metricName.set(s.metricName());
            metricText.set(s.metricName().replace('_', ' ') + " " + Format.metric(s.metricName(), s.metric()));
        } else {
            metricText.set("");
        }
        status.set(statusOf(s, playing));
        failed.set(s.error() != null);          // after the status: listeners of failed read it
        long now = System.nanoTime();
        if (newRun || !playing || now - lastSlowUpdate >= SLOW_UPDATE_NANOS) {
            lastSlowUpdate = now;
            trainLossCurve.set(s.trainLossCurve());
            evalLossCurve.set(s.evalLossCurve());
            metricCurve.set(s.metricCurve());
            breakdownName.set(s.breakdownName());
            breakdown.set(s.breakdown());
        }
    }

    private String statusOf(TrainingSnapshot s, boolean playing) {
        if (s.error() != null) {
            return s.error();
        }
        if (playing) {
            return "Training " + s.setup().task().displayName() + (opened != null && opened.weightsOnly()
                    ? " \u00b7 with a fresh optimizer (the checkpoint held the weights only)" : "");
        }
        if (s.finished()) {
            return "Finished the " + Format.integer(s.setup().settings().steps())
                    + "-step schedule \u00b7 Play continues at the final learning rate";
        }
        return s.step() == 0 ? "Ready \u00b7 press Play (Space) to train" : "Paused";
    }

    private void syncTo(RunSetup s) {
        syncing = true;
        applied.set(s);
        if (!s.task().name().equals(task.get())) {
            task.set(s.task().name());
            presets.setAll(presetsFor(s.task().name()));
        }
        Preset match = presets.stream().filter(p -> p.name().equals(s.presetName())).findFirst().orElse(presets.get(0));
        preset.set(match);
        opened = session.opened();
        setupDescription.set(describe(match, s, opened));
        settings.load(s);
        settingsError.set("");
        settingsPending.set(false);
        syncing = false;
    }

    /** Configuration keys that follow from others or from the task, left out of {@link #describe}. */
    /** Keys that follow others: the task (d_vocab, n_ctx, and weight_sharing, which a preset's own task options carry), d_model. */
    private static final java.util.Set<String> DERIVED = java.util.Set.of("d_vocab", "n_ctx", "d_head", "d_mlp",
            "weight_sharing");

    /**
     * What the sidebar says about the run: the preset's description when the run is that preset,
     * otherwise the task and what differs from the preset (task options such as LEGO's {@code n_var},
     * model keys such as {@code n_layers}) and where it came from, e.g.
     * {@code "lego · n_var=3, n_train=3 (from checkpoint)"}.
     *
     * @param p      the preset the run's training settings come from
     * @param s      the run
     * @param opened the checkpoint the run was opened from, or null
     */
    public static String describe(Preset p, RunSetup s, TrainingSession.Opened opened) {
        if (s == null) {
            return p == null ? "" : p.description();
        }
        List<String> diffs = new java.util.ArrayList<>();
        boolean samePreset = p != null && p.taskName().equals(s.task().name());
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
                : s.task().name() + (diffs.isEmpty() ? "" : " \u00b7 " + String.join(", ", diffs));
        if (opened != null) {
            return what + " (from checkpoint" + (opened.weightsOnly()
                    ? "; weights only: Play trains on with a fresh optimizer" : "") + ")";
        }
        return what + (samePreset ? " (preset " + p.name() + " changed)" : "");
    }

    private void validateSettings() {
        if (syncing) {
            return;
        }
        try {
            RunSetup next = settings.toSetup(RunSetup.of(preset.get()));
            settingsError.set("");
            RunSetup now = applied.get();
            settingsPending.set(now == null || !next.config().equals(now.config())
                    || !next.settings().equals(now.settings()));
        } catch (IllegalArgumentException e) {
            settingsError.set(e.getMessage());
            settingsPending.set(true);
        }
    }

    private void applySpeed() {
        int i = Math.max(0, Math.min(SPEEDS.length - 1, speedIndex.get()));
        session.setMaxStepsPerSecond(SPEEDS[i]);
        speedText.set(SPEEDS[i] == 0 ? "as fast as possible" : "at most " + Format.rate(SPEEDS[i]) + " steps/s");
    }

    // ------------------------------------------------------------------ properties

    /** @return which controls are locked (a lesson step locks some) */
    public ControlLocks locks() {
        return locks;
    }

    public ModelSettings settings() {
        return settings;
    }

    public ReadOnlyLongProperty stepProperty() {
        return step.getReadOnlyProperty();
    }

    /** @return "step 1,234 / 3,000" */
    public ReadOnlyStringProperty stepTextProperty() {
        return stepText.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty stepsPerSecondProperty() {
        return stepsPerSecond.getReadOnlyProperty();
    }

    /** @return the last step's training loss */
    public ReadOnlyDoubleProperty trainLossProperty() {
        return trainLoss.getReadOnlyProperty();
    }

    /** @return "accuracy 97.3%" (held-out) */
    public ReadOnlyStringProperty metricTextProperty() {
        return metricText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** @return what training is doing, or the problem */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** @return whether {@link #statusProperty()} is an error */
    public ReadOnlyBooleanProperty failedProperty() {
        return failed.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Curve> trainLossCurveProperty() {
        return trainLossCurve.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Curve> evalLossCurveProperty() {
        return evalLossCurve.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Curve> metricCurveProperty() {
        return metricCurve.getReadOnlyProperty();
    }

    /** @return the headline metric's name, e.g. accuracy */
    public ReadOnlyStringProperty metricNameProperty() {
        return metricName.getReadOnlyProperty();
    }

    /** @return the per-position metric's values (do not modify), or null */
    public ReadOnlyObjectProperty<double[]> breakdownProperty() {
        return breakdown.getReadOnlyProperty();
    }

    /** @return the per-position metric's name, or null */
    public ReadOnlyStringProperty breakdownNameProperty() {
        return breakdownName.getReadOnlyProperty();
    }

    /** @return the setup the model was built from */
    public ReadOnlyObjectProperty<RunSetup> appliedProperty() {
        return applied.getReadOnlyProperty();
    }

    public ObservableList<String> tasks() {
        return tasks;
    }

    /** @return the selected task id; selecting one resets to its first preset */
    public ObjectProperty<String> taskProperty() {
        return task;
    }

    /** @return the presets of the selected task */
    public ObservableList<Preset> presets() {
        return presets;
    }

    /** @return the selected preset; selecting one resets to it */
    public ObjectProperty<Preset> presetProperty() {
        return preset;
    }

    /** @return why the sheet's settings cannot be applied, or "" */
    public ReadOnlyStringProperty settingsErrorProperty() {
        return settingsError.getReadOnlyProperty();
    }

    /** @return whether the sheet differs from the running model (Reset applies it) */
    public ReadOnlyBooleanProperty settingsPendingProperty() {
        return settingsPending.getReadOnlyProperty();
    }

    /** @return index into {@link #SPEEDS} */
    public IntegerProperty speedIndexProperty() {
        return speedIndex;
    }

    public ReadOnlyStringProperty speedTextProperty() {
        return speedText.getReadOnlyProperty();
    }

    /**
     * @return what the sidebar says the run is: the preset's description, or for an opened
     *     checkpoint or changed settings the task and what differs ({@link #describe})
     */
    public ReadOnlyStringProperty setupDescriptionProperty() {
        return setupDescription.getReadOnlyProperty();
    }

    /** @return a transient message (saved, opened), or "" */
    public ReadOnlyStringProperty announcementProperty() {
        return announcement.getReadOnlyProperty();
    }
}
