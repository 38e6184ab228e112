package org.attnlab.engine.intervene;

/**
 * The mean of every layer's {@code hook_z} over a reference batch, per position:
 * {@code mean[l][(t*H + h)*E + e]} (the {@code [T, H, E]} layout of one sequence's z). Made by
 * {@link HeadAblation#meanZ}. Positions at or beyond the reference's T (a longer typed probe)
 * use the mean over all positions.
 *
 * @param seqLen T of the reference batch
 * @param heads  H
 * @param dHead  E
 * @param mean   {@code [L][T*H*E]}; do not modify
 */
public record MeanActivations(int seqLen, int heads, int dHead, double[][] mean) {
    /** @return the mean of z at layer l, position t, head h, component e */
    public double value(int l, int t, int h, int e) {
        if (t < seqLen) {
            return mean[l][(t * heads + h) * dHead + e];
        }
        double s = 0;
        for (int p = 0; p < seqLen; p++) {
            s += mean[l][(p * heads + h) * dHead + e];
        }
        return s / seqLen;
    }
}
