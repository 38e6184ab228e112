package org.attnlab.engine.tasks;

import org.attnlab.engine.model.Batch;

/** Hand-built logits for metric tests. */
final class TestLogits {

    private TestLogits() {
    }

    /** @return [B*T] the targets, with 0 where unscored */
    static int[] targetsOrZero(Batch batch) {
        int[] p = batch.targets().clone();
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.max(p[i], 0);
        }
        return p;
    }

    /** @return [B, T, V] logits with {@code margin} on {@code predicted[i]} and 0 elsewhere */
    static double[] oneHot(int[] predicted, int dVocab, double margin) {
        double[] logits = new double[predicted.length * dVocab];
        for (int i = 0; i < predicted.length; i++) {
            logits[i * dVocab + predicted[i]] = margin;
        }
        return logits;
    }

    /** @return logits whose argmax is the target everywhere it is scored */
    static double[] perfect(Batch batch, int dVocab) {
        return oneHot(targetsOrZero(batch), dVocab, 1.0);
    }
}
