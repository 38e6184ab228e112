package org.attnlab.app.training;

import java.util.ArrayList;
import java.util.List;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.tasks.Vocabulary;
import org.attnlab.engine.transformer.Transformer;
import org.ejml.data.DMatrixRMaj;

/**
 * Runs the model on the probe (one sequence, B = 1) and copies out what the window shows.
 * Called on the training thread only, with a {@link Transformer} of its own that shares the
 * trainer's live parameters (so the trainer's batch-sized buffers are not reshaped).
 */
final class ProbeRunner {
    private ProbeRunner() {
    }

    /**
     * @param model a model sharing the trainer's parameters
     * @param vocab the task's vocabulary
     * @param probe the probe example
     * @param step  the model's step
     */
    static ProbeResult run(Transformer model, Vocabulary vocab, Probe probe, long step) {
        int t = probe.tokens().length;
        int layers = model.config().nLayers(), heads = model.config().nHeads(), v = model.config().dVocab();
        double[][][] patterns = new double[layers][heads][t * t];
        DMatrixRMaj logits = model.forward(probe.tokens(), 1, t, (point, shape, data) -> {
            if (point.site() == HookPoint.Site.ATTN_PATTERN) {      // blocks.<l>.attn.hook_pattern [1, H, T, T]
                int l = point.layer();
                for (int h = 0; h < heads; h++) {
                    System.arraycopy(data, h * t * t, patterns[l][h], 0, t * t);
                }
            }
        });                                                             // (T, V)
        List<String> tokens = new ArrayList<>(t);
        List<TokenPrediction> predictions = new ArrayList<>(t);
        for (int i = 0; i < t; i++) {
            int off = i * v, best = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                if (logits.data[off + k] > max) {
                    max = logits.data[off + k];
                    best = k;
                }
            }
            double sum = 0;
            for (int k = 0; k < v; k++) {
                sum += Math.exp(logits.data[off + k] - max);
            }
            String token = vocab.token(probe.tokens()[i]);
            tokens.add(token);
            int target = probe.targets()[i];
            predictions.add(new TokenPrediction(i, token, name(vocab, best), 1 / sum,
                    target >= 0 ? name(vocab, target) : null));
        }
        // the copy costs one pass over the parameters, far less than the forward pass above
        return new ProbeResult(probe.id(), step, List.copyOf(tokens), patterns, List.copyOf(predictions),
                probe.tokens(), probe.targets(), model.params().copy());
    }

    /** @return the token string, or {@code <id>} for an id beyond the vocabulary (d_vocab may be larger) */
    private static String name(Vocabulary vocab, int id) {
        return id < vocab.size() ? vocab.token(id) : "<" + id + ">";
    }
}
