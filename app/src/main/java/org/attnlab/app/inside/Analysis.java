package org.attnlab.app.inside;

import java.util.ArrayList;
import java.util.List;
import org.attnlab.app.training.ProbeResult;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.transformer.Transformer;

/**
 * The model of one snapshot run once more on the probe with every activation cached: what the
 * views inside the model read. Immutable after construction (the parameters are the snapshot's
 * private copy, the cache holds copies).
 *
 * @param step      the optimizer step of the model
 * @param probeId   the probe it was computed for
 * @param runId     the run it belongs to
 * @param params    the snapshot's parameter copy; do not modify
 * @param tokenIds  the probe, {@code [T]}
 * @param targets   the probe's targets, {@code -1} where unknown, {@code [T]}
 * @param tokens    the probe's token strings, {@code [T]}
 * @param vocab     a label per token id, {@code [d_vocab]} (ids beyond the task's vocabulary as {@code <id>})
 * @param cache     every activation of the probe (B = 1)
 */
public record Analysis(long step, long probeId, long runId, Parameters params, int[] tokenIds, int[] targets, List<String> tokens,
                       List<String> vocab, ActivationCache cache) {

    /**
     * Runs the snapshot's model on its probe.
     *
     * @return the analysis, or null if the snapshot has no probe result yet
     */
    public static Analysis of(TrainingSnapshot s) {
        ProbeResult p = s == null ? null : s.probe();
        if (p == null || p.model() == null) {
            return null;
        }
        Parameters params = p.model();
        TransformerConfig c = params.config();
        List<String> names = s.spec().task().vocabulary().tokens();
        List<String> vocab = new ArrayList<>(c.dVocab());
        for (int i = 0; i < c.dVocab(); i++) {
            vocab.add(i < names.size() ? names.get(i) : "<" + i + ">");
        }
        int[] ids = p.tokenIds();
        ActivationCache cache = Transformer.forThread(params).runWithCache(ids, 1, ids.length);
        return new Analysis(p.step(), p.probeId(), s.runId(), params, ids, p.targets(), p.tokens(), List.copyOf(vocab), cache);
    }

    /** @return the configuration */
    public TransformerConfig config() {
        return params.config();
    }

    /** @return T */
    public int length() {
        return tokenIds.length;
    }

    /** @return the position to show first: the last scored one, or the last */
    public int defaultPosition() {
        for (int i = targets.length - 1; i >= 0; i--) {
            if (targets[i] >= 0) {
                return i;
            }
        }
        return tokenIds.length - 1;
    }

    /** @return the model's top token at position {@code t} */
    public int predicted(int t) {
        int v = config().dVocab(), best = 0;
        for (int k = 1; k < v; k++) {
            if (cache.get(HookPoint.LOGITS).get(0, t, k) > cache.get(HookPoint.LOGITS).get(0, t, best)) {
                best = k;
            }
        }
        return best;
    }

    /** @return labels "i: tok" per position */
    public List<String> positionLabels() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            out.add(i + ": " + tokens.get(i));
        }
        return out;
    }
}
