package org.attnlab.engine.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.attnlab.engine.attention.AttentionKernels;
import org.attnlab.engine.compute.Precision;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.optim.AdamW;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A training step splits its batch into fixed chunks whose gradients have their own buffers and
 * are added in chunk order, whichever thread ran them: the same seed must give bit-identical
 * losses and parameters run after run, and for every thread count up to
 * {@link Transformer#MIN_CHUNKS} (so in particular 2 threads match 1 exactly, well within
 * the 1e-12 relative asked of them). Also with weight sharing, whose layers' gradients add up in
 * each chunk's one buffer, and under linear attention.
 */
class ThreadDeterminismTest {
    private static final int STEPS = 8, B = 6;
    private static final TransformerConfig CONFIG = TransformerConfig.builder(11, 9, 16, 4, 2).build();
    /** Linear attention, one block shared by 3 layers. */
    private static final TransformerConfig SHARED = TransformerConfig.builder(11, 9, 16, 4, 3)
            .attentionType(AttentionKernels.LINEAR).weightSharing(true).build();

    /** What a run produced. */
    private record Run(double[] losses, long[] params, long[] firstGrads) {
    }

    /** {@code STEPS} AdamW steps on seeded random batches (some positions unscored). */
    private static Run train(TransformerConfig config, int threads, Precision precision) {
        SplittableRandom rng = new SplittableRandom(42);
        Parameters params = Parameters.init(config, rng);
        Parameters grads = new Parameters(config);
        long[] firstGrads = null;
        Transformer model = new Transformer(params, threads, precision);
        AdamW opt = new AdamW(AdamW.Settings.golden());
        double[] losses = new double[STEPS];
        for (int s = 0; s < STEPS; s++) {
            losses[s] = model.lossAndGradients(randomBatch(rng), grads);
            if (s == 0) {
                firstGrads = bits(grads);
            }
            opt.step(params, grads);
            precision.round(params);
        }
        return new Run(losses, bits(params), firstGrads);
    }

    private static Batch randomBatch(SplittableRandom rng) {
        int t = CONFIG.nCtx(), n = B * t;
        int[] tokens = new int[n], targets = new int[n];
        byte[] mask = new byte[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = rng.nextInt(CONFIG.dVocab());
            targets[i] = rng.nextInt(CONFIG.dVocab());
            mask[i] = (byte) (rng.nextInt(4) == 0 ? 0 : 1);
        }
        return new Batch(B, t, tokens, targets, mask);
    }

    private static long[] bits(Parameters p) {
        long[] out = new long[(int) p.count()];
        int k = 0;
        for (Param x : p.all()) {
            for (int i = 0; i < x.size(); i++) {
                out[k++] = Double.doubleToRawLongBits(x.value().data[i]);
            }
        }
        return out;
    }

    private static void assertSame(Run a, Run b, String what) {
        for (int s = 0; s < STEPS; s++) {
            assertEquals(Double.doubleToRawLongBits(a.losses()[s]), Double.doubleToRawLongBits(b.losses()[s]),
                    what + ": loss of step " + (s + 1));
        }
        assertArrayEquals(a.firstGrads(), b.firstGrads(), what + ": gradients of step 1");
        assertArrayEquals(a.params(), b.params(), what + ": parameters after " + STEPS + " steps");
    }

    static Stream<Arguments> configsAndThreads(int... threads) {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Precision p : Precision.values()) {
            for (TransformerConfig c : new TransformerConfig[] {CONFIG, SHARED}) {
                for (int n : threads) {
                    b.add(Arguments.of((c.weightSharing() ? "linear, shared " : "softmax ") + p.id(), c, n, p));
                }
            }
        }
        return b.build();
    }

    static Stream<Arguments> oneToThree() {
        return configsAndThreads(1, 2, 3);
    }

    static Stream<Arguments> twoToFour() {
        return configsAndThreads(2, 3, 4);
    }

    @ParameterizedTest(name = "{0}, threads = {2}")
    @MethodSource("oneToThree")
    void sameSeedAndThreadsGiveBitIdenticalTraining(String label, TransformerConfig c, int threads, Precision p) {
        assertSame(train(c, threads, p), train(c, threads, p), label + ", " + threads + " threads, two runs");
    }

    @ParameterizedTest(name = "{0}, threads = {2}")
    @MethodSource("twoToFour")
    void moreThreadsGiveBitIdenticalTrainingToOne(String label, TransformerConfig c, int threads, Precision p) {
        assertSame(train(c, 1, p), train(c, threads, p), label + ", " + threads + " threads against 1");
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void splitForwardGivesTheLogitsOfTheWholeBatch(Precision p) {
        Parameters params = Parameters.init(CONFIG, new SplittableRandom(3));
        Batch batch = randomBatch(new SplittableRandom(4));
        double[] split = new Transformer(params, 2, p).forward(batch.tokens(), B, CONFIG.nCtx(), null).data.clone();
        double[] whole = new Transformer(params, 1, p).runWithCache(batch.tokens(), B, CONFIG.nCtx()).get("logits").data();
        assertArrayEquals(whole, java.util.Arrays.copyOf(split, whole.length), 0.0, "logits");
    }
}
