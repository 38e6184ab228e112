package org.attnlab.engine.intervene;

import java.util.List;
import java.util.SplittableRandom;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.model.TransformerConfig.AttentionDir;
import org.attnlab.engine.attention.AttentionKernels;
import org.attnlab.engine.model.TransformerConfig.LnPlacement;
import org.attnlab.engine.model.TransformerConfig.Normalization;
import org.attnlab.engine.model.TransformerConfig.PositionalEmbedding;

/** Random models of the engine's variants, every parameter (LayerNorm included) drawn N(0, 0.5^2) around its init. */
public final class TestModels {
    private TestModels() {
    }

    /** @return configurations covering pre/post/no LN, causal/bidirectional, softmax/linear, rotary/ALiBi, attn-only */
    public static List<TransformerConfig> variants(int vocab, int ctx) {
        return List.of(
                TransformerConfig.builder(vocab, ctx, 12, 3, 3).build(),
                TransformerConfig.builder(vocab, ctx, 8, 2, 2).lnPlacement(LnPlacement.POST)
                        .attentionDir(AttentionDir.BIDIRECTIONAL).positionalEmbeddingType(PositionalEmbedding.SINUSOIDAL).build(),
                TransformerConfig.builder(vocab, ctx, 16, 4, 2).attnOnly(true)
                        .positionalEmbeddingType(PositionalEmbedding.ROTARY).build(),
                TransformerConfig.builder(vocab, ctx, 8, 2, 2).positionalEmbeddingType(PositionalEmbedding.ALIBI)
                        .normalizationType(Normalization.NONE).build(),
                TransformerConfig.builder(vocab, ctx, 12, 2, 2).attentionType(AttentionKernels.LINEAR).build());
    }

    /** @return parameters of {@code c} drawn at random from {@code seed} */
    public static Parameters random(TransformerConfig c, long seed) {
        Parameters p = new Parameters(c);
        SplittableRandom rng = new SplittableRandom(seed);
        for (Param x : p.all()) {
            double[] d = x.value().data;
            boolean lnScale = x.name().endsWith(".w") && x.name().contains("ln");
            for (int i = 0; i < x.size(); i++) {
                d[i] = (lnScale ? 1 : 0) + 0.5 * rng.nextGaussian();
            }
        }
        return p;
    }

    /** @return T random tokens below {@code vocab} */
    public static int[] tokens(int vocab, int t, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] out = new int[t];
        for (int i = 0; i < t; i++) {
            out[i] = rng.nextInt(vocab);
        }
        return out;
    }

    /**
     * {@code out[t, :] += scale * z[t, h, :] @ W_O[h]} for one sequence.
     *
     * @param z   [T, H, E] of one sequence (offset {@code zOff})
     * @param wO  W_O in file order [H, E, D]
     * @param out [T, D] (offset {@code outOff})
     */
    static void addHead(double[] out, int outOff, double[] z, int zOff, double[] wO, int t, int heads, int e, int d,
                        int h, double scale) {
        for (int i = 0; i < t; i++) {
            for (int c = 0; c < d; c++) {
                double s = 0;
                for (int k = 0; k < e; k++) {
                    s += z[zOff + (i * heads + h) * e + k] * wO[(h * e + k) * d + c];
                }
                out[outOff + i * d + c] += scale * s;
            }
        }
    }
}
