package org.attnlab.engine.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.attnlab.engine.attention.AttentionKernel;
import org.attnlab.engine.attention.AttentionKernels;
import org.attnlab.engine.attention.KernelCases;
import org.attnlab.engine.hooks.ActivationHook;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig.ActFn;
import org.attnlab.engine.model.TransformerConfig.AttentionDir;
import org.attnlab.engine.model.TransformerConfig.LnPlacement;
import org.attnlab.engine.model.TransformerConfig.Normalization;
import org.attnlab.engine.model.TransformerConfig.PositionalEmbedding;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.transformer.CrossEntropy;
import org.attnlab.engine.transformer.Transformer;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every hand-written backward pass against finite differences of its forward pass, in double
 * precision: first each layer kind alone (objective {@code L = sum(out * R)} for a fixed random
 * {@code R}), on random small shapes from several seeds, then the whole transformer (masked
 * cross-entropy) for every combination of LayerNorm placement, positional embedding, attention
 * direction and attention type, with gelu_new/relu and attn_only varied across them.
 *
 * <p>Tolerance: {@code |num - ana| / max(1e-6, |num| + |ana|) < 1e-5} on every checked entry.
 */
class FiniteDifferenceGradientTest {
    /** Step of the fourth-order central difference (see {@link GradCheck}). */
    static final double H = 1e-3;
    /** Entries sampled per parameter in the whole-model checks. */
    static final int SAMPLES = 30;

    /** Per layer kind: checks, entries checked, entries skipped, worst error, worst error where |g| > 1e-4. */
    private static final Map<String, double[]> STATS = new TreeMap<>();
    private static final Map<String, String> WORST_AT = new TreeMap<>();

    private static void finish(GradCheck gc) {
        finish(gc, 1);
    }

    /** @param maxSkipRatio how many entries may be skipped at kinks per entry checked */
    private static synchronized void finish(GradCheck gc, double maxSkipRatio) {
        String kind = gc.summary().trim().split(" ")[0];
        double[] s = STATS.computeIfAbsent(kind, k -> new double[5]);
        s[0]++;
        s[1] += gc.checked();
        s[2] += gc.skipped();
        if (gc.worst() >= s[3]) {
            s[3] = gc.worst();
            WORST_AT.put(kind, gc.summary().trim());
        }
        s[4] = Math.max(s[4], gc.worstSignificant());
        if (!gc.failures().isEmpty()) {
            List<String> f = gc.failures();
            fail(f.size() + " gradient entries disagree with finite differences, e.g.:\n"
                    + String.join("\n", f.subList(0, Math.min(20, f.size()))));
        }
        assertTrue(gc.checked() > 0, "nothing was checked: " + gc.summary());
        assertTrue(gc.skipped() <= maxSkipRatio * gc.checked(), "too many entries skipped at kinks: " + gc.summary());
    }

    @AfterAll
    static void printSummary() {
        for (Map.Entry<String, double[]> e : STATS.entrySet()) {
            double[] s = e.getValue();
            System.out.printf("FD %-12s %4d checks %6d entries (%d skipped at kinks): worst rel err %.2e,"
                    + " worst where |num|+|ana| > 1e-4: %.2e%n    worst case: %s%n", e.getKey(), (int) s[0],
                    (int) s[1], (int) s[2], s[3], s[4], WORST_AT.get(e.getKey()));
        }
    }

    // ------------------------------------------------------------------ Linear

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 17, 2024})
    void linear(long seed) {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(6), in = 1 + rnd.nextInt(7), out = 1 + rnd.nextInt(7);
        DMatrixRMaj x = GradCheck.randn(rnd, n, in, 1), w = GradCheck.randn(rnd, in, out, 1);
        DMatrixRMaj b = GradCheck.randn(rnd, 1, out, 1), r = GradCheck.randn(rnd, n, out, 1);
        DMatrixRMaj y = new DMatrixRMaj(n, out);

        // forward against the definition
        Linear.forward(x, w, b, y);
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double s = b.get(0, o);
                for (int k = 0; k < in; k++) {
                    s += x.get(i, k) * w.get(k, o);
                }
                assertEquals(s, y.get(i, o), 1e-12);
            }
        }

        // backward accumulates: start from random gradients and subtract them afterwards
        DMatrixRMaj dx0 = GradCheck.randn(rnd, n, in, 1), dw0 = GradCheck.randn(rnd, in, out, 1);
        DMatrixRMaj db0 = GradCheck.randn(rnd, 1, out, 1);
        DMatrixRMaj dx = dx0.copy(), dw = dw0.copy(), db = db0.copy();
        Linear.backward(x, w, r, dx, dw, db);
        double[] gx = minus(dx, dx0), gw = minus(dw, dw0), gb = minus(db, db0);

        // dx = null skips the input gradient but still gives dW and db
        DMatrixRMaj dw2 = new DMatrixRMaj(in, out), db2 = new DMatrixRMaj(1, out);
        Linear.backward(x, w, r, null, dw2, db2);
        assertArrayEquals(gw, dw2.data, 1e-12, "dW with dx = null");
        assertArrayEquals(gb, db2.data, 1e-12, "db with dx = null");

        DoubleSupplier f = () -> {
            Linear.forward(x, w, b, y);
            return GradCheck.dot(y, r);
        };
        GradCheck gc = new GradCheck("Linear seed " + seed + " " + n + "x" + in + "->" + out, H);
        gc.checkAll("x", x.data, n * in, gx, f, null);
        gc.checkAll("W", w.data, in * out, gw, f, null);
        gc.checkAll("b", b.data, out, gb, f, null);
        finish(gc);
    }

    // ------------------------------------------------------------------ LayerNorm

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 17, 2024})
    void layerNorm(long seed) {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(6), d = 2 + rnd.nextInt(7);
        double eps = 1e-5;
        DMatrixRMaj x = GradCheck.randn(rnd, n, d, 1 + rnd.nextDouble() * 2);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] += 0.5 * (i % d == 0 ? 1 : -1) + 0.3;   // non-zero means
        }
        DMatrixRMaj w = GradCheck.randn(rnd, 1, d, 0.5), b = GradCheck.randn(rnd, 1, d, 0.5);
        for (int i = 0; i < d; i++) {
            w.data[i] += 1;
        }
        DMatrixRMaj r = GradCheck.randn(rnd, n, d, 1), y = new DMatrixRMaj(n, d);
        LayerNorm ln = new LayerNorm(eps);

        // forward against the definition (biased variance, eps inside the square root)
        ln.forward(x, w, b, y);
        for (int i = 0; i < n; i++) {
            double mean = 0, var = 0;
            for (int c = 0; c < d; c++) {
                mean += x.get(i, c) / d;
            }
            for (int c = 0; c < d; c++) {
                var += (x.get(i, c) - mean) * (x.get(i, c) - mean) / d;
            }
            for (int c = 0; c < d; c++) {
                double expect = (x.get(i, c) - mean) / Math.sqrt(var + eps) * w.data[c] + b.data[c];
                assertEquals(expect, y.get(i, c), 1e-12, "LayerNorm forward [" + i + "," + c + "]");
            }
        }

        DMatrixRMaj dx0 = GradCheck.randn(rnd, n, d, 1), dw0 = GradCheck.randn(rnd, 1, d, 1);
        DMatrixRMaj db0 = GradCheck.randn(rnd, 1, d, 1);
        DMatrixRMaj dx = dx0.copy(), dw = dw0.copy(), db = db0.copy();
        ln.backward(r, w, dx, dw, db);
        double[] gx = minus(dx, dx0), gw = minus(dw, dw0), gb = minus(db, db0);

        DoubleSupplier f = () -> {
            ln.forward(x, w, b, y);
            return GradCheck.dot(y, r);
        };
        GradCheck gc = new GradCheck("LayerNorm seed " + seed + " " + n + "x" + d, H);
        gc.checkAll("x", x.data, n * d, gx, f, null);
        gc.checkAll("w", w.data, d, gw, f, null);
        gc.checkAll("b", b.data, d, gb, f, null);
        finish(gc);
    }

    // ------------------------------------------------------------------ MLP

    static Stream<Arguments> mlpCases() {
        List<Arguments> a = new ArrayList<>();
        for (ActFn act : ActFn.values()) {
            for (long seed : new long[] {1, 2, 3, 17, 2024}) {
                a.add(Arguments.of(act, seed));
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("mlpCases")
    void mlp(ActFn act, long seed) {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(5), d = 1 + rnd.nextInt(6), m = 1 + rnd.nextInt(9);
        DMatrixRMaj x = GradCheck.randn(rnd, n, d, 1), wIn = GradCheck.randn(rnd, d, m, 1);
        DMatrixRMaj bIn = GradCheck.randn(rnd, 1, m, 1), wOut = GradCheck.randn(rnd, m, d, 1);
        DMatrixRMaj bOut = GradCheck.randn(rnd, 1, d, 1), r = GradCheck.randn(rnd, n, d, 1);
        DMatrixRMaj y = new DMatrixRMaj(n, d);
        Mlp mlp = new Mlp(act);

        mlp.forward(x, wIn, bIn, wOut, bOut, y, HookSite.NONE);
        for (int i = 0; i < n * m; i++) {
            double p = mlp.pre.data[i];
            double expect = act == ActFn.RELU ? Math.max(0, p)
                    : 0.5 * p * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (p + 0.044715 * p * p * p)));
            assertEquals(expect, mlp.post.data[i], 1e-12, act + " at " + i);
        }

        DMatrixRMaj dx0 = GradCheck.randn(rnd, n, d, 1);
        DMatrixRMaj dx = dx0.copy();
        DMatrixRMaj dWIn = new DMatrixRMaj(d, m), dBIn = new DMatrixRMaj(1, m);
        DMatrixRMaj dWOut = new DMatrixRMaj(m, d), dBOut = new DMatrixRMaj(1, d);
        mlp.backward(x, wIn, wOut, r, dx, dWIn, dBIn, dWOut, dBOut);
        double[] gx = minus(dx, dx0);

        DoubleSupplier f = () -> {
            mlp.forward(x, wIn, bIn, wOut, bOut, y, HookSite.NONE);
            return GradCheck.dot(y, r);
        };
        // relu is not differentiable where a pre-activation crosses 0: skip those entries
        Supplier<?> regime = act == ActFn.RELU ? () -> GradCheck.positive(mlp.pre.data, n * m) : null;
        GradCheck gc = new GradCheck("Mlp " + act.json() + " seed " + seed + " " + n + "x" + d + " M=" + m, H);
        gc.checkAll("x", x.data, n * d, gx, f, regime);
        gc.checkAll("W_in", wIn.data, d * m, GradCheck.copyOf(dWIn), f, regime);
        gc.checkAll("b_in", bIn.data, m, GradCheck.copyOf(dBIn), f, regime);
        gc.checkAll("W_out", wOut.data, m * d, GradCheck.copyOf(dWOut), f, regime);
        gc.checkAll("b_out", bOut.data, d, GradCheck.copyOf(dBOut), f, regime);
        finish(gc);
    }

    // ------------------------------------------------------------------ Attention

    /** Attention variants: positional type, direction, attention type. */
    static Stream<Arguments> attentionCases() {
        Object[][] variants = {
            {"softmax causal", PositionalEmbedding.NONE, AttentionDir.CAUSAL, AttentionKernels.SOFTMAX},
            {"softmax bidirectional", PositionalEmbedding.NONE, AttentionDir.BIDIRECTIONAL, AttentionKernels.SOFTMAX},
            {"rotary softmax causal", PositionalEmbedding.ROTARY, AttentionDir.CAUSAL, AttentionKernels.SOFTMAX},
            {"rotary softmax bidirectional", PositionalEmbedding.ROTARY, AttentionDir.BIDIRECTIONAL,
                AttentionKernels.SOFTMAX},
            {"rotary linear causal", PositionalEmbedding.ROTARY, AttentionDir.CAUSAL, AttentionKernels.LINEAR},
            {"alibi causal", PositionalEmbedding.ALIBI, AttentionDir.CAUSAL, AttentionKernels.SOFTMAX},
            {"alibi bidirectional", PositionalEmbedding.ALIBI, AttentionDir.BIDIRECTIONAL, AttentionKernels.SOFTMAX},
            {"linear causal", PositionalEmbedding.NONE, AttentionDir.CAUSAL, AttentionKernels.LINEAR},
            {"linear bidirectional", PositionalEmbedding.NONE, AttentionDir.BIDIRECTIONAL, AttentionKernels.LINEAR},
        };
        List<Arguments> a = new ArrayList<>();
        for (Object[] v : variants) {
            for (long seed : new long[] {1, 2, 3, 17}) {
                a.add(Arguments.of(v[0], v[1], v[2], v[3], seed));
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} seed {4}")
    @MethodSource("attentionCases")
    void attention(String label, PositionalEmbedding pe, AttentionDir dir, AttentionKernel type, long seed) {
        Random rnd = new Random(seed * 31 + label.hashCode());
        int b = 1 + rnd.nextInt(2), t = 2 + rnd.nextInt(4), d = 2 + rnd.nextInt(5), h = 1 + rnd.nextInt(3);
        int e = 2 * (1 + rnd.nextInt(2)) + (pe == PositionalEmbedding.ROTARY ? 0 : rnd.nextInt(2));
        TransformerConfig c = TransformerConfig.builder(5, t + rnd.nextInt(2), d, h, 1).dHead(e)
                .positionalEmbeddingType(pe).attentionDir(dir).attentionType(type).build();
        Parameters p = Parameters.init(c, rnd);
        String pre = "blocks.0.";
        String[] names = {"attn.W_Q", "attn.b_Q", "attn.W_K", "attn.b_K", "attn.W_V", "attn.b_V", "attn.W_O",
            "attn.b_O"};
        for (String nm : names) {
            GradCheck.fillRandn(rnd, p.m(pre + nm), nm.contains("W_") ? 0.7 : 0.3);
        }
        int n = b * t;
        DMatrixRMaj x = GradCheck.randn(rnd, n, d, 1), r = GradCheck.randn(rnd, n, d, 1);
        DMatrixRMaj y = new DMatrixRMaj(n, d);
        // the kernel's own compute and weights, as a model of this configuration builds them
        AttentionFactory kernel = AttentionKernels.of(c).fastPath(c);
        QkvAttentionCompute att = (QkvAttentionCompute) kernel.compute(0, new Positions(c), new MatMul());
        AttentionWeights w = kernel.weights(new ParamView(p), 0);

        w.pack(true);
        att.forward(x, b, t, w, y, HookSite.NONE);
        Parameters g = new Parameters(c);
        for (String nm : names) {
            GradCheck.fillRandn(rnd, g.m(pre + nm), 1);   // backward must accumulate
        }
        Parameters g0 = g.copy();
        DMatrixRMaj dx0 = GradCheck.randn(rnd, n, d, 1);
        DMatrixRMaj dx = dx0.copy();
        att.backward(x, w, r, dx, kernel.weights(new ParamView(g), 0));
        double[] gx = minus(dx, dx0);

        DoubleSupplier f = () -> {
            w.pack(true);
            att.forward(x, b, t, w, y, HookSite.NONE);
            return GradCheck.dot(y, r);
        };
        int he = h * e;
        // phi = elu + 1 has a jump in its second derivative at 0: skip stencils that cross it
        Supplier<?> regime = type == AttentionKernels.LINEAR ? () -> {
            boolean[] s = new boolean[2 * n * he];
            for (int i = 0; i < n * he; i++) {
                s[i] = att.q.data[i] > 0;
                s[n * he + i] = att.k.data[i] > 0;
            }
            return s;
        } : null;
        GradCheck gc = new GradCheck("Attention " + label + " seed " + seed + " B" + b + " T" + t + " D" + d
                + " H" + h + " E" + e, H);
        gc.checkAll("a_in", x.data, n * d, gx, f, regime);
        for (String nm : names) {
            Param q = p.get(pre + nm);
            double[] ana = minus(g.m(pre + nm), g0.m(pre + nm));
            gc.checkAll(nm, q.value().data, q.size(), ana, f, regime);
        }
        finish(gc);
    }

    // ------------------------------------------------------------------ CrossEntropy

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 17, 2024})
    void crossEntropy(long seed) {
        Random rnd = new Random(seed);
        int bs = 1 + rnd.nextInt(3), t = 2 + rnd.nextInt(4), v = 2 + rnd.nextInt(6), n = bs * t;
        int[] targets = new int[n];
        byte[] mask = new byte[n];
        for (int i = 0; i < n; i++) {
            mask[i] = (byte) (i == 0 || rnd.nextInt(3) > 0 ? 1 : 0);
            // unscored positions: -1, or a real id that must be ignored
            targets[i] = mask[i] == 1 ? rnd.nextInt(v) : (rnd.nextBoolean() ? -1 : rnd.nextInt(v));
        }
        mask[n - 1] = 0;   // at least one unscored position
        targets[n - 1] = -1;
        Batch batch = new Batch(bs, t, new int[n], targets, mask);
        DMatrixRMaj logits = GradCheck.randn(rnd, n, v, 2);
        DMatrixRMaj dLogits = new DMatrixRMaj(1, 1);
        double loss = CrossEntropy.lossAndGradient(logits, batch, dLogits);
        assertEquals(loss, CrossEntropy.lossAndGradient(logits, batch, null), 0.0);

        // the definition: mean over scored positions of logsumexp - logit[target]
        double s = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (mask[i] == 0) {
                for (int j = 0; j < v; j++) {
                    assertEquals(0.0, dLogits.get(i, j), 0.0, "unscored row " + i + " must have zero gradient");
                }
                continue;
            }
            double z = 0;
            for (int j = 0; j < v; j++) {
                z += Math.exp(logits.get(i, j));
            }
            s += Math.log(z) - logits.get(i, targets[i]);
            count++;
        }
        assertEquals(s / count, loss, 1e-12);

        double[] ana = GradCheck.copyOf(dLogits);
        GradCheck gc = new GradCheck("CrossEntropy seed " + seed + " " + n + "x" + v, H);
        gc.checkAll("logits", logits.data, n * v, ana,
                () -> CrossEntropy.lossAndGradient(logits, batch, null), null);
        finish(gc);
    }

    // ------------------------------------------------------------------ whole transformer

    /**
     * Every combination of LayerNorm (pre, post, none), positional embedding (5 kinds),
     * direction and attention type (ALiBi has no linear form): 54 models. Each also gets one of
     * three MLP modes (gelu_new, relu, attn_only), chosen as (sum of the other factors' indices)
     * mod 3 so that every value of every factor meets every MLP mode.
     */
    static Stream<Arguments> transformerCases() {
        List<Arguments> a = new ArrayList<>();
        String[] lns = {"pre", "post", "none"};
        for (int li = 0; li < lns.length; li++) {
            for (PositionalEmbedding pe : PositionalEmbedding.values()) {
                for (AttentionDir dir : AttentionDir.values()) {
                    for (AttentionKernel type : AttentionKernels.all()) {
                        if (!KernelCases.accepts(type, pe, dir)) {
                            continue;
                        }
                        int mode = (li + pe.ordinal() + dir.ordinal() + AttentionKernels.all().indexOf(type)) % 3;
                        a.add(Arguments.of(lns[li], pe, dir, type, mode == 2, mode == 1 ? ActFn.RELU : ActFn.GELU_NEW));
                    }
                }
            }
        }
        return a.stream();
    }

    static TransformerConfig config(String ln, PositionalEmbedding pe, AttentionDir dir, AttentionKernel type,
                                    boolean attnOnly, ActFn act) {
        TransformerConfig.Builder bld = TransformerConfig.builder(7, 6, 8, 2, 2)
                .dHead(pe == PositionalEmbedding.ROTARY ? 4 : 3)   // H * E != D on purpose when allowed
                .dMlp(12).actFn(act).positionalEmbeddingType(pe).attentionDir(dir).attentionType(type)
                .attnOnly(attnOnly);
        switch (ln) {
            case "pre" -> bld.lnPlacement(LnPlacement.PRE);
            case "post" -> bld.lnPlacement(LnPlacement.POST);
            default -> bld.normalizationType(Normalization.NONE);
        }
        return bld.build();
    }

    /** Random parameters away from init's special values (LN scales 1, biases 0). */
    static Parameters randomParams(TransformerConfig c, Random rnd) {
        Parameters p = Parameters.init(c, rnd);
        for (Param q : p.all()) {
            double[] d = q.value().data;
            for (int i = 0; i < q.size(); i++) {
                d[i] += 0.2 * rnd.nextGaussian();
            }
        }
        return p;
    }

    /** B = 2, T = 5 with a partial loss mask (some positions unscored, target -1). */
    static Batch randomBatch(TransformerConfig c, Random rnd) {
        int b = 2, t = 5, n = b * t;
        int[] tokens = new int[n], targets = new int[n];
        byte[] mask = new byte[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = rnd.nextInt(c.dVocab());
            boolean scored = i % t != 0 && rnd.nextInt(4) > 0 || i == n - 1;
            mask[i] = (byte) (scored ? 1 : 0);
            targets[i] = scored ? rnd.nextInt(c.dVocab()) : -1;
        }
        return new Batch(b, t, tokens, targets, mask);
    }

    @ParameterizedTest(name = "ln={0} pos={1} {2} {3} attn_only={4} {5}")
    @MethodSource("transformerCases")
    void transformer(String ln, PositionalEmbedding pe, AttentionDir dir, AttentionKernel type, boolean attnOnly,
                     ActFn act) {
        transformer(ln, pe, dir, type, attnOnly, act, Precision.F64);
    }

    /**
     * The same whole-model checks for the generated float32 engine. Its loss carries float32
     * round-off (about 1e-7), so the difference takes a larger step ({@value #H_F32}) and the
     * tolerance is 1e-2 relative with an absolute floor of 1e-2 (an error up to 1e-4 on small
     * entries); a wrong backward is off by far more (see {@link #checkerReportsAWrongGradient}).
     * The wider stencil crosses more ReLU kinks, so up to two entries may be skipped per entry
     * checked.
     */
    @ParameterizedTest(name = "f32 ln={0} pos={1} {2} {3} attn_only={4} {5}")
    @MethodSource("transformerCases")
    void transformerFloat32(String ln, PositionalEmbedding pe, AttentionDir dir, AttentionKernel type,
                            boolean attnOnly, ActFn act) {
        transformer(ln, pe, dir, type, attnOnly, act, Precision.F32);
    }

    /** Step of the float32 whole-model differences. */
    static final double H_F32 = 1e-2;

    private void transformer(String ln, PositionalEmbedding pe, AttentionDir dir, AttentionKernel type,
                             boolean attnOnly, ActFn act, Precision precision) {
        TransformerConfig c = config(ln, pe, dir, type, attnOnly, act);
        Random rnd = new Random(Arrays.asList(ln, pe, dir, type, attnOnly, act).toString().hashCode());
        Parameters p = randomParams(c, rnd);
        Batch batch = randomBatch(c, rnd);
        boolean f32 = precision == Precision.F32;
        Transformer model = new Transformer(p, 1, precision);
        Parameters grads = new Parameters(c);
        for (Param q : grads.all()) {
            Arrays.fill(q.value().data, 123.0);   // lossAndGradients must overwrite, not accumulate
        }
        double loss = model.lossAndGradients(batch, grads);
        assertEquals(loss, model.loss(batch), f32 ? 1e-6 : 1e-13, "loss and lossAndGradients disagree");

        // relu kinks and the phi = elu + 1 kink of linear attention: skip stencils that cross them
        boolean relu = !attnOnly && act == ActFn.RELU, linear = type == AttentionKernels.LINEAR;
        List<boolean[]> signs = new ArrayList<>();
        ActivationHook hook = (point, shape, data) -> {
            HookPoint.Site site = point.site();
            if (relu && site == HookPoint.Site.MLP_PRE
                    || linear && (site == HookPoint.Site.ATTN_Q || site == HookPoint.Site.ATTN_K)) {
                int size = 1;
                for (int s : shape) {
                    size *= s;
                }
                signs.add(GradCheck.positive(data, size));
            }
        };
        DoubleSupplier f = () -> {
            signs.clear();
            DMatrixRMaj logits = model.forward(batch.tokens(), batch.batchSize(), batch.seqLen(),
                    relu || linear ? hook : null);
            return CrossEntropy.lossAndGradient(logits, batch, null);
        };
        Supplier<?> regime = relu || linear ? () -> {
            int total = 0;
            for (boolean[] s : signs) {
                total += s.length;
            }
            boolean[] all = new boolean[total];
            int o = 0;
            for (boolean[] s : signs) {
                System.arraycopy(s, 0, all, o, s.length);
                o += s.length;
            }
            return all;
        } : null;

        String label = String.format("%sTransformer ln=%s pos=%s %s %s attn_only=%s %s", f32 ? "F32" : "", ln,
                pe.json(), dir.json(), type.type(), attnOnly, act.json());
        GradCheck gc = f32 ? new GradCheck(label, H_F32, true, 1e-2, 1e-2) : new GradCheck(label, H);
        for (Param q : p.all()) {
            int[] idx = GradCheck.sample(rnd, q.size(), SAMPLES);
            gc.check(q.name(), q.value().data, GradCheck.copyOf(grads.m(q.name())), idx, f, regime);
        }
        finish(gc, f32 ? 2 : 1);
    }

    /** The plain second-order central difference with h = 1e-6 agrees too, at its own (coarser) accuracy. */
    @Test
    void secondOrderDifferencesAgreeOnAWholeModel() {
        TransformerConfig c = config("pre", PositionalEmbedding.STANDARD, AttentionDir.CAUSAL, AttentionKernels.SOFTMAX,
                false, ActFn.GELU_NEW);
        Random rnd = new Random(99);
        Parameters p = randomParams(c, rnd);
        Batch batch = randomBatch(c, rnd);
        Transformer model = new Transformer(p);
        Parameters grads = new Parameters(c);
        model.lossAndGradients(batch, grads);
        double worst = 0;
        String where = "-";
        for (Param q : p.all()) {
            double[] d = q.value().data;
            for (int i : GradCheck.sample(rnd, q.size(), SAMPLES)) {
                double x0 = d[i], hh = 1e-6;
                d[i] = x0 + hh;
                double lp = model.loss(batch);
                d[i] = x0 - hh;
                double lm = model.loss(batch);
                d[i] = x0;
                double num = (lp - lm) / (2 * hh), ana = grads.m(q.name()).data[i];
                // round-off limits this estimate to ~1e-9 absolute, so compare with that floor
                double err = Math.abs(num - ana) / Math.max(1e-4, Math.abs(num) + Math.abs(ana));
                if (err > worst) {
                    worst = err;
                    where = q.name() + "[" + i + "] num=" + num + " ana=" + ana;
                }
            }
        }
        System.out.printf("second-order h=1e-6 whole model: worst rel err (floor 1e-4) %.2e at %s%n", worst, where);
        assertTrue(worst < 1e-5, "worst " + worst + " at " + where);
    }

    /** The checker itself: a gradient off by 1e-4 relative in one entry must be reported. */
    @Test
    void checkerReportsAWrongGradient() {
        Random rnd = new Random(5);
        DMatrixRMaj x = GradCheck.randn(rnd, 3, 4, 1), w = GradCheck.randn(rnd, 4, 2, 1);
        DMatrixRMaj b = GradCheck.randn(rnd, 1, 2, 1), r = GradCheck.randn(rnd, 3, 2, 1), y = new DMatrixRMaj(3, 2);
        DMatrixRMaj dx = new DMatrixRMaj(3, 4), dw = new DMatrixRMaj(4, 2), db = new DMatrixRMaj(1, 2);
        Linear.backward(x, w, r, dx, dw, db);
        dw.data[5] *= 1 + 1e-4;
        GradCheck gc = new GradCheck("self-test", H);
        gc.checkAll("W", w.data, 8, dw.data, () -> {
            Linear.forward(x, w, b, y);
            return GradCheck.dot(y, r);
        }, null);
        assertEquals(1, gc.failures().size(), gc.failures().toString());
        assertTrue(gc.failures().get(0).contains("W[5]"), gc.failures().get(0));
    }

    // ------------------------------------------------------------------ helpers

    private static double[] minus(DMatrixRMaj a, DMatrixRMaj b) {
        int n = a.getNumElements();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = a.data[i] - b.data[i];
        }
        return out;
    }

    private static void assertArrayEquals(double[] expected, double[] actual, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, what + " [" + i + "]");
        }
    }
}
