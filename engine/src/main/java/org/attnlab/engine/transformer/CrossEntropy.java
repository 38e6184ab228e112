package org.attnlab.engine.transformer;

import org.attnlab.engine.compute.LossRows;
import org.attnlab.engine.model.Batch;
import org.ejml.data.DMatrixRMaj;

/**
 * Masked cross-entropy (docs/engine.md, "Loss and optimizer"):
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
        int count = batch.scoredCount();
        if (count == 0) {
            throw new IllegalArgumentException("the batch has no scored positions (loss_mask is all 0)");
        }
        checkTargets(batch, logits.numCols);
        return LossRows.lossSum(logits, batch, 0, count, dLogits) / count;
    }

    /**
     * @throws IllegalArgumentException if a scored target is outside {@code [0, V)}
     */
    static void checkTargets(Batch batch, int v) {
        int[] targets = batch.targets();
        byte[] mask = batch.lossMask();
        for (int r = 0; r < targets.length; r++) {
            if (mask[r] != 0 && (targets[r] < 0 || targets[r] >= v)) {
                throw new IllegalArgumentException("target " + targets[r] + " at [" + r / batch.seqLen() + ", "
                        + r % batch.seqLen() + "] is outside the vocabulary [0, " + v + ")");
            }
        }
    }
}
