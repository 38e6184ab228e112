package org.attnlab.engine.train;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.tasks.Metrics;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.transformer.Transformer;

/**
 * Trains a transformer on a task as a {@link RunSpec} says: AdamW, warmup + cosine schedule,
 * global gradient-norm clipping, the spec's curriculum, periodic held-out evaluation, listeners.
 * Knows nothing of any screen (minGPT's trainer with callbacks is the model). This class is the
 * step loop; the held-out batch is a {@link HeldOutSet}, the state to roll back to after a
 * divergence a {@link RollbackPoint}, the models per thread count {@link ModelsByThreads}.
 * Weight sharing is the model's structure ({@code weight_sharing} in its configuration): the
 * trainer sees one parameter per shared tensor, whose gradient the model already summed over
 * layers, so clipping and AdamW count it once.
 *
 * <p>Determinism: initialization draws from {@code SplittableRandom(seed)}, and step s's batch
 * from {@code SplittableRandom(mix(seed, s))}, so the same seed and settings give the same
 * loss curve bit for bit, and a run resumed from a checkpoint at step s continues exactly.
 * Not thread-safe: one thread drives a trainer.
 */
public final class Trainer {
    /**
     * Threads a training step uses: the machine's cores, at most 4. Results do not depend on it
     * for up to 4 threads (see {@link Transformer}), so a run is the same on any such machine.
     */
    public static final int DEFAULT_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    /** Seed of the held-out batch: fixed, so runs with different seeds are scored on the same data. */
    public static final long EVAL_SEED = 0x5EEDL;

    /**
     * A loss above this many times that of a model guessing uniformly over d_vocab tokens
     * ({@code ln d_vocab}) counts as diverged: no training run passes through it, while a
     * learning rate far too large reaches it long before the loss overflows to infinity.
     */
    public static final double BLOW_UP_FACTOR = 10;

    private final RunSpec spec;
    private final Task task;
    private final Parameters params;
    private final Parameters grads;
    private final ModelsByThreads models;
    private final AdamW optimizer;
    private final TrainingSettings settings;
    private final Curriculum curriculum;
    private final HeldOutSet heldOut;
    /** per curriculum stage, its own held-out batch, made when a mastery check first needs it */
    private final HeldOutSet[] stageHeldOut;
    private final RollbackPoint lastGood = new RollbackPoint();
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    private long step;
    private Evaluation lastEvaluation;

    /**
     * A fresh model of {@code spec}, initialized from its seed, trained with its settings and
     * curriculum.
     */
    public Trainer(RunSpec spec) {
        this(spec, spec.training().init().apply(Parameters.init(spec.config(),
                new SplittableRandom(spec.training().seed()))), null, 0);
    }

    /**
     * Continues training existing parameters as {@code spec} says.
     *
     * @param params    trained in place; their configuration must be the spec's
     * @param optimizer AdamW state to continue from, or {@code null} for a fresh one
     * @param step      the number of steps already taken
     * @throws IllegalArgumentException if the parameters are not of the spec's configuration
     */
    public Trainer(RunSpec spec, Parameters params, AdamW optimizer, long step) {
        if (!params.config().equals(spec.config())) {
            throw new IllegalArgumentException("the parameters are of another model than the run spec's: "
                    + params.config() + " vs " + spec.config());
        }
        this.spec = spec;
        this.task = spec.task();
        this.params = params;
        this.grads = new Parameters(params.config());
        this.settings = spec.training();
        this.models = new ModelsByThreads(params, DEFAULT_THREADS, settings.precision());
        this.optimizer = optimizer != null ? optimizer : new AdamW(settings.adamw());
        this.curriculum = spec.curriculum().isEmpty() ? null : new Curriculum(task, spec.curriculum());
        this.heldOut = new HeldOutSet(task, settings.evalBatchSize());
        this.stageHeldOut = new HeldOutSet[spec.curriculum().size()];
        this.step = step;
    }

    /**
     * A fresh model initialized from the settings' seed, without a curriculum (its spec is
     * {@link RunSpec#of}).
     *
     * @throws IllegalArgumentException if the task does not fit the configuration
     */
    public Trainer(Task task, TransformerConfig config, TrainingSettings settings) {
        this(RunSpec.of(task, checkFits(task, config), settings));
    }

    /**
     * Continues training existing parameters, without a curriculum (its spec is {@link RunSpec#of}).
     *
     * @param params    trained in place
     * @param optimizer AdamW state to continue from, or {@code null} for a fresh one
     * @param step      the number of steps already taken
     * @throws IllegalArgumentException if the task does not fit the configuration
     */
    public Trainer(Task task, Parameters params, TrainingSettings settings, AdamW optimizer, long step) {
        this(RunSpec.of(task, checkFits(task, params.config()), settings), params, optimizer, step);
    }

    /**
     * @return {@code config}
     * @throws IllegalArgumentException if the task's vocabulary exceeds d_vocab or its sequences n_ctx
     */
    public static TransformerConfig checkFits(Task task, TransformerConfig config) {
        if (task.vocabulary().size() > config.dVocab()) {
            throw new IllegalArgumentException("task " + task.name() + " needs d_vocab >= " + task.vocabulary().size()
                    + " (got " + config.dVocab() + ")");
        }
        if (task.seqLen() > config.nCtx()) {
            throw new IllegalArgumentException("task " + task.name() + " needs n_ctx >= " + task.seqLen() + " (got "
                    + config.nCtx() + ")");
        }
        return config;
    }

    /** Registers a listener (called on the training thread). */
    public void addListener(TrainingListener l) {
        listeners.add(l);
    }

    /** Removes a listener. */
    public void removeListener(TrainingListener l) {
        listeners.remove(l);
    }

    /** @return the run this trainer trains (checkpoints store it) */
    public RunSpec spec() {
        return spec;
    }

    /** @return the task */
    public Task task() {
        return task;
    }

    /** @return the live parameters */
    public Parameters params() {
        return params;
    }

    /**
     * Sets how many threads a training step and an evaluation use from now on. Results are
     * bit-identical for 1 to 4 threads (the work is split into fixed chunks whose sums are
     * reduced in a fixed order, see {@link Transformer}), so this changes speed only. The window
     * uses it to leave a core to the JavaFX thread.
     *
     * @param threads at least 1
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public void setThreads(int threads) {
        models.use(threads);
    }

    /** @return the threads a training step uses */
    public int threads() {
        return models.current().threads();
    }

    /** @return the model (shares {@link #params()}; replaced by {@link #setThreads}) */
    public Transformer model() {
        return models.current();
    }

    /** @return the optimizer (its state is saved in checkpoints) */
    public AdamW optimizer() {
        return optimizer;
    }

    /** @return the settings (the spec's) */
    public TrainingSettings settings() {
        return settings;
    }

    /** @return steps taken */
    public long stepCount() {
        return step;
    }

    /** @return the most recent evaluation, or {@code null} */
    public Evaluation lastEvaluation() {
        return lastEvaluation;
    }

    /** @return the training batch of step {@code s} (1-based), the same every time */
    public Batch trainingBatch(long s) {
        Task t = curriculum == null ? null : curriculum.taskAt(s);
        return (t == null ? task : t).sample(settings.batchSize(), new SplittableRandom(mix(settings.seed(), s)));
    }

    /**
     * One optimizer step: batch, forward, loss, backward, clip, AdamW. On a NaN or infinite
     * loss or gradient, or a loss above {@link #blowUpLoss()}, nothing is updated, the model is
     * rolled back to its last good evaluation and {@link TrainingDivergedException} is thrown.
     */
    public StepResult step() {
        long t0 = System.nanoTime();
        long s = step + 1;
        double lr = settings.learningRate(s);
        Batch batch = trainingBatch(s);
        double loss = model().lossAndGradients(batch, grads);
        if (!Double.isFinite(loss) || loss > blowUpLoss()) {
            throw new TrainingDivergedException(s, "loss", loss, lr, rollBack());
        }
        double norm = grads.norm();
        if (!Double.isFinite(norm)) {
            throw new TrainingDivergedException(s, "gradient norm", norm, lr, rollBack());
        }
        clip(grads, norm, settings.gradClip());
        optimizer.step(params, grads, lr);
        settings.precision().round(params);   // float32: the parameters are float32 values after every step
        step = s;
        StepResult r = new StepResult(s, loss, norm, lr, (System.nanoTime() - t0) / 1e9);
        for (TrainingListener l : listeners) {
            l.onStepEnd(r);
        }
        if (settings.evalEvery() > 0 && s % settings.evalEvery() == 0) {
            evaluate();
        }
        return r;
    }

    /**
     * Runs steps until {@code settings.steps()} are taken or {@code stop} says so (checked
     * before every step).
     *
     * @return the number of steps taken by this call
     */
    public long run(BooleanSupplier stop) {
        long taken = 0;
        while (step < settings.steps() && !stop.getAsBoolean()) {
            step();
            taken++;
        }
        return taken;
    }

    /**
     * Evaluates on the fixed held-out batch and notifies listeners.
     *
     * Each evaluation with a finite held-out loss is remembered (model, optimizer state, step)
     * as the state to roll back to.
     *
     * @throws TrainingDivergedException if the held-out loss is NaN or infinite; the model,
     *     optimizer and step are then rolled back to the last evaluation whose loss was finite
     *     (if there was one), which the message names
     */
    public Evaluation evaluate() {
        Evaluation e = heldOut.evaluate(model(), step);
        if (!Double.isFinite(e.loss()) || e.loss() > blowUpLoss()) {
            long bad = step;
            double lr = settings.learningRate(Math.max(step, 1));
            throw TrainingDivergedException.heldOut(bad, e.loss(), lr, rollBack());
        }
        lastGood.remember(params, optimizer, step);
        lastEvaluation = e;
        for (TrainingListener l : listeners) {
            l.onEvaluation(step, lastEvaluation.metrics(), lastEvaluation.loss());
        }
        checkMastery();
        return lastEvaluation;
    }

    /**
     * If the stage the next step samples from is {@code untilMastered}, evaluates the model on
     * that stage's own held-out batch (seed {@link #EVAL_SEED}, {@code eval_batch} sequences) and,
     * when the part of its metrics the stage trains ({@link Task#trainedPart}) reaches the run's
     * target, marks the stage mastered at this step and tells the
     * listeners ({@link TrainingListener#onStageMastered}).
     */
    private void checkMastery() {
        if (curriculum == null || step == 0) {
            return;
        }
        int i = curriculum.stageAt(step + 1);
        if (i < 0 || !curriculum.stages().get(i).untilMastered()) {
            return;
        }
        if (stageHeldOut[i] == null) {
            stageHeldOut[i] = new HeldOutSet(curriculum.stageTask(i), settings.evalBatchSize());
        }
        Metrics m = curriculum.stageTask(i).trainedPart(stageHeldOut[i].evaluate(model(), step).metrics());
        if (spec.target().reachedBy(m)) {
            curriculum.markMastered(i, step);
            for (TrainingListener l : listeners) {
                l.onStageMastered(i, step, m);
            }
        }
    }

    /**
     * @return per curriculum stage, the step after which the run mastered it (0: not, or not a
     *     mastery stage); empty without a curriculum. Checkpoints store it to continue the run.
     */
    public long[] curriculumMasteredAt() {
        return curriculum == null ? new long[0] : curriculum.masteredAt();
    }

    /**
     * Restores the mastery steps of a run being continued ({@link #curriculumMasteredAt}).
     *
     * @throws IllegalArgumentException if they do not fit this run's curriculum
     */
    public void restoreCurriculumMasteredAt(long[] steps) {
        if (curriculum == null) {
            if (steps.length > 0) {
                throw new IllegalArgumentException("this run has no curriculum to restore mastery steps to");
            }
            return;
        }
        curriculum.restoreMasteredAt(steps);
    }

    /** @return the curriculum stage step {@code s} (1-based) samples from, -1 for the full task */
    public int curriculumStageAt(long s) {
        return curriculum == null ? -1 : curriculum.stageAt(s);
    }

    /** @return the loss above which training counts as diverged, {@code BLOW_UP_FACTOR * ln(d_vocab)} */
    public double blowUpLoss() {
        return BLOW_UP_FACTOR * Math.log(Math.max(2, params.config().dVocab()));
    }

    /**
     * Puts the model, optimizer and step back to the last good evaluation, if there is one
     * before the current step.
     *
     * @return the step the model is at now
     */
    private long rollBack() {
        step = lastGood.restore(params, optimizer, step);
        return step;
    }

    /** @return whether every parameter is finite (a sanity check after loading) */
    public boolean parametersFinite() {
        for (Param p : params.all()) {
            for (int i = 0; i < p.size(); i++) {
                if (!Double.isFinite(p.value().data[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Scales {@code grads} so their global L2 norm is at most {@code maxNorm}, as
     * {@code torch.nn.utils.clip_grad_norm_} does (coefficient {@code maxNorm / (norm + 1e-6)}).
     *
     * @param norm    the current global norm of {@code grads}
     * @param maxNorm the bound; 0 or less turns clipping off
     */
    static void clip(Parameters grads, double norm, double maxNorm) {
        if (maxNorm > 0 && norm > maxNorm) {
            grads.scale(maxNorm / (norm + 1e-6));
        }
    }

    /** SplitMix64 finalizer of seed and step: independent streams per step. */
    static long mix(long seed, long s) {
        long z = seed * 0x9E3779B97F4A7C15L + s * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
