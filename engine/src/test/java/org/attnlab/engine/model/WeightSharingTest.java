package org.attnlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.attnlab.engine.attention.AttentionKernel;
import org.attnlab.engine.attention.AttentionKernels;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.io.Checkpoint;
import org.attnlab.engine.io.SafeTensors;
import org.attnlab.engine.io.StoredTensor;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.transformer.Transformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code weight_sharing} (ALBERT, Lan et al. 2020) as model structure: the block parameters
 * exist once, under {@code blocks.0.*}; every layer uses them; the gradient of a shared tensor is
 * the sum over layers of what an unshared model with copied layers gets; the checkpoint holds
 * each shared tensor once; hooks stay per layer.
 */
class WeightSharingTest {
    private static TransformerConfig config(AttentionKernel type, boolean shared) {
        return TransformerConfig.builder(9, 7, 12, 2, 3).dMlp(16).attentionType(type)
                .positionalEmbeddingType(TransformerConfig.PositionalEmbedding.ROTARY).weightSharing(shared).build();
    }

    static Stream<Arguments> kernels() {
        return AttentionKernels.all().stream().map(Arguments::of);
    }

    /** Random parameters away from init's special values. */
    private static Parameters random(TransformerConfig c, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Parameters p = Parameters.init(c, rng);
        for (Param x : p.all()) {
            for (int i = 0; i < x.size(); i++) {
                x.value().data[i] += 0.2 * rng.nextGaussian();
            }
        }
        return p;
    }

    /** The unshared model whose every layer is a copy of {@code shared}'s one block. */
    private static Parameters unsharedCopy(Parameters shared) {
        TransformerConfig c = shared.config().toBuilder().weightSharing(false).build();
        Parameters out = new Parameters(c);
        for (Param x : out.all()) {
            String name = x.name().startsWith("blocks.") ? "blocks.0." + x.name().substring(x.name().indexOf('.', 7) + 1)
                    : x.name();
            System.arraycopy(shared.get(name).value().data, 0, x.value().data, 0, x.size());
        }
        return out;
    }

    private static Batch batch(TransformerConfig c, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int b = 5, t = c.nCtx(), n = b * t;
        int[] tokens = new int[n], targets = new int[n];
        byte[] mask = new byte[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = rng.nextInt(c.dVocab());
            boolean scored = rng.nextInt(4) > 0 || i == n - 1;
            mask[i] = (byte) (scored ? 1 : 0);
            targets[i] = scored ? rng.nextInt(c.dVocab()) : -1;
        }
        return new Batch(b, t, tokens, targets, mask);
    }

    @Test
    void theBlockParametersExistOnceUnderBlockZero() {
        TransformerConfig c = config(AttentionKernels.SOFTMAX, true);
        Parameters p = new Parameters(c);
        Parameters unshared = new Parameters(c.toBuilder().weightSharing(false).build());
        int perBlock = Parameters.blockSpecs(c).size();
        assertEquals(unshared.all().size() - 2 * perBlock, p.all().size());
        assertTrue(p.has("blocks.0.attn.W_Q") && p.has("blocks.0.mlp.W_out"));
        assertFalse(p.has("blocks.1.attn.W_Q") || p.has("blocks.2.ln1.w"));
        for (int l = 0; l < c.nLayers(); l++) {
            assertEquals("blocks.0.", p.blockPrefix(l));
            assertEquals(p.get("blocks.0.attn.W_O"), p.block(l, "attn.W_O"));
            assertEquals("blocks." + l + ".", unshared.blockPrefix(l));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void sharingGivesTheLossOfCopiedLayersAndTheSumOfTheirGradients(AttentionKernel type) {
        TransformerConfig c = config(type, true);
        Parameters shared = random(c, 3);
        Parameters copies = unsharedCopy(shared);
        Batch batch = batch(c, 4);
        Parameters gShared = new Parameters(c), gCopies = new Parameters(copies.config());
        double loss = new Transformer(shared, 2).lossAndGradients(batch, gShared);
        double lossCopies = new Transformer(copies, 2).lossAndGradients(batch, gCopies);
        assertEquals(lossCopies, loss, 1e-12 * Math.abs(loss), "same function, same loss");
        for (Param g : gShared.all()) {
            double[] want = new double[g.size()];
            if (g.name().startsWith("blocks.0.")) {
                String suffix = g.name().substring("blocks.0.".length());
                for (int l = 0; l < c.nLayers(); l++) {
                    double[] gl = gCopies.get("blocks." + l + "." + suffix).value().data;
                    for (int i = 0; i < want.length; i++) {
                        want[i] += gl[i];
                    }
                }
            } else {
                System.arraycopy(gCopies.get(g.name()).value().data, 0, want, 0, want.length);
            }
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], g.value().data[i], 1e-11 * Math.max(1, Math.abs(want[i])), g.name() + "[" + i + "]");
            }
        }
        // hooks stay per layer: every layer fires its own points, block 0's weights in each
        ActivationCache a = new Transformer(shared).runWithCache(batch.tokens(), 5, c.nCtx());
        ActivationCache b = new Transformer(copies).runWithCache(batch.tokens(), 5, c.nCtx());
        assertEquals(b.points(), a.points());
        for (int l = 0; l < c.nLayers(); l++) {
            double[] x = a.get(HookPoint.of(l, HookPoint.Site.RESID_POST)).data();
            double[] y = b.get(HookPoint.of(l, HookPoint.Site.RESID_POST)).data();
            for (int i = 0; i < x.length; i++) {
                assertEquals(y[i], x[i], 1e-12 * Math.max(1, Math.abs(y[i])), "layer " + l);
            }
        }
    }

    /** Central differences of the loss against the shared gradient (which sums three layers' shares). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void sharedGradientsMatchFiniteDifferences(AttentionKernel type) {
        TransformerConfig c = config(type, true);
        Parameters p = random(c, 11);
        Batch batch = batch(c, 12);
        Transformer model = new Transformer(p);
        Parameters g = new Parameters(c);
        model.lossAndGradients(batch, g);
        SplittableRandom rng = new SplittableRandom(13);
        double h = 1e-5, worst = 0;
        String where = "-";
        int checked = 0;
        for (Param x : p.all()) {
            for (int k = 0; k < 6; k++) {
                int i = rng.nextInt(x.size());
                double[] d = x.value().data;
                double x0 = d[i];
                d[i] = x0 + h;
                double lp = model.loss(batch);
                d[i] = x0 - h;
                double lm = model.loss(batch);
                d[i] = x0;
                double num = (lp - lm) / (2 * h), ana = g.get(x.name()).value().data[i];
                double err = Math.abs(num - ana) / Math.max(1e-4, Math.abs(num) + Math.abs(ana));
                if (err > worst) {
                    worst = err;
                    where = x.name() + "[" + i + "] num=" + num + " ana=" + ana;
                }
                checked++;
            }
        }
        assertTrue(checked > 100, "checked " + checked);
        assertTrue(worst < 1e-6, "worst relative error " + worst + " at " + where);
    }

    @Test
    void clippingAndAdamWCountASharedTensorOnce() {
        TransformerConfig c = config(AttentionKernels.SOFTMAX, true);
        Parameters p = random(c, 5), g = new Parameters(c);
        new Transformer(p).lossAndGradients(batch(c, 6), g);
        double sq = 0;
        for (Param x : g.all()) {
            for (int i = 0; i < x.size(); i++) {
                sq += x.value().data[i] * x.value().data[i];
            }
        }
        assertEquals(Math.sqrt(sq), g.norm(), 1e-12, "the global norm sums each stored tensor once");
        AdamW opt = new AdamW(AdamW.Settings.golden());
        opt.step(p, g);
        assertEquals(p.all().size(), opt.state().size(), "one AdamW moment pair per stored tensor");
        assertFalse(opt.state().containsKey("blocks.1.attn.W_Q"));
    }

    @Test
    void theCheckpointHoldsEachSharedTensorOnce(@TempDir Path dir) throws Exception {
        TransformerConfig c = config(AttentionKernels.LINEAR, true);
        Parameters p = random(c, 8);
        Path f = dir.resolve("shared.safetensors");
        Checkpoint.save(f, p, Map.of(), null);
        Map<String, StoredTensor> stored = SafeTensors.read(f).tensors();
        assertEquals(p.all().size(), stored.size());
        assertTrue(stored.containsKey("blocks.0.attn.W_Q"));
        assertTrue(stored.keySet().stream().noneMatch(n -> n.startsWith("blocks.1.") || n.startsWith("blocks.2.")),
                stored.keySet().toString());
        Checkpoint back = Checkpoint.load(f);
        assertTrue(back.config().weightSharing());
        assertEquals(c, back.config());
        Batch batch = batch(c, 9);
        assertEquals(new Transformer(p).loss(batch), new Transformer(back.params()).loss(batch), 0.0);
    }

    /**
     * A checkpoint of a shared run written before weight_sharing was a configuration key: every
     * layer stored, all equal, no weight_sharing in its config. It opens as an unshared model with
     * those equal layers, which computes exactly what the shared model does.
     */
    @Test
    void anOldSharedCheckpointOpensAsAnUnsharedModelWithEqualLayers(@TempDir Path dir) throws Exception {
        TransformerConfig c = config(AttentionKernels.SOFTMAX, true);
        Parameters shared = random(c, 21);
        Parameters copies = unsharedCopy(shared);
        Path f = dir.resolve("old-lego6.safetensors");
        Checkpoint.save(f, copies, Map.of("preset", "lego6"), null);
        String json = SafeTensors.read(f).meta("config").orElseThrow();
        assertFalse(json.contains("weight_sharing"), "written as an old checkpoint: " + json);
        Checkpoint back = Checkpoint.load(f);
        assertFalse(back.config().weightSharing());
        assertTrue(back.params().has("blocks.2.attn.W_Q"));
        Batch batch = batch(c, 22);
        double want = new Transformer(shared).loss(batch);
        assertEquals(want, new Transformer(back.params()).loss(batch), 1e-12 * want);
        List<String> names = new ArrayList<>();
        back.params().all().forEach(x -> names.add(x.name()));
        assertEquals(copies.all().size(), names.size());
    }
}
