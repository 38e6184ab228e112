package org.attnlab.app.training;

import java.util.List;
import org.attnlab.engine.train.RunSpec;
import org.attnlab.engine.train.TrainingHistory;

/**
 * Everything the window shows of training at one moment, published by the training thread
 * and read by the JavaFX thread once per frame. Immutable: curves, metrics and patterns are
 * copies, never live matrices.
 *
 * @param runId          increases with every reset or opened checkpoint
 * @param spec           the run being trained
 * @param step           optimizer steps taken
 * @param running        whether training is playing
 * @param finished       whether the schedule's last step was reached (Play continues at the floor learning rate)
 * @param trainLoss      the last step's training loss (NaN before the first step)
 * @param stepsPerSecond measured over the last half second while running, 0 when paused
 * @param trainLossCurve training loss per step (downsampled)
 * @param evalLossCurve  held-out loss per evaluation
 * @param metricCurve    held-out headline metric per evaluation
 * @param metricName     the headline metric's name, e.g. {@code accuracy} (null before the first evaluation)
 * @param breakdownName  the name of the metric shown as bars, e.g. {@code accuracy_per_chain_position}, or null
 * @param breakdown      its values (NaN where nothing was scored), or null; do not modify
 * @param probe          the model on the probe example, or null before it is computed
 * @param error          a one-line problem to show (training diverged, a setup failed), or null
 * @param history        the run's recorded moments, oldest first (an immutable list of immutable moments)
 */
public record TrainingSnapshot(long runId, RunSpec spec, long step, boolean running, boolean finished,
                               double trainLoss, double stepsPerSecond, Curve trainLossCurve, Curve evalLossCurve,
                               Curve metricCurve, String metricName, String breakdownName, double[] breakdown,
                               ProbeResult probe, String error, List<TrainingHistory.Moment> history) {

    /** @return the last held-out headline metric, or NaN */
    public double metric() {
        return metricCurve.last();
    }

    /** @return the last held-out loss, or NaN */
    public double evalLoss() {
        return evalLossCurve.last();
    }
}
