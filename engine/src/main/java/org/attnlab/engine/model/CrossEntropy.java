package org.attnlab.engine.model;

import org.ejml.data.DMatrixRMaj;

/**
 * Masked cross-entropy (engine.md, "Loss"):
 * {@code loss = sum(mask * -log softmax(logits)[target]) / sum(mask)}.
 */
public final class CrossEntropy {
    private CrossEntropy() {
    }

    /**
     * @param logits  (B*T, V) row-major logits
     * @param batch   the targets and loss mask
     * @param dLogits (B*T, V) overwritten with d loss / d logits, or {@code null} to skip
     * @return the mean negative log-likelihood over scored positions
     * @throws IllegalArgumentException if no position is scored, or a scored target is outside
     *     {@code [0, V)}
     */
    public static double lossAndGradient(DMatrixRMaj logits, Batch batch, DMatrixRMaj dLogits) {
        int n = logits.numRows, v = logits.numCols;
        int count = batch.scoredCount();
        if (count == 0) {
            throw new IllegalArgumentException("the batch has no scored positions (loss_mask is all 0)");
        }
        if (dLogits != null) {
            dLogits.reshape(n, v);
            dLogits.zero();
        }
        double total = 0;
        double[] ld = logits.data;
        for (int r = 0; r < n; r++) {
            if (batch.lossMask()[r] == 0) {
                continue;
            }
            int target = batch.targets()[r];
            if (target < 0 || target >= v) {
                throw new IllegalArgumentException("target " + target + " at [" + r / batch.seqLen() + ", "
                        + r % batch.seqLen() + "] is outside the vocabulary [0, " + v + ")");
            }
            int off = r * v;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) {
                max = Math.max(max, ld[off + j]);
            }
            double sum = 0;
            for (int j = 0; j < v; j++) {
                sum += Math.exp(ld[off + j] - max);
            }
            double logZ = max + Math.log(sum);
            total += logZ - ld[off + target];
            if (dLogits != null) {
                for (int j = 0; j < v; j++) {
                    dLogits.data[off + j] = Math.exp(ld[off + j] - logZ) / count;
                }
                dLogits.data[off + target] -= 1.0 / count;
            }
        }
        return total / count;
    }
}
