package org.attnlab.engine.intervene;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.ActivationHook;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.transformer.Transformer;
import org.ejml.data.DMatrixRMaj;

/**
 * Activation patching (Meng et al. 2022, "Locating and Editing Factual Associations in GPT";
 * the TransformerLens "Exploratory Analysis" and "Activation Patching" demos): run the model on
 * a clean and a corrupted input of the same length, then rerun the corrupted input with one
 * activation copied over from the clean run, and measure how much of the clean behaviour comes
 * back. Behaviour is the logit difference at the answer position,
 * {@code logit[correct] - logit[wrong]}, where {@code correct} is the clean answer and
 * {@code wrong} the corrupted one; the recovered fraction of a patch is
 * {@code (LD_patched - LD_corrupted) / (LD_clean - LD_corrupted)}: 0 = no effect, 1 = the clean
 * result is fully restored.
 *
 * <p>Two sweeps: the residual stream {@code blocks.l.hook_resid_pre} patched one layer and one
 * position at a time ({@code [L][T]}), and each head's output {@code blocks.l.attn.hook_z[:, :, h]}
 * patched at every position ({@code [L][H]}). Shape letters: T positions, V d_vocab, L layers,
 * H heads, E d_head. Pure functions; any thread.
 */
public final class ActivationPatching {
    /**
     * What to patch: one hook at one position and head, or all of them (-1).
     *
     * @param hook     {@code hook_resid_pre} or {@code attn.hook_z} ({@link #RESID_PRE}, {@link #Z})
     * @param layer    l
     * @param position t, or -1 for every position
     * @param head     h for hook_z, or -1 for every head (resid_pre: ignored)
     */
    public record Site(HookPoint.Site hook, int layer, int position, int head) {
        /** @throws IllegalArgumentException for another hook site or a negative layer */
        public Site {
            if (hook != RESID_PRE && hook != Z) {
                throw new IllegalArgumentException("patching supports " + RESID_PRE.suffix() + " and " + Z.suffix()
                        + ", not " + (hook == null ? null : hook.suffix()));
            }
            if (layer < 0) {
                throw new IllegalArgumentException("no layer " + layer);
            }
        }

        /** @return the hook point patched */
        public HookPoint point() {
            return HookPoint.of(layer, hook);
        }
    }

    /**
     * A clean and a corrupted input and the answer to compare.
     *
     * @param clean          clean token ids, [T]
     * @param corrupted      corrupted token ids, [T] (same T)
     * @param answerPosition where the logit difference is read
     * @param correct        the clean answer's token id
     * @param wrong          the corrupted answer's token id
     */
    public record Setup(int[] clean, int[] corrupted, int answerPosition, int correct, int wrong) {
        /** @throws IllegalArgumentException if lengths differ or the position is out of range */
        public Setup {
            if (clean.length != corrupted.length || clean.length == 0) {
                throw new IllegalArgumentException("clean and corrupted inputs need the same, non-zero length ("
                        + clean.length + " vs " + corrupted.length + ")");
            }
            if (answerPosition < 0 || answerPosition >= clean.length) {
                throw new IllegalArgumentException("answer position " + answerPosition + " outside [0, " + clean.length + ")");
            }
            clean = clean.clone();
            corrupted = corrupted.clone();
        }
    }

    /**
     * The sweeps' results.
     *
     * @param cleanDifference     the clean run's logit difference
     * @param corruptedDifference the corrupted run's
     * @param residPre            {@code [L][T]} recovered fraction with resid_pre of layer l at position t patched
     * @param headZ               {@code [L][H]} recovered fraction with head (l, h)'s z patched at every position
     */
    public record Result(double cleanDifference, double corruptedDifference, double[][] residPre, double[][] headZ) {
    }

    /** {@code blocks.l.hook_resid_pre}: the residual stream entering block l. */
    public static final HookPoint.Site RESID_PRE = HookPoint.Site.RESID_PRE;
    /** {@code blocks.l.attn.hook_z}: each head's weighted sum of values, before W_O. */
    public static final HookPoint.Site Z = HookPoint.Site.ATTN_Z;

    private ActivationPatching() {
    }

    /**
     * @param logits [T, V] row-major (one sequence)
     * @return {@code logits[pos, correct] - logits[pos, wrong]}
     */
    public static double logitDifference(double[] logits, int dVocab, int pos, int correct, int wrong) {
        return logits[pos * dVocab + correct] - logits[pos * dVocab + wrong];
    }

    /** @return the recovered fraction of {@code patched} between corrupted (0) and clean (1) */
    public static double recovered(double patched, double clean, double corrupted) {
        return (patched - corrupted) / (clean - corrupted);
    }

    /**
     * A setup whose answers come from the model: {@code correct} is the clean run's top token at
     * {@code pos}, {@code wrong} the corrupted run's, or, if both runs agree, the clean run's
     * second choice.
     */
    public static Setup fromModel(Parameters params, int[] clean, int[] corrupted, int pos) {
        Transformer m = Transformer.forThread(params);
        int v = params.config().dVocab();
        double[] lc = logits(m, clean, null), lx = logits(m, corrupted, null);
        int correct = argmax(lc, pos * v, v, -1), wrong = argmax(lx, pos * v, v, -1);
        if (wrong == correct) {
            wrong = argmax(lc, pos * v, v, correct);
        }
        return new Setup(clean, corrupted, pos, correct, wrong);
    }

    /**
     * Both sweeps (L*T + L*H + 2 forward passes of one sequence).
     *
     * @throws IllegalArgumentException if the inputs do not fit the model
     */
    public static Result run(Parameters params, Setup s) {
        Transformer m = Transformer.forThread(params);
        int t = s.clean().length, v = params.config().dVocab();
        int layers = params.config().nLayers(), heads = params.config().nHeads();
        ActivationCache clean = new ActivationCache();
        double ldClean = logitDifference(logits(m, s.clean(), clean), v, s.answerPosition(), s.correct(), s.wrong());
        double ldCorrupt = logitDifference(logits(m, s.corrupted(), null), v, s.answerPosition(), s.correct(), s.wrong());
        double[][] resid = new double[layers][t], z = new double[layers][heads];
        for (int l = 0; l < layers; l++) {
            for (int p = 0; p < t; p++) {
                resid[l][p] = recovered(patchedDifference(m, s, clean, List.of(new Site(RESID_PRE, l, p, -1))),
                        ldClean, ldCorrupt);
            }
            for (int h = 0; h < heads; h++) {
                z[l][h] = recovered(patchedDifference(m, s, clean, List.of(new Site(Z, l, -1, h))), ldClean, ldCorrupt);
            }
        }
        return new Result(ldClean, ldCorrupt, resid, z);
    }

    private static double patchedDifference(Transformer m, Setup s, ActivationCache clean, Collection<Site> sites) {
        double[] out = logits(m, s.corrupted(), hook(clean, sites));
        return logitDifference(out, m.config().dVocab(), s.answerPosition(), s.correct(), s.wrong());
    }

    /**
     * The corrupted run with {@code sites} patched from the clean run.
     *
     * @param model     the model
     * @param corrupted corrupted tokens, [T]
     * @param clean     the clean run's cache (same T)
     * @return the patched logits, [T, V]
     */
    public static double[] patchedLogits(Transformer model, int[] corrupted, ActivationCache clean, Collection<Site> sites) {
        return logits(model, corrupted, hook(clean, sites));
    }

    /**
     * A hook that copies the clean run's values into the live activations at {@code sites}
     * (one sequence: B = 1).
     */
    public static ActivationHook hook(ActivationCache clean, Collection<Site> sites) {
        List<Site> list = List.copyOf(sites);
        return (point, shape, data) -> {
            for (Site site : list) {
                if (point.site() != site.hook() || point.layer() != site.layer()) {
                    continue;
                }
                double[] src = clean.get(point).data();
                int t = shape[1];
                int row = site.hook() == Z ? shape[2] * shape[3] : shape[2];   // H*E or D per position
                for (int p = 0; p < t; p++) {
                    if (site.position() >= 0 && p != site.position()) {
                        continue;
                    }
                    if (site.hook() == Z && site.head() >= 0) {
                        int e = shape[3], off = p * row + site.head() * e;
                        System.arraycopy(src, off, data, off, e);
                    } else {
                        System.arraycopy(src, p * row, data, p * row, row);
                    }
                }
            }
        };
    }

    /** @return the logits of one sequence, [T, V], a copy */
    static double[] logits(Transformer m, int[] tokens, ActivationHook hook) {
        DMatrixRMaj out = m.forward(tokens, 1, tokens.length, hook);
        return Arrays.copyOf(out.data, tokens.length * m.config().dVocab());
    }

    private static int argmax(double[] a, int off, int n, int skip) {
        int best = -1;
        for (int k = 0; k < n; k++) {
            if (k != skip && (best < 0 || a[off + k] > a[off + best])) {
                best = k;
            }
        }
        return best;
    }
}
