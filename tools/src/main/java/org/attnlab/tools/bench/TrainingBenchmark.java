package org.attnlab.tools.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.attnlab.engine.compute.Precision;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.transformer.Transformer;

/**
 * Times the engine the way the PyTorch peer ({@code bench_torch.py}) times itself: a fixed
 * batch of random tokens and targets (every position scored), full training steps (forward,
 * loss, backward, AdamW) after a warm-up, and forward-only evaluation (forward and loss).
 * Models use vocabulary 32, d_mlp = 4 d_model, causal attention, pre-LN, learned positions and
 * gelu_new (the defaults of {@link TransformerConfig}).
 */
public final class TrainingBenchmark {
    /**
     * A benchmark size.
     *
     * @param name   the name used on the command line
     * @param dModel d_model
     * @param layers n_layers
     * @param heads  n_heads
     * @param nCtx   n_ctx, also the sequence length T
     * @param batch  B
     */
    public record Preset(String name, int dModel, int layers, int heads, int nCtx, int batch) {
        /**
         * @return the model configuration: the defaults, except {@code lego6}, which is the
         *     lego6 training preset's model exactly (d_mlp 128, rotary, bidirectional, one block
         *     shared by the 6 layers), at the benchmark's vocabulary
         */
        public TransformerConfig config() {
            TransformerConfig.Builder b = TransformerConfig.builder(VOCAB, nCtx, dModel, heads, layers);
            if (name.equals("lego6")) {
                b.dMlp(128).positionalEmbeddingType(TransformerConfig.PositionalEmbedding.ROTARY)
                        .attentionDir(TransformerConfig.AttentionDir.BIDIRECTIONAL).weightSharing(true);
            }
            return b.build();
        }
    }

    /**
     * What one run measured.
     *
     * @param stepsPerSecond       training steps per second (wall clock)
     * @param evalTokensPerSecond  tokens per second of forward-only evaluation
     * @param trainGflops          matrix-multiply GFLOP/s of training ({@link #trainFlops})
     * @param evalGflops           matrix-multiply GFLOP/s of evaluation
     * @param allocatedBytesPerStep bytes allocated per training step by all threads, after warm-up
     * @param dtype                the precision, {@code f32} or {@code f64}
     */
    public record Result(double stepsPerSecond, double evalTokensPerSecond, double trainGflops, double evalGflops,
                         double allocatedBytesPerStep, String dtype) {
    }

    /** The vocabulary of every preset (as the peer's). */
    public static final int VOCAB = 32;

    /** Warm-up window, nanoseconds. */
    private static final long WINDOW = 1_000_000_000L;

    /** The presets of issue 8. */
    public static final List<Preset> PRESETS = List.of(
            new Preset("tiny", 32, 1, 2, 16, 16),
            new Preset("classroom-S", 64, 2, 4, 32, 32),
            new Preset("medium", 128, 4, 8, 64, 32),
            new Preset("lego6", 64, 6, 4, 30, 256));

    private TrainingBenchmark() {
    }

    /**
     * @return the preset named {@code name}
     * @throws IllegalArgumentException naming the presets if there is none
     */
    public static Preset preset(String name) {
        for (Preset p : PRESETS) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown config '" + name + "' (expected one of "
                + PRESETS.stream().map(Preset::name).toList() + ")");
    }

    /**
     * Matrix-multiply floating-point operations of one forward pass (2 per multiply-add): the
     * q, k, v and output projections, q k^T and pattern v over the full T x T (as a dense
     * implementation computes them), the MLP and the unembedding. Element-wise work is not
     * counted.
     */
    public static double forwardFlops(TransformerConfig c, int b, int t) {
        double n = (double) b * t, d = c.dModel(), he = c.headsWidth(), m = c.dMlp(), v = c.dVocab();
        double perLayer = 2 * n * d * 3 * he + 2 * n * he * d + 2 * 2 * b * c.nHeads() * (double) t * t * c.dHead()
                + (c.attnOnly() ? 0 : 2 * 2 * n * d * m);
        return c.nLayers() * perLayer + 2 * n * d * v;
    }

    /** Training step FLOPs: forward plus backward, which costs twice the forward. */
    public static double trainFlops(TransformerConfig c, int b, int t) {
        return 3 * forwardFlops(c, b, t);
    }

    /**
     * Runs the benchmark.
     *
     * @param threads threads of the model (see {@link Transformer#Transformer(Parameters, int)})
     * @param seconds how long to time each of training and evaluation (at least 5 steps each),
     *                after a warm-up of at least as long that goes on while the just-in-time
     *                compiler is still compiling or the rate still improving (see {@link #warmUp})
     * @param seed    seed of the parameters and of the batch
     */
    public static Result run(Preset preset, int threads, double seconds, long seed) {
        return run(preset, threads, seconds, seed, Precision.F64);
    }

    /**
     * As {@link #run(Preset, int, double, long)}, computing in {@code precision} (in float32 the
     * parameters are rounded after every AdamW step, as {@code train} does).
     */
    public static Result run(Preset preset, int threads, double seconds, long seed, Precision precision) {
        TransformerConfig config = preset.config();
        SplittableRandom rng = new SplittableRandom(seed);
        Parameters params = Parameters.init(config, rng);
        Parameters grads = new Parameters(config);
        Transformer model = new Transformer(params, threads, precision);
        AdamW opt = new AdamW(new AdamW.Settings(1e-3, 0.9, 0.98, 1e-8, 0.1));
        int b = preset.batch(), t = preset.nCtx(), n = b * t;
        int[] tokens = new int[n], targets = new int[n];
        byte[] mask = new byte[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = rng.nextInt(VOCAB);
            targets[i] = rng.nextInt(VOCAB);
            mask[i] = 1;
        }
        Batch batch = new Batch(b, t, tokens, targets, mask);
        long nanos = (long) (seconds * 1e9);

        warmUp(() -> timeSteps(model, batch, grads, opt, WINDOW, 1), nanos);
        long before = allocatedBytes();
        long[] train = timeSteps(model, batch, grads, opt, nanos, 5);
        long allocated = allocatedBytes() - before;
        warmUp(() -> timeEvals(model, batch, WINDOW, 1), nanos);
        long[] eval = timeEvals(model, batch, nanos, 5);

        double stepsPerS = train[0] / (train[1] / 1e9);
        double evalsPerS = eval[0] / (eval[1] / 1e9);
        return new Result(stepsPerS, evalsPerS * n, stepsPerS * trainFlops(config, b, t) / 1e9,
                evalsPerS * forwardFlops(config, b, t) / 1e9, (double) allocated / train[0], precision.id());
    }

    /**
     * Runs 1-second windows of work until at least {@code nanos} passed, the just-in-time
     * compiler was idle for a whole window and the window was not 3% faster than every earlier
     * one; at most 10 times {@code nanos}, and between 10 and 60 seconds.
     */
    private static void warmUp(java.util.function.Supplier<long[]> window, long nanos) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean watchJit = jit != null && jit.isCompilationTimeMonitoringSupported();
        long limit = Math.min(60_000_000_000L, Math.max(10_000_000_000L, 10 * nanos)), t0 = System.nanoTime();
        long jitTime = watchJit ? jit.getTotalCompilationTime() : 0;
        double best = 0;
        while (true) {
            long[] w = window.get();
            double rate = w[0] / (double) w[1];
            long elapsed = System.nanoTime() - t0;
            long nowJit = watchJit ? jit.getTotalCompilationTime() : 0;
            boolean jitIdle = nowJit == jitTime;
            jitTime = nowJit;
            if (elapsed >= limit || (elapsed >= nanos && jitIdle && rate < 1.03 * best)) {
                return;
            }
            best = Math.max(best, rate);
        }
    }

    /** @return {steps, elapsed nanoseconds} */
    private static long[] timeSteps(Transformer model, Batch batch, Parameters grads, AdamW opt, long nanos,
                                    int minSteps) {
        long t0 = System.nanoTime(), steps = 0, now;
        do {
            model.lossAndGradients(batch, grads);
            opt.step(model.params(), grads, 1e-3);
            model.precision().round(model.params());
            steps++;
            now = System.nanoTime();
        } while (steps < minSteps || now - t0 < nanos);
        return new long[] {steps, now - t0};
    }

    /** @return {evaluations, elapsed nanoseconds} */
    private static long[] timeEvals(Transformer model, Batch batch, long nanos, int minEvals) {
        long t0 = System.nanoTime(), evals = 0, now;
        double sink = 0;
        do {
            sink += model.loss(batch);
            evals++;
            now = System.nanoTime();
        } while (evals < minEvals || now - t0 < nanos);
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("evaluation loss is NaN");
        }
        return new long[] {evals, now - t0};
    }

    /**
     * @return bytes allocated so far by all live threads (HotSpot's per-thread counters), or 0
     *     where the JVM does not provide them
     */
    public static long allocatedBytes() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean hs) || !hs.isThreadAllocatedMemorySupported()) {
            return 0;
        }
        long sum = 0;
        for (long b : hs.getThreadAllocatedBytes(hs.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    /** @return the result as {@code key=value} lines, numbers in a fixed locale */
    public static String format(Preset p, int threads, Result r) {
        return String.format(Locale.ROOT,
                "config=%s d_model=%d n_layers=%d n_heads=%d n_ctx=%d batch=%d threads=%d dtype=%s%nkernels=%s%n"
                        + "steps_per_s=%.2f%neval_tokens_per_s=%.0f%ntrain_gflop_per_s=%.2f%neval_gflop_per_s=%.2f%n"
                        + "alloc_bytes_per_step=%.0f%n",
                p.name(), p.dModel(), p.layers(), p.heads(), p.nCtx(), p.batch(), threads, r.dtype(), org.attnlab.engine.compute.Simd.describe(),
                r.stepsPerSecond(), r.evalTokensPerSecond(), r.trainGflops(), r.evalGflops(),
                r.allocatedBytesPerStep());
    }
}
