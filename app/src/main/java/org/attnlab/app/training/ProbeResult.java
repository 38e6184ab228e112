package org.attnlab.app.training;

import java.util.List;
import org.attnlab.engine.model.Parameters;

/**
 * What the model does on the probe example at one step: every head's attention pattern and
 * the prediction at every position. Copies, made on the training thread and never changed.
 *
 * @param probeId     the {@link Probe#id()} it was computed for
 * @param step        the optimizer step of the model
 * @param tokens      the probe's token strings, {@code [T]}
 * @param patterns    {@code [L][H][T*T]}: {@code patterns[l][h][q*T + k]} is the weight query q puts on
 *                    key k (blocks.l.attn.hook_pattern); do not modify
 * @param predictions one per position
 * @param tokenIds    the probe's token ids, {@code [T]}; do not modify
 * @param targets     the probe's target ids, {@code -1} where unscored or unknown, {@code [T]}; do not modify
 * @param model       a copy of the parameters at {@code step}, for views that run their own analysis
 *                    (logit lens, ablation, ...) on any thread; never trained further, do not modify
 */
public record ProbeResult(long probeId, long step, List<String> tokens, double[][][] patterns,
                          List<TokenPrediction> predictions, int[] tokenIds, int[] targets, Parameters model) {
    /** @return T, the probe's length */
    public int length() {
        return tokens.size();
    }

    /** @return L */
    public int layers() {
        return patterns.length;
    }

    /** @return H */
    public int heads() {
        return patterns.length == 0 ? 0 : patterns[0].length;
    }
}
