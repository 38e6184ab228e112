package org.attnlab.engine.train;

import org.attnlab.engine.compute.Precision;
import org.attnlab.engine.optim.AdamW;

/**
 * How to train: optimizer, batch, schedule, clipping, evaluation cadence and seed. Immutable
 * and validated; {@code with...} methods return changed copies.
 *
 * @param adamw         AdamW hyperparameters; {@code adamw.lr()} is the peak learning rate
 * @param batchSize     sequences per step, at least 1
 * @param steps         total optimizer steps (the cosine schedule ends here), at least 1
 * @param warmupSteps   linear warmup from 0 to the peak learning rate, in [0, steps]
 * @param minLrFraction the cosine schedule's floor as a fraction of the peak, in [0, 1]
 * @param gradClip      clip the global gradient L2 norm to this (PyTorch
 *                      {@code clip_grad_norm_}); 0 turns clipping off
 * @param evalEvery     evaluate on held-out data every this many steps (0: only when asked)
 * @param evalBatchSize sequences in the held-out batch, at least 1
 * @param seed          seeds initialization and data; the same seed gives the same run, bit for bit
 *                      (for the same precision and thread count)
 * @param precision     the number type training computes in ({@code dtype}: f32, the default of new
 *                      runs, or f64); in f32 the parameters are rounded to float32 after every step
 * @param init          how a fresh run's parameters start ({@code init}: normal, the default, or
 *                      mimetic; {@link InitScheme})
 */
public record TrainingSettings(AdamW.Settings adamw, int batchSize, int steps, int warmupSteps, double minLrFraction,
                               double gradClip, int evalEvery, int evalBatchSize, long seed, Precision precision,
                               InitScheme init) {

    /** Settings with the {@link InitScheme#NORMAL} initialization. */
    public TrainingSettings(AdamW.Settings adamw, int batchSize, int steps, int warmupSteps, double minLrFraction,
                            double gradClip, int evalEvery, int evalBatchSize, long seed, Precision precision) {
        this(adamw, batchSize, steps, warmupSteps, minLrFraction, gradClip, evalEvery, evalBatchSize, seed, precision,
                InitScheme.NORMAL);
    }

    /** Settings that compute in float32, the default precision of training. */
    public TrainingSettings(AdamW.Settings adamw, int batchSize, int steps, int warmupSteps, double minLrFraction,
                            double gradClip, int evalEvery, int evalBatchSize, long seed) {
        this(adamw, batchSize, steps, warmupSteps, minLrFraction, gradClip, evalEvery, evalBatchSize, seed,
                Precision.F32);
    }

    /** @throws IllegalArgumentException naming the setting out of range */
    public TrainingSettings {
        if (adamw == null) throw new IllegalArgumentException("adamw settings must be given");
        if (precision == null) throw new IllegalArgumentException("dtype must be given (f32 or f64)");
        if (init == null) throw new IllegalArgumentException("init must be given (normal or mimetic)");
        if (batchSize < 1) throw new IllegalArgumentException("batch_size must be at least 1 (got " + batchSize + ")");
        if (steps < 1) throw new IllegalArgumentException("steps must be at least 1 (got " + steps + ")");
        if (warmupSteps < 0 || warmupSteps > steps) {
            throw new IllegalArgumentException("warmup must be in [0, steps = " + steps + "] (got " + warmupSteps + ")");
        }
        if (!(minLrFraction >= 0 && minLrFraction <= 1)) {
            throw new IllegalArgumentException("min_lr_fraction must be in [0, 1] (got " + minLrFraction + ")");
        }
        if (!(gradClip >= 0) || Double.isInfinite(gradClip)) {
            throw new IllegalArgumentException("grad_clip must be >= 0 (got " + gradClip + ")");
        }
        if (evalEvery < 0) throw new IllegalArgumentException("eval_every must be >= 0 (got " + evalEvery + ")");
        if (evalBatchSize < 1) {
            throw new IllegalArgumentException("eval_batch must be at least 1 (got " + evalBatchSize + ")");
        }
    }

    /** @return a copy with another step count (warmup clipped to it) */
    public TrainingSettings withSteps(int n) {
        return new TrainingSettings(adamw, batchSize, n, Math.min(warmupSteps, Math.max(n, 1)), minLrFraction, gradClip,
                evalEvery, evalBatchSize, seed, precision, init);
    }

    /** @return a copy with other AdamW settings */
    public TrainingSettings withAdamw(AdamW.Settings a) {
        return new TrainingSettings(a, batchSize, steps, warmupSteps, minLrFraction, gradClip, evalEvery,
                evalBatchSize, seed, precision, init);
    }

    /** @return a copy with another batch size */
    public TrainingSettings withBatchSize(int n) {
        return new TrainingSettings(adamw, n, steps, warmupSteps, minLrFraction, gradClip, evalEvery, evalBatchSize,
                seed, precision, init);
    }

    /** @return a copy with another warmup */
    public TrainingSettings withWarmupSteps(int n) {
        return new TrainingSettings(adamw, batchSize, steps, n, minLrFraction, gradClip, evalEvery, evalBatchSize,
                seed, precision, init);
    }

    /** @return a copy with another cosine floor */
    public TrainingSettings withMinLrFraction(double f) {
        return new TrainingSettings(adamw, batchSize, steps, warmupSteps, f, gradClip, evalEvery, evalBatchSize, seed,
                precision, init);
    }

    /** @return a copy with another gradient clip */
    public TrainingSettings withGradClip(double c) {
        return new TrainingSettings(adamw, batchSize, steps, warmupSteps, minLrFraction, c, evalEvery, evalBatchSize,
                seed, precision, init);
    }

    /** @return a copy with another evaluation cadence */
    public TrainingSettings withEvalEvery(int n) {
        return new TrainingSettings(adamw, batchSize, steps, warmupSteps, minLrFraction, gradClip, n, evalBatchSize,
                seed, precision, init);
    }

    /** @return a copy with another held-out batch size */
    public TrainingSettings withEvalBatchSize(int n) {
        return new TrainingSettings(adamw, batchSize, steps, warmupSteps, minLrFraction, gradClip, evalEvery, n, seed,
                precision, init);
    }

    /** @return a copy with another seed */
    public TrainingSettings withSeed(long s) {
        return new TrainingSettings(adamw, batchSize, steps, warmupSteps, minLrFraction, gradClip, evalEvery,
                evalBatchSize, s, precision, init);
    }

    /** @return a copy with another initialization scheme */
    public TrainingSettings withInit(InitScheme i) {
        return new TrainingSettings(adamw, batchSize, steps, warmupSteps, minLrFraction, gradClip, evalEvery,
                evalBatchSize, seed, precision, i);
    }

    /**
     * The learning rate of optimizer step {@code step} (1-based): linear warmup to the peak, then
     * cosine decay to {@code minLrFraction * peak} at {@code steps} (Loshchilov and Hutter 2017,
     * SGDR; as in nanoGPT's {@code get_lr}). Past the end it stays at the floor.
     */
    public double learningRate(long step) {
        double peak = adamw.lr();
        if (warmupSteps > 0 && step <= warmupSteps) {
            return peak * step / warmupSteps;
        }
        double floor = peak * minLrFraction;
        if (step >= steps) {
            return floor;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, steps - warmupSteps);
        return floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress));
    }
}
