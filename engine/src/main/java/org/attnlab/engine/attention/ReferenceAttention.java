package org.attnlab.engine.attention;

/**
 * Every intermediate of one attention sublayer on one sequence, from an attention kernel's
 * plain-loop reference forward ({@link AttentionKernel#reference}). Arrays are fresh and belong
 * to the caller. Shapes: H heads, T positions, E d_head, D d_model.
 *
 * @param q       [H][T][E] queries (after rotary)
 * @param k       [H][T][E] keys (after rotary)
 * @param v       [H][T][E] values
 * @param dots    [H][T][T] the raw dot products the pattern is built from, every j (linear
 *                attention: phi(q).phi(k))
 * @param scores  [H][T][T] scaled, biased, masked scores (-inf where masked), or {@code null} for
 *                a type without {@code hook_attn_scores}
 * @param pattern [H][T][T] the attention pattern
 * @param z       [H][T][E] each head's output before W_O
 * @param headOut [H][T][D] {@code z_h W_O[h]}
 * @param out     [T][D] the sublayer's output, {@code sum_h headOut[h] + b_O}
 */
public record ReferenceAttention(double[][][] q, double[][][] k, double[][][] v, double[][][] dots,
                                 double[][][] scores, double[][][] pattern, double[][][] z, double[][][] headOut,
                                 double[][] out) {
}
