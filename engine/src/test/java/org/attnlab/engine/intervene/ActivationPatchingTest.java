package org.attnlab.engine.intervene;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.ActivationHook;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.intervene.ActivationPatching.Site;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.tasks.Corruption;
import org.attnlab.engine.tasks.LegoTask;
import org.attnlab.engine.transformer.Transformer;
import org.junit.jupiter.api.Test;

/**
 * Patching everything at one layer's resid_pre restores the clean logits bit for bit; patching
 * nothing leaves the corrupted ones; with one token changed, layer 0's resid_pre at that position
 * recovers exactly 1 and elsewhere exactly 0; a head's hook_z patch equals adding
 * {@code (z_clean - z_corrupted) W_O[h]} to hook_attn_out.
 */
class ActivationPatchingTest {
    private static final int V = 11, T = 9;

    private static double[] run(Parameters p, int[] toks, ActivationHook hook) {
        return ActivationPatching.logits(new Transformer(p), toks, hook);
    }

    @Test
    void everythingRecoversTheCleanRunAndNothingLeavesTheCorruptedOne() {
        int seed = 10;
        for (TransformerConfig c : TestModels.variants(V, T)) {
            Parameters p = TestModels.random(c, ++seed);
            int[] clean = TestModels.tokens(V, T, seed), corrupted = TestModels.tokens(V, T, seed + 100);
            ActivationCache cache = new Transformer(p).runWithCache(clean, 1, T);
            double[] cleanLogits = cache.get("logits").data(), corruptLogits = run(p, corrupted, null);
            assertArrayEquals(corruptLogits, ActivationPatching.patchedLogits(new Transformer(p), corrupted, cache, List.of()),
                    0, c + ": nothing patched");
            for (int l = 0; l < c.nLayers(); l++) {
                assertArrayEquals(cleanLogits, ActivationPatching.patchedLogits(new Transformer(p), corrupted, cache,
                        List.of(new Site(ActivationPatching.RESID_PRE, l, -1, -1))), 0, c + ": resid_pre of layer " + l);
                List<Site> positions = new ArrayList<>();
                for (int t = 0; t < T; t++) {
                    positions.add(new Site(ActivationPatching.RESID_PRE, l, t, -1));
                }
                assertArrayEquals(cleanLogits, ActivationPatching.patchedLogits(new Transformer(p), corrupted, cache,
                        positions), 0, c + ": every position of layer " + l + " one by one");
            }
            assertTrue(!Arrays.equals(cleanLogits, corruptLogits));
        }
    }

    @Test
    void oneChangedTokenIsRecoveredExactlyAtItsPositionInLayerZero() {
        int seed = 20;
        for (TransformerConfig c : TestModels.variants(V, T)) {
            Parameters p = TestModels.random(c, ++seed);
            int[] clean = TestModels.tokens(V, T, seed);
            int[] corrupted = clean.clone();
            int at = 3;
            corrupted[at] = (clean[at] + 1) % V;
            ActivationPatching.Setup s = ActivationPatching.fromModel(p, clean, corrupted, T - 1);
            ActivationPatching.Result r = ActivationPatching.run(p, s);
            double[] lc = run(p, clean, null), lx = run(p, corrupted, null);
            assertEquals(ActivationPatching.logitDifference(lc, V, T - 1, s.correct(), s.wrong()), r.cleanDifference(), 0);
            assertEquals(ActivationPatching.logitDifference(lx, V, T - 1, s.correct(), s.wrong()), r.corruptedDifference(), 0);
            assertNotEquals(s.correct(), s.wrong());
            for (int t = 0; t < T; t++) {
                assertEquals(t == at ? 1.0 : 0.0, r.residPre()[0][t], t == at ? 1e-12 : 0, c + " position " + t);
            }
            assertEquals(c.nHeads(), r.headZ()[0].length);
        }
    }

    @Test
    void patchingAHeadEqualsAddingItsCleanMinusCorruptedOutputToAttnOut() {
        int seed = 30;
        for (TransformerConfig c : TestModels.variants(V, T)) {
            Parameters p = TestModels.random(c, ++seed);
            int[] clean = TestModels.tokens(V, T, seed), corrupted = TestModels.tokens(V, T, seed + 7);
            ActivationCache cache = new Transformer(p).runWithCache(clean, 1, T);
            int hs = c.nHeads(), e = c.dHead(), d = c.dModel();
            for (int l = 0; l < c.nLayers(); l++) {
                for (int h = 0; h < hs; h++) {
                    int layer = l, head = h;
                    double[][] z = new double[1][];
                    ActivationHook manual = (point, shape, data) -> {
                        if (point.equals(HookPoint.of(layer, HookPoint.Site.ATTN_Z))) {
                            z[0] = Arrays.copyOf(data, T * hs * e);
                        } else if (point.equals(HookPoint.of(layer, HookPoint.Site.ATTN_OUT))) {
                            double[] wO = p.get("blocks." + layer + ".attn.W_O").toFileOrder();
                            TestModels.addHead(data, 0, cache.get("blocks." + layer + ".attn.hook_z").data(), 0, wO,
                                    T, hs, e, d, head, 1);
                            TestModels.addHead(data, 0, z[0], 0, wO, T, hs, e, d, head, -1);
                        }
                    };
                    double[] want = run(p, corrupted, manual);
                    double[] got = ActivationPatching.patchedLogits(new Transformer(p), corrupted, cache,
                            List.of(new Site(ActivationPatching.Z, l, -1, h)));
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], got[i], 1e-10 * Math.max(1, Math.abs(want[i])), c + " L" + l + "H" + h);
                    }
                }
            }
        }
    }

    @Test
    void legoSignFlipChangesOneSignAndTheDeepestAnswer() {
        LegoTask task = LegoTask.of(5);
        Batch b = task.evalBatch(12, 9);
        int plus = task.vocabulary().id("+"), minus = task.vocabulary().id("-");
        for (int row = 0; row < b.batchSize(); row++) {
            int[] clean = Arrays.copyOfRange(b.tokens(), row * b.seqLen(), (row + 1) * b.seqLen());
            for (int depth = 1; depth < 5; depth++) {
                Corruption.Corrupted x = task.signFlip(clean, depth);
                int differ = 0;
                for (int i = 0; i < clean.length; i++) {
                    differ += clean[i] != x.tokens()[i] ? 1 : 0;
                }
                assertEquals(1, differ, "one token changes");
                assertEquals(b.target(row, x.answerPosition()), x.correct(), "the clean answer is the task's target");
                assertEquals(x.correct() == plus ? minus : plus, x.wrong());
                int[] depths = task.chainDepths(new Batch(1, clean.length, x.tokens(), new int[clean.length],
                        new byte[clean.length]), 0);
                assertEquals(4, depths[x.answerPosition()], "the answer is the deepest variable");
            }
        }
    }
}
