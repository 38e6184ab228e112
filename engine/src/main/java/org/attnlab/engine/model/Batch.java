package org.attnlab.engine.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One batch in the engine's format (spec: docs/engine.md, "Batch"): integer tokens, integer
 * targets ({@code -1} where unscored) and a 0/1 loss mask, all of shape {@code [B, T]},
 * stored row-major ({@code index = b * T + t}).
 *
 * @param batchSize B, at least 1
 * @param seqLen    T, at least 1
 * @param tokens    {@code [B*T]} token ids in {@code [0, d_vocab)}
 * @param targets   {@code [B*T]} target ids, {@code -1} where a position is not scored
 * @param lossMask  {@code [B*T]} 1 where the position counts in the loss, else 0
 */
public record Batch(int batchSize, int seqLen, int[] tokens, int[] targets, byte[] lossMask) {

    /**
     * @throws IllegalArgumentException if a dimension is below 1, an array length is not
     *     {@code B*T}, or a masked-in position has a negative target
     */
    public Batch {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(lossMask, "lossMask");
        if (batchSize < 1 || seqLen < 1) {
            throw new IllegalArgumentException("batch shape must be at least [1, 1], got ["
                    + batchSize + ", " + seqLen + "]");
        }
        int n = batchSize * seqLen;
        if (tokens.length != n || targets.length != n || lossMask.length != n) {
            throw new IllegalArgumentException("tokens, targets and loss_mask must each hold B*T = "
                    + n + " entries, got " + tokens.length + ", " + targets.length + ", " + lossMask.length);
        }
        for (int i = 0; i < n; i++) {
            if (lossMask[i] != 0 && targets[i] < 0) {
                throw new IllegalArgumentException("loss_mask is 1 at [" + i / seqLen + ", " + i % seqLen
                        + "] but targets there is " + targets[i]);
            }
        }
    }

    /** @return the token at {@code [b, t]} */
    public int token(int b, int t) {
        return tokens[b * seqLen + t];
    }

    /** @return the target at {@code [b, t]}, {@code -1} if unscored */
    public int target(int b, int t) {
        return targets[b * seqLen + t];
    }

    /** @return whether {@code [b, t]} counts in the loss */
    public boolean scored(int b, int t) {
        return lossMask[b * seqLen + t] != 0;
    }

    /** @return the number of positions that count in the loss */
    public int scoredCount() {
        int c = 0;
        for (byte m : lossMask) {
            c += m != 0 ? 1 : 0;
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch other && batchSize == other.batchSize && seqLen == other.seqLen
                && Arrays.equals(tokens, other.tokens) && Arrays.equals(targets, other.targets)
                && Arrays.equals(lossMask, other.lossMask);
    }

    @Override
    public int hashCode() {
        return Objects.hash(batchSize, seqLen, Arrays.hashCode(tokens), Arrays.hashCode(targets),
                Arrays.hashCode(lossMask));
    }

    @Override
    public String toString() {
        return "Batch[B=" + batchSize + ", T=" + seqLen + "]";
    }
}
