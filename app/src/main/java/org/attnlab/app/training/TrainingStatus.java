package org.attnlab.app.training;

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
import org.attnlab.app.common.Format;

/**
 * What the status bar, the transport and the curves show of training, read from
 * {@link TrainingSnapshot}s on the JavaFX thread: step, speed, losses, whether it plays, the
 * headline metric, the status line, the curves and the per-position breakdown. Read-only properties; never touches a node.
 */
public final class TrainingStatus {
    /**
     * Curves redraw at most this often while training (the heatmaps and the status bar with
     * every snapshot): charts are the window's most expensive nodes to lay out and draw, and a
     * curve of a few hundred points does not need 20 updates a second.
     */
    private static final long SLOW_UPDATE_NANOS = 1_000_000_000L;

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
    private long lastSlowUpdate;

    /**
     * Shows {@code s}.
     *
     * @param newRun  whether {@code s} is the first snapshot of a run (the curves then update at once)
     * @param playing whether training is playing now (the live flag: a snapshot may predate a Play)
     * @param opened  the checkpoint the run was opened from, or null
     */
    void accept(TrainingSnapshot s, boolean newRun, boolean playing, TrainingSession.Opened opened) {
        step.set(s.step());
        stepText.set("step " + Format.integer(s.step()) + " / " + Format.integer(s.spec().training().steps()));
        stepsPerSecond.set(s.stepsPerSecond());
        trainLoss.set(s.trainLoss());
        running.set(playing);
        if (s.metricName() != null) {
            metricName.set(s.metricName());
            metricText.set(s.metricName().replace('_', ' ') + " " + Format.metric(s.metricName(), s.metric()));
        } else {
            metricText.set("");
        }
        status.set(statusOf(s, playing, opened));
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

    private static String statusOf(TrainingSnapshot s, boolean playing, TrainingSession.Opened opened) {
        if (s.error() != null) {
            return s.error();
        }
        if (playing) {
            return "Training " + s.spec().task().displayName() + (opened != null && opened.weightsOnly()
                    ? " \u00b7 with a fresh optimizer (the checkpoint held the weights only)" : "");
        }
        if (s.finished()) {
            return "Finished the " + Format.integer(s.spec().training().steps())
                    + "-step schedule \u00b7 Play continues at the final learning rate";
        }
        return s.step() == 0 ? "Ready \u00b7 press Play (Space) to train" : "Paused";
    }

    /** Shows whether training plays (a transport command, before the thread's next snapshot says so). */
    void setRunning(boolean on) {
        running.set(on);
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
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
}
