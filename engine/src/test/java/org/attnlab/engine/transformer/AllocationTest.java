package org.attnlab.engine.transformer;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.attnlab.engine.attention.AttentionKernels;
import org.attnlab.engine.compute.Precision;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.optim.AdamW;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A steady-state training step (forward, loss, backward, AdamW) allocates (near) nothing: its
 * buffers are allocated on the first steps and reused. Measured with HotSpot's per-thread
 * allocation counters on the calling thread and on the engine's worker threads, over 1,000 steps
 * after a warm-up; for softmax attention and for linear attention with one block shared by the
 * layers.
 */
class AllocationTest {
    private static final int WARMUP = 200, STEPS = 1000;
    private static final double MAX_BYTES_PER_STEP = 1024;

    static Stream<Arguments> cases() {
        TransformerConfig softmax = TransformerConfig.builder(16, 8, 16, 2, 2).build();
        TransformerConfig linearShared = TransformerConfig.builder(16, 8, 16, 2, 3).attentionType(AttentionKernels.LINEAR)
                .weightSharing(true).build();
        return Stream.of(Precision.values()).flatMap(p -> Stream.of(
                Arguments.of("softmax " + p.id(), softmax, 1, p), Arguments.of("softmax " + p.id(), softmax, 2, p),
                Arguments.of("linear, shared " + p.id(), linearShared, 1, p),
                Arguments.of("linear, shared " + p.id(), linearShared, 2, p)));
    }

    @ParameterizedTest(name = "{0}, threads = {2}")
    @MethodSource("cases")
    void steadyStateTrainingStepAllocatesAlmostNothing(String label, TransformerConfig config, int threads,
                                                       Precision precision) {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counters");
        com.sun.management.ThreadMXBean hs = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(hs.isThreadAllocatedMemorySupported(), "needs HotSpot's allocation counters");
        hs.setThreadAllocatedMemoryEnabled(true);

        SplittableRandom rng = new SplittableRandom(7);
        Parameters params = Parameters.init(config, rng);
        Parameters grads = new Parameters(config);
        Transformer model = new Transformer(params, threads, precision);
        AdamW opt = new AdamW(new AdamW.Settings(1e-3, 0.9, 0.98, 1e-8, 0.1));
        int b = 6, t = 8, n = b * t;
        int[] tokens = new int[n], targets = new int[n];
        byte[] mask = new byte[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = rng.nextInt(16);
            targets[i] = rng.nextInt(16);
            mask[i] = 1;
        }
        Batch batch = new Batch(b, t, tokens, targets, mask);

        // warm up until the just-in-time compiler is done: interpreted Vector API code boxes every
        // vector, so the first windows allocate megabytes; stop once a window of 100 steps is
        // within the bound (at most 20 s)
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (int w = 0; ; w++) {
            long[] warmIds = engineThreadIds();
            long a0 = sum(hs.getThreadAllocatedBytes(warmIds));
            for (int s = 0; s < 100; s++) {
                model.lossAndGradients(batch, grads);
                opt.step(params, grads, 1e-3);
                precision.round(params);
            }
            long a1 = sum(hs.getThreadAllocatedBytes(warmIds));
            if (w * 100 >= WARMUP && (a1 - a0) / 100.0 < MAX_BYTES_PER_STEP / 4 || System.nanoTime() > deadline) {
                break;
            }
        }
        long[] ids = engineThreadIds();
        long before = sum(hs.getThreadAllocatedBytes(ids));
        double sink = 0;
        for (int s = 0; s < STEPS; s++) {
            sink += model.lossAndGradients(batch, grads);
            opt.step(params, grads, 1e-3);
            precision.round(params);
        }
        long after = sum(hs.getThreadAllocatedBytes(ids));
        double perStep = (double) (after - before) / STEPS;
        System.out.printf("allocation: %s threads=%d %.1f bytes per training step over %d steps (%d threads measured)%n",
                label, threads, perStep, STEPS, ids.length);
        assertTrue(Double.isFinite(sink), "loss must stay finite");
        assertTrue(perStep < MAX_BYTES_PER_STEP,
                "a steady-state training step allocated " + perStep + " bytes (bound " + MAX_BYTES_PER_STEP + ")");
    }

    /** The calling thread and the engine's worker threads. */
    private static long[] engineThreadIds() {
        List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().getId());
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith("attnlab-worker-")) {
                ids.add(th.getId());
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    private static long sum(long[] xs) {
        long s = 0;
        for (long x : xs) {
            s += x;
        }
        return s;
    }
}
