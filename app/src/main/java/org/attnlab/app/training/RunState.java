package org.attnlab.app.training;

import java.util.Arrays;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.tasks.Metrics;
import org.attnlab.engine.train.RunSpec;
import org.attnlab.engine.train.Trainer;
import org.attnlab.engine.train.TrainingHistory;
import org.attnlab.engine.train.TrainingListener;
import org.attnlab.engine.transformer.Transformer;

/**
 * The current run as the training thread sees it: the trainer, the curves recorded so far, the
 * last evaluation's breakdown, the probe example and the {@link TrainingHistory} (every k steps
 * the probe's attention, the losses and the metric; now and then a parameter copy: see
 * {@link #recordHistory}). Touched by the training thread only
 * ({@link TrainingSession}); {@link #snapshot} copies it out for the window.
 */
final class RunState {
    private static final long PROBE_SEED = 0x9E0BEL;
    private static final int CURVE_POINTS = 240;

    private final CurveBuffer trainLoss = new CurveBuffer(CURVE_POINTS);
    private final CurveBuffer evalLoss = new CurveBuffer(CURVE_POINTS);
    private final CurveBuffer metric = new CurveBuffer(CURVE_POINTS);
    private Trainer trainer;
    private Transformer probeModel;
    private RunSpec spec;
    private long runId;
    private double lastLoss = Double.NaN;
    private String metricName;
    private String breakdownName;
    private double[] breakdown;
    private Probe probe;
    private long probeIds;
    private long probeDraws;
    private ProbeResult probeResult;
    private String error;
    private TrainingHistory history = new TrainingHistory();
    private double lastEvalLoss = Double.NaN;
    private double lastMetric = Double.NaN;

    /** @return whether a run is installed */
    boolean ready() {
        return trainer != null;
    }

    Trainer trainer() {
        return trainer;
    }

    RunSpec spec() {
        return spec;
    }

    /** Sets the problem the next snapshot shows ({@code null} clears it). */
    void error(String message) {
        error = message;
    }

    /**
     * Makes {@code t} the current run: clears the curves, evaluates once (so held-out curves
     * start at the model's first step) and keeps the probe if {@code keepProbe} and it fits.
     */
    void install(Trainer t, boolean keepProbe) {
        trainer = t;
        spec = t.spec();
        runId++;
        probeModel = new Transformer(t.params(), 1, t.settings().precision());   // own buffers, live parameters,
        // the run's precision: the views show the numbers the trainer computes
        trainLoss.clear();
        evalLoss.clear();
        metric.clear();
        metricName = null;
        breakdownName = null;
        breakdown = null;
        lastLoss = Double.NaN;
        lastEvalLoss = Double.NaN;
        lastMetric = Double.NaN;
        history = new TrainingHistory();
        error = null;
        t.addListener(new TrainingListener() {
            @Override
            public void onEvaluation(long step, Metrics metrics, double loss) {
                recordEvaluation(step, metrics, loss);
            }
        });
        if (!keepProbe || probe == null || probe.tokens().length > spec.config().nCtx()) {
            drawProbe();
        }
        probeResult = null;
        t.evaluate();
        recordHistory();
    }

    /** @return the run's history (training thread) */
    TrainingHistory history() {
        return history;
    }

    /** Replaces the history by one saved with an opened checkpoint (right after {@link #install}). */
    void restoreHistory(TrainingHistory h) {
        history = h;
    }

    /** One optimizer step, recorded. */
    void step() {
        error = null;
        lastLoss = trainer.step().loss();
        trainLoss.add(trainer.stepCount(), lastLoss);
        history.addLoss(lastLoss);
        recordHistory();
    }

    /**
     * Adds a moment to the history when one is due: the probe's attention patterns (one forward
     * pass of the probe, B = 1, as floats), the last held-out loss and metric, and a parameter copy
     * when the history wants one. Costs one probe pass every {@link TrainingHistory#every()} steps.
     */
    private void recordHistory() {
        long step = trainer.stepCount();
        if (!history.due(step)) {
            return;
        }
        int t = probe.tokens().length;
        int layers = spec.config().nLayers(), heads = spec.config().nHeads();
        float[] patterns = new float[layers * heads * t * t];
        probeModel.forward(probe.tokens(), 1, t, (point, shape, data) -> {
            if (point.site() == HookPoint.Site.ATTN_PATTERN) {     // blocks.<l>.attn.hook_pattern [1, H, T, T]
                int l = point.layer();
                for (int i = 0, off = l * heads * t * t; i < heads * t * t; i++) {
                    patterns[off + i] = (float) data[i];
                }
            }
        });
        history.record(step, lastEvalLoss, lastMetric, metricName, probe.tokens(), layers, heads, patterns,
                history.wantsParams(step) ? trainer.params().copy() : null);
    }

    private void recordEvaluation(long step, Metrics m, double loss) {
        evalLoss.add(step, loss);
        metric.add(step, m.headline());
        metricName = m.headlineName();
        lastEvalLoss = loss;
        lastMetric = m.headline();
        breakdownName = breakdownOf(m, spec.config().nLayers());
        breakdown = breakdownName == null ? null : m.get(breakdownName);
    }

    /**
     * @return the metric the breakdown chart shows: the first per-position one (e.g.
     *     {@code accuracy_per_chain_position}); else the last layer's first per-head one (e.g.
     *     {@code induction_score.L1}: induction heads form in the last layer, not the first);
     *     else the first with several values; null if none has
     */
    static String breakdownOf(Metrics m, int nLayers) {
        String perHead = null, any = null;
        for (String name : m.names()) {
            if (m.get(name).length <= 1) {
                continue;
            }
            if (name.contains("position")) {
                return name;
            }
            if (perHead == null && name.endsWith(".L" + (nLayers - 1))) {
                perHead = name;
            }
            if (any == null) {
                any = name;
            }
        }
        return perHead != null ? perHead : any;
    }

    /** Draws a new probe example from the task's held-out generator (every scored position has a target). */
    void drawProbe() {
        Batch b = spec.task().evalBatch(1, PROBE_SEED + probeDraws++);
        int[] targets = b.targets().clone();
        for (int i = 0; i < targets.length; i++) {
            if (!b.scored(0, i)) {
                targets[i] = -1;
            }
        }
        probe = new Probe(++probeIds, b.tokens().clone(), targets);
    }

    /** Uses typed tokens as the probe; ignored if they do not fit the model. Equal tokens keep the targets. */
    void typedProbe(int[] tokens) {
        if (tokens.length == 0 || tokens.length > spec.config().nCtx()
                || Arrays.stream(tokens).anyMatch(id -> id < 0 || id >= spec.config().dVocab())) {
            return;
        }
        if (probe == null || !Arrays.equals(tokens, probe.tokens())) {
            probe = Probe.typed(++probeIds, tokens);
        }
    }

    /** @return the window's view of the run; runs the probe through the model if it changed since */
    TrainingSnapshot snapshot(boolean running, boolean finished, double stepsPerSecond) {
        long step = trainer.stepCount();
        if (probeResult == null || probeResult.step() != step || probeResult.probeId() != probe.id()) {
            probeResult = ProbeRunner.run(probeModel, spec.task().vocabulary(), probe, step);
        }
        return new TrainingSnapshot(runId, spec, step, running, finished, lastLoss, running ? stepsPerSecond : 0,
                trainLoss.curve(), evalLoss.curve(), metric.curve(), metricName, breakdownName, breakdown,
                probeResult, error, history.moments());
    }
}
