package org.attnlab.tools.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.transformer.Transformer;
import org.attnlab.tools.bench.TrainingBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full training step through the engine's public API, as the {@code bench} tool and the
 * PyTorch peer time it: {@link Transformer#lossAndGradients} (forward, masked cross-entropy over
 * every position, backward) and one {@link AdamW#step}, on a fixed batch of random tokens and
 * targets. Throughput in steps per second, comparable to {@code bench}'s {@code steps_per_s}.
 *
 * <p>Configs (their shapes from {@link TrainingBenchmark#preset}): vocabulary 32, d_mlp = 4
 * d_model, causal, pre-LN, learned positions, gelu_new;
 * {@code tiny} d_model 32, 1 layer, 2 heads, T = n_ctx 16, B 16;
 * {@code classroom-S} 64, 2, 4, 32, 32; {@code medium} 128, 4, 8, 64, 32.
 *
 * <p>Run: {@code java -jar tools/target/attnlab-tools.jar jmh TrainingStepBenchmark}
 * ({@code -p config=tiny -p threads=2} to choose).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrainingStepBenchmark {

    /** The bench config: {@code tiny}, {@code classroom-S} or {@code medium}. */
    @Param({"tiny", "classroom-S", "medium"})
    public String config;

    /** Threads of the model ({@link Transformer#Transformer(Parameters, int)}). */
    @Param({"1", "2"})
    public int threads;

    /** Seed of the parameters and of the batch. */
    @Param({"1"})
    public long seed;

    private Transformer model;
    private Parameters grads;
    private AdamW optimizer;
    private Batch batch;

    /** Builds the model, its gradient buffers, the optimizer and the batch (B, T) of random tokens. */
    @Setup
    public void setUp() {
        TrainingBenchmark.Preset preset = TrainingBenchmark.preset(config);
        TransformerConfig c = preset.config();
        SplittableRandom rng = new SplittableRandom(seed);
        model = new Transformer(Parameters.init(c, rng), threads);
        grads = new Parameters(c);
        optimizer = new AdamW(new AdamW.Settings(1e-3, 0.9, 0.98, 1e-8, 0.1));
        int b = preset.batch(), t = preset.nCtx(), n = b * t;
        int[] tokens = new int[n], targets = new int[n];   // (B*T,)
        byte[] mask = new byte[n];                         // (B*T,) every position scored
        for (int i = 0; i < n; i++) {
            tokens[i] = rng.nextInt(c.dVocab());
            targets[i] = rng.nextInt(c.dVocab());
            mask[i] = 1;
        }
        batch = new Batch(b, t, tokens, targets, mask);
    }

    /** @return the loss before the step (returned so the JIT cannot drop the work) */
    @Benchmark
    public double trainingStep() {
        double loss = model.lossAndGradients(batch, grads);
        optimizer.step(model.params(), grads);
        return loss;
    }
}
