package org.attnlab.app.training;

import java.util.List;
import java.util.Objects;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.ObservableList;
import org.attnlab.app.common.Format;
import org.attnlab.engine.train.RunSpec;

/**
 * Training's commands and state, what the transport, the status bar, the curves and the setup
 * sidebar show. This class is the transport (play, pause, step, reset, the speed limit, short
 * announcements); it reads {@link TrainingSnapshot}s (on the JavaFX thread, from the frame
 * timer) into {@link #status()}, and the sidebar's run editor is {@link #setup()}. It sends
 * commands to the {@link TrainingSession} and never touches a node.
 */
public final class TrainingViewModel {
    /** Speed limits of the speed slider, steps per second; 0 is "as fast as possible". */
    public static final double[] SPEEDS = {1, 2, 5, 10, 20, 50, 100, 200, 0};
    private final TrainingSession session;
    private final ControlLocks locks = new ControlLocks();
    private final TrainingStatus status = new TrainingStatus();
    private final SetupViewModel setup;
    private final IntegerProperty speedIndex = new SimpleIntegerProperty(this, "speedIndex", SPEEDS.length - 1);
    private final ReadOnlyStringWrapper speedText = new ReadOnlyStringWrapper(this, "speedText");
    private final ReadOnlyStringWrapper announcement = new ReadOnlyStringWrapper(this, "announcement", "");
    private long runId = -1;
    private TrainingSnapshot last;
    private TrainingSession.Opened opened;

    /**
     * @param session the training thread
     * @param initial the preset the session started with
     */
    public TrainingViewModel(TrainingSession session, RunSpec initial) {
        this.session = Objects.requireNonNull(session);
        this.setup = new SetupViewModel(initial, this::reset);
        speedIndex.addListener((o, a, b) -> applySpeed());
        applySpeed();
    }

    /** @return the presets of {@code taskName}, or its made-up default if it has none */
    public static List<RunSpec> presetsFor(String taskName) {
        return SetupViewModel.presetsFor(taskName);
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
        status.setRunning(true);
    }

    public void pause() {
        session.pause();
        status.setRunning(false);
    }

    /** One optimizer step (pauses first). */
    public void stepOnce() {
        announcement.set("");
        session.stepOnce();
        status.setRunning(false);
    }

    /**
     * A fresh model of the sidebar's run: the loaded run (a preset, an opened checkpoint's) with
     * the sheet's settings; does nothing but say why if they are invalid.
     */
    public void reset() {
        setup.reset();
    }

    /**
     * A fresh model of exactly {@code run} (not from the sheet: a lesson's "Train it yourself"
     * retrains an opened checkpoint's own run), paused.
     */
    public void reset(RunSpec run) {
        status.setRunning(false);
        announcement.set("");
        session.reset(run).whenComplete((s, e) -> {
            if (e != null) {
                javafx.application.Platform.runLater(() -> setup.failed(e.getCause() != null
                        ? e.getCause().getMessage() : e.getMessage()));
            }
        });
    }

    /** Shows a short message in the status bar until the next training command. */
    public void announce(String text) {
        announcement.set(text == null ? "" : text);
    }

    /** Shows a snapshot (JavaFX thread, once per frame at most). */
    public void accept(TrainingSnapshot s) {
        if (s == null || s == last) {
            return;
        }
        last = s;
        boolean newRun = s.runId() != runId;
        if (newRun) {
            runId = s.runId();
            opened = session.opened();
            setup.syncTo(s.spec(), opened);
        }
        status.accept(s, newRun, session.isRunning(), opened);   // the live flag: a snapshot may predate a Play
    }

    private void applySpeed() {
        int i = Math.max(0, Math.min(SPEEDS.length - 1, speedIndex.get()));
        session.setMaxStepsPerSecond(SPEEDS[i]);
        speedText.set(SPEEDS[i] == 0 ? "as fast as possible" : "at most " + Format.rate(SPEEDS[i]) + " steps/s");
    }

    // ------------------------------------------------------------------ parts and properties

    /** @return what the status bar and curves show */
    public TrainingStatus status() {
        return status;
    }

    /** @return the setup sidebar: task, preset, the settings sheet, the run's description */
    public SetupViewModel setup() {
        return setup;
    }

    /** @return which controls are locked (a lesson step locks some) */
    public ControlLocks locks() {
        return locks;
    }

    /** @return the settings sheet ({@link SetupViewModel#settings()}) */
    public ModelSettings settings() {
        return setup.settings();
    }

    /** @return index into {@link #SPEEDS} */
    public IntegerProperty speedIndexProperty() {
        return speedIndex;
    }

    public ReadOnlyStringProperty speedTextProperty() {
        return speedText.getReadOnlyProperty();
    }

    /** @return a transient message (saved, opened), or "" */
    public ReadOnlyStringProperty announcementProperty() {
        return announcement.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return status.runningProperty();
    }

    public ReadOnlyLongProperty stepProperty() {
        return status.stepProperty();
    }

    /** @return "step 1,234 / 3,000" */
    public ReadOnlyStringProperty stepTextProperty() {
        return status.stepTextProperty();
    }

    public ReadOnlyDoubleProperty stepsPerSecondProperty() {
        return status.stepsPerSecondProperty();
    }

    /** @return the last step's training loss */
    public ReadOnlyDoubleProperty trainLossProperty() {
        return status.trainLossProperty();
    }

    /** @return "accuracy 97.3%" (held-out) */
    public ReadOnlyStringProperty metricTextProperty() {
        return status.metricTextProperty();
    }

    /** @return what training is doing, or the problem */
    public ReadOnlyStringProperty statusProperty() {
        return status.statusProperty();
    }

    /** @return whether {@link #statusProperty()} is an error */
    public ReadOnlyBooleanProperty failedProperty() {
        return status.failedProperty();
    }

    /** @return the headline metric's name, e.g. accuracy */
    public ReadOnlyStringProperty metricNameProperty() {
        return status.metricNameProperty();
    }

    /** @return the run the model was built from */
    public ReadOnlyObjectProperty<RunSpec> appliedProperty() {
        return setup.appliedProperty();
    }

    public ObservableList<String> tasks() {
        return setup.tasks();
    }

    /** @return the selected task id; selecting one resets to its first preset */
    public ObjectProperty<String> taskProperty() {
        return setup.taskProperty();
    }

    /** @return the presets of the selected task */
    public ObservableList<RunSpec> presets() {
        return setup.presets();
    }

    /** @return the selected preset; selecting one resets to it */
    public ObjectProperty<RunSpec> presetProperty() {
        return setup.presetProperty();
    }

    /** @return why the sheet's settings cannot be applied, or "" */
    public ReadOnlyStringProperty settingsErrorProperty() {
        return setup.settingsErrorProperty();
    }

    /** @return whether the sheet differs from the running model (Reset applies it) */
    public ReadOnlyBooleanProperty settingsPendingProperty() {
        return setup.settingsPendingProperty();
    }

    /** @return what the sidebar says the run is ({@link SetupViewModel#describe}) */
    public ReadOnlyStringProperty setupDescriptionProperty() {
        return setup.setupDescriptionProperty();
    }
}
