package org.attnlab.engine.compute;

import org.attnlab.engine.model.Batch;
import org.ejml.data.DMatrixRMaj;

/**
 * The loss rows of the fast path: masked cross-entropy (docs/engine.md, "Loss and optimizer")
 * of some rows of a batch and its gradient.
 */
public final class LossRows {
    private LossRows() {
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
    public static double lossSum(DMatrixRMaj logits, Batch batch, int rowOff, int count, DMatrixRMaj dLogits) { //@f32: static double lossSum(FMatrixRMaj logits, Batch batch, int rowOff, int count, FMatrixRMaj dLogits) {
        int n = logits.numRows, v = logits.numCols;
        if (dLogits != null) {
            dLogits.reshape(n, v);
            dLogits.zero();
        }
        double total = 0; //@keep
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
