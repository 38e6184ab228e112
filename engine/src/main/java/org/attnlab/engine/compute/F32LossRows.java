// GENERATED from LossRows.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

import org.attnlab.engine.model.Batch;
import org.ejml.data.FMatrixRMaj;

/**
 * The loss rows of the fast path: masked cross-entropy (docs/engine.md, "Loss and optimizer")
 * of some rows of a batch and its gradient.
 */
public final class F32LossRows {
    private F32LossRows() {
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
    static double lossSum(FMatrixRMaj logits, Batch batch, int rowOff, int count, FMatrixRMaj dLogits) {
        int n = logits.numRows, v = logits.numCols;
        if (dLogits != null) {
            dLogits.reshape(n, v);
            dLogits.zero();
        }
        double total = 0;
        float[] ld = logits.data;
        byte[] mask = batch.lossMask();
        int[] targets = batch.targets();
        for (int r = 0; r < n; r++) {
            if (mask[rowOff + r] == 0) {
                continue;
            }
            int target = targets[rowOff + r];
            int off = r * v;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) {
                max = Math.max(max, ld[off + j]);
            }
            float sum = 0;
            for (int j = 0; j < v; j++) {
                sum += (float) Math.exp(ld[off + j] - max);
            }
            float logZ = max + (float) Math.log(sum);
            total += logZ - ld[off + target];
            if (dLogits != null) {
                for (int j = 0; j < v; j++) {
                    dLogits.data[off + j] = (float) Math.exp(ld[off + j] - logZ) / count;
                }
                dLogits.data[off + target] -= 1.0f / count;
            }
        }
        return total;
    }
}
