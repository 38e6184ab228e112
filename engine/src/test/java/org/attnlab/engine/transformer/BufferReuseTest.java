package org.attnlab.engine.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.junit.jupiter.api.Test;

/**
 * Models that share buffers must not share results: {@link Transformer#forThread} hands one
 * thread's activation and packing buffers from model to model, and a forward pass without hooks
 * runs a large batch in chunks of at most {@link Transformer#FORWARD_CHUNK_TOKENS} tokens. Both
 * must give bit-for-bit the logits of a fresh model over the whole batch, and reusing the buffers
 * must actually spare the allocation (what the window's analyses rely on).
 */
class BufferReuseTest {
    private static final TransformerConfig CONFIG = TransformerConfig.builder(13, 30, 32, 4, 3).build();

    private static int[] tokens(int b, SplittableRandom rng) {
        int[] t = new int[b * CONFIG.nCtx()];
        for (int i = 0; i < t.length; i++) {
            t[i] = rng.nextInt(CONFIG.dVocab());
        }
        return t;
    }

    /** Logits of a fresh single-threaded model whose pass runs whole (a hook forces that). */
    private static double[] wholeBatchLogits(Parameters p, int[] toks, int b) {
        ActivationCache cache = new Transformer(p).runWithCache(toks, b, CONFIG.nCtx());
        return cache.get("logits").data().clone();
    }

    @Test
    void forThreadModelsOverDifferentParametersGiveFreshModelsResults() {
        SplittableRandom rng = new SplittableRandom(5);
        Parameters a = Parameters.init(CONFIG, rng), c = Parameters.init(CONFIG, rng);
        int[] big = tokens(40, rng), small = tokens(3, rng);
        // alternate parameters and batch sizes so stale activations or packed weights would show
        double[] a1 = Transformer.forThread(a).forward(big, 40, 30, null).data.clone();
        double[] c1 = Transformer.forThread(c).forward(small, 3, 30, null).data.clone();
        double[] a2 = Transformer.forThread(a).forward(small, 3, 30, null).data.clone();
        double[] c2 = Transformer.forThread(c).forward(big, 40, 30, null).data.clone();
        int v = CONFIG.dVocab();
        assertArrayEquals(wholeBatchLogits(a, big, 40), Arrays.copyOf(a1, 40 * 30 * v));
        assertArrayEquals(wholeBatchLogits(c, small, 3), Arrays.copyOf(c1, 3 * 30 * v));
        assertArrayEquals(wholeBatchLogits(a, small, 3), Arrays.copyOf(a2, 3 * 30 * v));
        assertArrayEquals(wholeBatchLogits(c, big, 40), Arrays.copyOf(c2, 40 * 30 * v));
    }

    @Test
    void chunkedForwardMatchesTheWholeBatchBitForBit() {
        SplittableRandom rng = new SplittableRandom(9);
        Parameters p = Parameters.init(CONFIG, rng);
        int b = 77;                                  // 2310 tokens: 5+ chunks, the last one short
        int[] toks = tokens(b, rng);
        double[] whole = wholeBatchLogits(p, toks, b);
        for (int threads = 1; threads <= 2; threads++) {
            double[] chunked = new Transformer(p, threads).forward(toks, b, 30, null).data;
            assertArrayEquals(whole, Arrays.copyOf(chunked, whole.length), "threads " + threads);
        }
    }

    @Test
    void forThreadAllocatesFarLessThanAFreshModelPerPass() {
        SplittableRandom rng = new SplittableRandom(11);
        Parameters p = Parameters.init(CONFIG, rng);
        int[] toks = tokens(16, rng);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 3; i++) {                // warm up both paths
            Transformer.forThread(p).forward(toks, 16, 30, null);
            new Transformer(p).forward(toks, 16, 30, null);
        }
        long before = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < 10; i++) {
            Transformer.forThread(p).forward(toks, 16, 30, null);
        }
        long reused = mx.getThreadAllocatedBytes(id) - before;
        before = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < 10; i++) {
            new Transformer(p).forward(toks, 16, 30, null);
        }
        long fresh = mx.getThreadAllocatedBytes(id) - before;
        assertTrue(reused * 10 < fresh, "forThread allocated " + reused + " bytes in 10 passes, fresh models " + fresh);
    }

    /**
     * Regression (issue 13): linear attention's row sums were resized only when the pattern grew,
     * so a pass with more, shorter sequences after one with fewer, longer ones (same pattern size,
     * more query rows) overran them. Every buffer now follows its own shape.
     */
    @Test
    void linearAttentionBuffersFollowEachPassesShape() {
        TransformerConfig c = TransformerConfig.builder(13, 8, 16, 2, 2)
                .attentionType(org.attnlab.engine.attention.AttentionKernels.LINEAR).build();
        SplittableRandom rng = new SplittableRandom(17);
        Parameters p = Parameters.init(c, rng);
        Transformer reused = new Transformer(p);
        int[][] shapes = {{1, 8}, {4, 4}, {2, 8}, {8, 2}, {1, 1}};  // (1, 8) then (4, 4): same B*H*T*T, twice the rows
        for (int[] s : shapes) {
            int b = s[0], t = s[1];
            int[] toks = new int[b * t];
            for (int i = 0; i < toks.length; i++) {
                toks[i] = rng.nextInt(c.dVocab());
            }
            // a pass with a hook runs the whole batch on one shard (a pass without one runs in chunks)
            double[] got = reused.runWithCache(toks, b, t).get("logits").data();
            assertArrayEquals(new Transformer(p).runWithCache(toks, b, t).get("logits").data(), got, "B " + b + ", T " + t);
            int[] targets = toks.clone();
            byte[] mask = new byte[toks.length];
            Arrays.fill(mask, (byte) 1);
            Batch batch = new Batch(b, t, toks, targets, mask);
            double loss = reused.lossAndGradients(batch, new Parameters(c));
            assertEquals(new Transformer(p).lossAndGradients(batch, new Parameters(c)), loss, 0.0);
        }
    }
}
