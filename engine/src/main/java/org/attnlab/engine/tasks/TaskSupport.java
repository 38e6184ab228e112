package org.attnlab.engine.tasks;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.attnlab.engine.model.Batch;

/** Helpers shared by the tasks: argument checks, argmax and log-softmax over logits, shuffling. */
final class TaskSupport {

    private TaskSupport() {
    }

    /** @throws IllegalArgumentException naming {@code batchSize} if it is below 1 */
    static void checkBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
    }

    /**
     * Checks that {@code batch} has the task's T and {@code logits} is {@code [B, T, V]} with
     * {@code V >= vocabSize}.
     */
    static void checkLogits(Task task, Batch batch, double[] logits, int dVocab) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(logits, "logits");
        if (batch.seqLen() != task.seqLen()) {
            throw new IllegalArgumentException("batch has T = " + batch.seqLen() + " but task '" + task.name()
                    + "' makes T = " + task.seqLen());
        }
        int vocabSize = task.vocabulary().size();
        if (dVocab < vocabSize) {
            throw new IllegalArgumentException("dVocab = " + dVocab + " is smaller than the task's vocabulary ("
                    + vocabSize + " tokens)");
        }
        long expected = (long) batch.batchSize() * batch.seqLen() * dVocab;
        if (logits.length != expected) {
            throw new IllegalArgumentException("logits must be [B, T, V] = [" + batch.batchSize() + ", "
                    + batch.seqLen() + ", " + dVocab + "] = " + expected + " values, got " + logits.length);
        }
    }

    /** @return the argmax over {@code logits[i*V, (i+1)*V)}, the first index on ties; i = b*T + t */
    static int argmax(double[] logits, int i, int dVocab) {
        int base = i * dVocab;
        int best = 0;
        for (int v = 1; v < dVocab; v++) {
            if (logits[base + v] > logits[base + best]) {
                best = v;
            }
        }
        return best;
    }

    /** @return {@code -log softmax(logits[i*V, (i+1)*V))[target]}, computed stably; i = b*T + t */
    static double nll(double[] logits, int i, int dVocab, int target) {
        int base = i * dVocab;
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < dVocab; v++) {
            max = Math.max(max, logits[base + v]);
        }
        double sum = 0;
        for (int v = 0; v < dVocab; v++) {
            sum += Math.exp(logits[base + v] - max);
        }
        return Math.log(sum) + max - logits[base + target];
    }

    /** @return {@code sum / count}, or NaN if {@code count == 0} */
    static double mean(double sum, long count) {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Shuffles {@code a} uniformly in place (Fisher-Yates), drawing {@code rng.nextInt}. */
    static void shuffle(int[] a, RandomGenerator rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }

    /** @return {@code k} distinct values of {@code [0, n)} in uniformly random order (partial Fisher-Yates) */
    static int[] distinct(int k, int n, RandomGenerator rng) {
        int[] pool = new int[n];
        for (int i = 0; i < n; i++) {
            pool[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int tmp = pool[i];
            pool[i] = pool[j];
            pool[j] = tmp;
        }
        return Arrays.copyOf(pool, k);
    }

    /** @return the value if it lies in {@code [min, max]}, else throws naming the parameter */
    static int checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /** @return the value if it lies in {@code [min, max]}, else throws naming the parameter */
    static double checkRange(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }
}
