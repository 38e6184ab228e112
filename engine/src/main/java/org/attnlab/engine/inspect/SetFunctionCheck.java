package org.attnlab.engine.inspect;

import java.util.SplittableRandom;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.transformer.Transformer;
import org.ejml.data.DMatrixRMaj;

/**
 * Without positional information a bidirectional transformer is a set function: attention,
 * LayerNorm and MLPs treat positions alike, so permuting the input tokens permutes the outputs
 * the same way (permutation equivariance; Lee et al. 2019, "Set Transformer"; Yun et al. 2020).
 * This runs the engine on a sequence and on a permutation of it and measures how far the outputs
 * are from commuting with the permutation. A causal mask or any positional encoding breaks it.
 */
public final class SetFunctionCheck {
    /**
     * @param permutation  {@code perm}: the permuted input is {@code tokens[perm[i]]} at position i
     * @param permuted     the permuted tokens
     * @param logits       {@code [T][V]} the outputs on the original sequence
     * @param permutedLogits {@code [T][V]} the outputs on the permuted sequence
     * @param maxDeviation {@code max_{i,v} |permutedLogits[i][v] - logits[perm[i]][v]|}
     * @param equivariant  whether the deviation is at rounding level ({@code <= 1e-9 (1 + max |logit|)})
     */
    public record Result(int[] permutation, int[] permuted, double[][] logits, double[][] permutedLogits,
                         double maxDeviation, boolean equivariant) {
    }

    private SetFunctionCheck() {
    }

    /** @return whether a model of configuration {@code c} can tell positions apart (a positional encoding or causal attention) */
    public static boolean seesPositions(TransformerConfig c) {
        return c.positionalEmbeddingType() != TransformerConfig.PositionalEmbedding.NONE || c.causal();
    }

    /**
     * @param p the parameters
     * @return a copy of the model without positional encoding and with bidirectional attention:
     *     every other parameter is copied by name (W_pos is dropped); a set function by construction
     */
    public static Parameters positionFreeCopy(Parameters p) {
        TransformerConfig c = p.config().toBuilder()
                .positionalEmbeddingType(TransformerConfig.PositionalEmbedding.NONE)
                .attentionDir(TransformerConfig.AttentionDir.BIDIRECTIONAL).build();
        Parameters out = new Parameters(c);
        for (Param q : out.all()) {
            System.arraycopy(p.m(q.name()).data, 0, q.value().data, 0, q.size());
        }
        return out;
    }

    /**
     * @param t    length, at least 1
     * @param seed the shuffle's seed
     * @return a random permutation of {@code [0, t)} that moves at least one element when t &gt; 1
     */
    public static int[] shuffle(int t, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] perm = new int[t];
        for (int i = 0; i < t; i++) {
            perm[i] = i;
        }
        boolean identity = true;
        while (identity && t > 1) {
            for (int i = t - 1; i > 0; i--) {                // Fisher-Yates
                int j = rng.nextInt(i + 1), tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
            identity = true;
            for (int i = 0; i < t; i++) {
                identity &= perm[i] == i;
            }
        }
        return perm;
    }

    /**
     * Runs the engine on {@code tokens} and on {@code tokens[perm[i]]} and compares.
     *
     * @param p      the parameters
     * @param tokens T token ids
     * @param perm   a permutation of {@code [0, T)}
     * @return both outputs and how far they are from commuting with the permutation
     * @throws IllegalArgumentException if {@code perm} is not a permutation of [0, T), or as {@code Transformer.forward}
     */
    public static Result check(Parameters p, int[] tokens, int[] perm) {
        int t = tokens.length;
        boolean[] seen = new boolean[t];
        if (perm.length != t) {
            throw new IllegalArgumentException("the permutation has " + perm.length + " entries, the sequence " + t);
        }
        for (int k : perm) {
            if (k < 0 || k >= t || seen[k]) {
                throw new IllegalArgumentException("not a permutation of [0, " + t + "): " + java.util.Arrays.toString(perm));
            }
            seen[k] = true;
        }
        int[] permuted = new int[t];
        for (int i = 0; i < t; i++) {
            permuted[i] = tokens[perm[i]];
        }
        Transformer model = new Transformer(p);
        double[][] a = rows(model.forward(tokens, 1, t, null));
        double[][] b = rows(model.forward(permuted, 1, t, null));
        double dev = 0, scale = 0;
        for (int i = 0; i < t; i++) {
            for (int v = 0; v < a[i].length; v++) {
                dev = Math.max(dev, Math.abs(b[i][v] - a[perm[i]][v]));
                scale = Math.max(scale, Math.abs(a[i][v]));
            }
        }
        return new Result(perm.clone(), permuted, a, b, dev, dev <= 1e-9 * (1 + scale));
    }

    private static double[][] rows(DMatrixRMaj m) {
        double[][] out = new double[m.numRows][m.numCols];
        for (int r = 0; r < m.numRows; r++) {
            System.arraycopy(m.data, r * m.numCols, out[r], 0, m.numCols);
        }
        return out;
    }
}
