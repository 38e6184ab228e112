package org.attnlab.engine.intervene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.ActivationHook;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.intervene.HeadAblation.Head;
import org.attnlab.engine.intervene.HeadAblation.Mode;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.tasks.Metrics;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.Tasks;
import org.attnlab.engine.transformer.CrossEntropy;
import org.attnlab.engine.transformer.Transformer;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Ablating heads on hook_z equals removing their share from hook_attn_out, re-assembled here from
 * the z the same pass computed and W_O: {@code attn_out' = attn_out + (r - z_h) W_O[h]} with r = 0
 * (zero ablation) or the batch mean of z_h per position (mean ablation, computed here from a cache).
 */
class HeadAblationTest {
    private static final Task TASK = Tasks.byName("flipflop", Map.of("T", "10"));

    /** The expected logits: hook_z read (not changed), hook_attn_out corrected. */
    private static double[] expected(Parameters p, Batch batch, List<Head> heads, double[][] means) {
        TransformerConfig c = p.config();
        int h = c.nHeads(), e = c.dHead(), d = c.dModel(), t = batch.seqLen();
        double[][] z = new double[c.nLayers()][];
        ActivationHook hook = (point, shape, data) -> {
            for (int l = 0; l < c.nLayers(); l++) {
                if (point.equals(HookPoint.of(l, HookPoint.Site.ATTN_Z))) {
                    z[l] = Arrays.copyOf(data, shape[0] * shape[1] * shape[2] * shape[3]);
                } else if (point.equals(HookPoint.of(l, HookPoint.Site.ATTN_OUT))) {
                    double[] wO = p.get("blocks." + l + ".attn.W_O").toFileOrder();
                    for (Head hd : heads) {
                        if (hd.layer() != l) {
                            continue;
                        }
                        for (int b = 0; b < batch.batchSize(); b++) {
                            TestModels.addHead(data, b * t * d, z[l], b * t * h * e, wO, t, h, e, d, hd.head(), -1);
                            if (means != null) {
                                TestModels.addHead(data, b * t * d, means[l], 0, wO, t, h, e, d, hd.head(), 1);
                            }
                        }
                    }
                }
            }
        };
        DMatrixRMaj out = new Transformer(p).forward(batch.tokens(), batch.batchSize(), t, hook);
        return Arrays.copyOf(out.data, batch.batchSize() * t * c.dVocab());
    }

    /** Means of hook_z over the batch per position, [L][T*H*E], from the engine's cache. */
    private static double[][] means(Parameters p, Batch batch) {
        ActivationCache cache = new Transformer(p).runWithCache(batch.tokens(), batch.batchSize(), batch.seqLen());
        TransformerConfig c = p.config();
        int per = batch.seqLen() * c.nHeads() * c.dHead();
        double[][] m = new double[c.nLayers()][per];
        for (int l = 0; l < c.nLayers(); l++) {
            double[] z = cache.get("blocks." + l + ".attn.hook_z").data();
            for (int b = 0; b < batch.batchSize(); b++) {
                for (int i = 0; i < per; i++) {
                    m[l][i] += z[b * per + i] / batch.batchSize();
                }
            }
        }
        return m;
    }

    private static double[] ablated(Parameters p, Batch batch, List<Head> heads, Mode mode, MeanActivations means) {
        DMatrixRMaj out = new Transformer(p).forward(batch.tokens(), batch.batchSize(), batch.seqLen(),
                HeadAblation.hook(heads, mode, means, null));
        return Arrays.copyOf(out.data, batch.batchSize() * batch.seqLen() * p.config().dVocab());
    }

    private static void assertClose(double[] want, double[] got, String what) {
        assertEquals(want.length, got.length);
        double scale = 0;
        for (double x : want) {
            scale = Math.max(scale, Math.abs(x));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-10 * Math.max(1, scale), what + " at " + i);
        }
    }

    @Test
    void zeroAndMeanAblationEqualRemovingTheHeadFromAttnOut() {
        Batch batch = TASK.evalBatch(6, 3);
        int seed = 0;
        for (TransformerConfig c : TestModels.variants(TASK.vocabulary().size(), 10)) {
            Parameters p = TestModels.random(c, ++seed);
            double[][] m = means(p, batch);
            MeanActivations engineMeans = HeadAblation.meanZ(p, batch);
            for (int l = 0; l < c.nLayers(); l++) {
                assertClose(m[l], engineMeans.mean()[l], c + " means of layer " + l);
            }
            List<List<Head>> sets = List.of(List.of(new Head(0, 0)), List.of(new Head(c.nLayers() - 1, c.nHeads() - 1)),
                    List.of(new Head(0, 1), new Head(1, 0), new Head(c.nLayers() - 1, 1)));
            for (List<Head> heads : sets) {
                double[] zero = ablated(p, batch, heads, Mode.ZERO, null);
                assertClose(expected(p, batch, heads, null), zero, c + " zero-ablating " + heads);
                double[] mean = ablated(p, batch, heads, Mode.MEAN, engineMeans);
                assertClose(expected(p, batch, heads, m), mean, c + " mean-ablating " + heads);
                double[] intact = ablated(p, batch, List.of(), Mode.ZERO, null);
                assertTrue(!Arrays.equals(intact, zero), "ablation changes the logits");
            }
        }
    }

    @Test
    void compareAndTableScoreTheAblatedLogits() {
        Batch batch = TASK.evalBatch(8, 5);
        TransformerConfig c = TestModels.variants(TASK.vocabulary().size(), 10).get(0);
        Parameters p = TestModels.random(c, 42);
        MeanActivations means = HeadAblation.meanZ(p, batch);
        List<Head> heads = List.of(new Head(1, 2), new Head(2, 0));
        HeadAblation.Comparison cmp = HeadAblation.compare(p, TASK, batch, heads, Mode.MEAN, means);
        double[] want = expected(p, batch, heads, means(p, batch));
        DMatrixRMaj wl = new DMatrixRMaj(batch.batchSize() * batch.seqLen(), c.dVocab());
        System.arraycopy(want, 0, wl.data, 0, want.length);
        assertEquals(CrossEntropy.lossAndGradient(wl, batch, null), cmp.ablated().loss(), 1e-10);
        Metrics wm = TASK.evaluate(batch, want, c.dVocab());
        assertEquals(wm.headline(), cmp.ablated().metrics().headline(), 0);
        assertEquals(new Transformer(p).loss(batch), cmp.intact().loss(), 1e-12);
        assertEquals(cmp.intact().metrics().headline() - wm.headline(), cmp.metricDrop(), 1e-15);

        HeadAblation.Table table = HeadAblation.table(p, TASK, batch, Mode.ZERO, null, () -> false);
        for (int l = 0; l < c.nLayers(); l++) {
            for (int h = 0; h < c.nHeads(); h++) {
                double[] one = expected(p, batch, List.of(new Head(l, h)), null);
                System.arraycopy(one, 0, wl.data, 0, one.length);
                assertEquals(CrossEntropy.lossAndGradient(wl, batch, null), table.loss()[l][h], 1e-10, "L" + l + "H" + h);
                assertEquals(TASK.evaluate(batch, one, c.dVocab()).headline(), table.metric()[l][h], 0);
                assertEquals(cmp.intact().metrics().headline() - table.metric()[l][h], table.metricDrop()[l][h], 1e-15);
            }
        }
        assertEquals(null, HeadAblation.table(p, TASK, batch, Mode.ZERO, null, () -> true), "cancelled");
        assertThrows(IllegalArgumentException.class, () -> HeadAblation.hook(heads, Mode.MEAN, null, null));
    }
}
