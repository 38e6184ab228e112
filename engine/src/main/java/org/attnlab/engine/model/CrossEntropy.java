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
        int count = batch.scoredCount();
        if (count == 0) {
            throw new IllegalArgumentException("the batch has no scored positions (loss_mask is all 0)");
        }
        checkTargets(batch, logits.numCols);
        return lossSum(logits, batch, 0, count, dLogits) / count;
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

    /**
     * The unnormalized loss of rows {@code [rowOff, rowOff + logits.numRows)} of a batch:
     * {@code sum over scored rows of (logZ - logit[target])}; targets already checked.
     *
     * @param logits  (R, V) the logits of those rows
     * @param count   the number of scored positions in the whole batch (the loss's divisor)
     * @param dLogits (R, V) overwritten with d loss / d logits of those rows, or {@code null}
     * @return the sum (divide by {@code count} for the loss)
     */
    static double lossSum(DMatrixRMaj logits, Batch batch, int rowOff, int count, DMatrixRMaj dLogits) {
        int n = logits.numRows, v = logits.numCols;
        if (dLogits != null) {
            dLogits.reshape(n, v);
            dLogits.zero();
        }
        double total = 0;
        double[] ld = logits.data;
        byte[] mask = batch.lossMask();
        int[] targets = batch.targets();
        for (int r = 0; r < n; r++) {
            if (mask[rowOff + r] == 0) {
                continue;
            }
            int target = targets[rowOff + r];
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
        return total;
    }
}
