package org.attnlab.engine.inspect;

import org.attnlab.engine.attention.AttentionKernels;
import org.attnlab.engine.attention.ReferenceAttention;
import org.attnlab.engine.attention.ReferenceMath;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.PositionalEncodings;
import org.attnlab.engine.model.TransformerConfig;

/**
 * A second, deliberately plain forward pass of docs/engine.md for one sequence: scalar loops over
 * {@code double[]}, every intermediate kept, no packing, no threads, no hooks. The attention
 * sublayer is the configuration's attention kernel's own reference
 * ({@code AttentionKernel.reference}). The step-through shows its numbers; tests check them
 * against the engine's cached activations, so the two implementations check each other.
 *
 * <p>Shapes: T positions, D = d_model, H heads, E = d_head, M = d_mlp, V = d_vocab, L layers.
 */
final class ReferenceForward {
    final TransformerConfig c;
    final int t;
    final double[][] embed;               // [T][D]
    final double[][] pos;                 // [T][D] or null (rotary, alibi, none)
    final Layer[] layers;                 // [L]
    final double[][] finalResid;          // [T][D] last block's resid_post
    final double[][] normalized;          // [T][D] ln_final output, or null
    final double[][] logits;              // [T][V]

    /** Everything one block computes. */
    static final class Layer {
        ReferenceAttention attention;      // the attention kernel's reference of this layer
        double[][] residPre, aIn;          // [T][D]
        double[][][] q, k, v;              // [H][T][E] (q, k after rotary)
        double[][][] dots;                 // [H][T][T] q.k (linear attention: phi(q).phi(k)), all j
        double[][][] scores;               // [H][T][T] scaled, biased, masked (-inf); null without hook_attn_scores
        double[][][] pattern;              // [H][T][T]
        double[][][] z;                    // [H][T][E]
        double[][][] headOut;              // [H][T][D] z_h W_O[h]
        double[][] attnOut, residMid;      // [T][D]
        double[][] mIn, mlpPre, mlpPost;   // [T][D], [T][M], [T][M]
        double[][] mlpOut, residPost;      // [T][D]
    }

    /**
     * @param p      the parameters
     * @param tokens the sequence, T &lt;= n_ctx token ids
     * @throws IllegalArgumentException if the sequence is empty, too long or has a token out of range
     */
    ReferenceForward(Parameters p, int[] tokens) {
        this.c = p.config();
        this.t = tokens.length;
        if (t < 1 || t > c.nCtx()) {
            throw new IllegalArgumentException("sequence length " + t + " must be in [1, n_ctx = " + c.nCtx() + "]");
        }
        int d = c.dModel();
        embed = new double[t][];
        for (int i = 0; i < t; i++) {
            if (tokens[i] < 0 || tokens[i] >= c.dVocab()) {
                throw new IllegalArgumentException("token " + tokens[i] + " at " + i + " is outside [0, d_vocab)");
            }
            embed[i] = ReferenceMath.matrixRow(p, "embed.W_E", tokens[i]);
        }
        pos = positions(p, t);
        double[][] x = new double[t][];
        for (int i = 0; i < t; i++) {
            x[i] = pos == null ? embed[i].clone() : ReferenceMath.add(embed[i], pos[i]);
        }
        layers = new Layer[c.nLayers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = block(p, l, x);
            x = layers[l].residPost;
        }
        finalResid = x;
        normalized = c.hasFinalLayerNorm() ? new double[t][] : null;
        logits = new double[t][];
        for (int i = 0; i < t; i++) {
            double[] y = x[i];
            if (normalized != null) {
                normalized[i] = ReferenceMath.layerNorm(x[i], p, "ln_final");
                y = normalized[i];
            }
            logits[i] = ReferenceMath.affine(y, p, "unembed.W_U", "unembed.b_U");
        }
        assert d == x[0].length;
    }

    /** @return the attention sublayer of layer {@code l}, as the attention kernel's reference computed it */
    ReferenceAttention attention(int l) {
        return layers[l].attention;
    }

    /** @return the [T][D] positional embedding that is added to the token embedding, or null */
    static double[][] positions(Parameters p, int t) {
        TransformerConfig c = p.config();
        int d = c.dModel();
        double[] table = switch (c.positionalEmbeddingType()) {
            case STANDARD -> p.get("pos_embed.W_pos").toFileOrder();
            case SINUSOIDAL -> PositionalEncodings.sinusoidalTable(c.nCtx(), d);
            default -> null;
        };
        if (table == null) {
            return null;
        }
        double[][] out = new double[t][d];
        for (int i = 0; i < t; i++) {
            System.arraycopy(table, i * d, out[i], 0, d);
        }
        return out;
    }

    private Layer block(Parameters p, int l, double[][] x) {
        String pre = p.blockPrefix(l);
        boolean ln = c.hasLayerNorm(), post = c.lnPlacement() == TransformerConfig.LnPlacement.POST;
        Layer y = new Layer();
        y.residPre = x;
        y.aIn = new double[t][];
        for (int i = 0; i < t; i++) {
            y.aIn[i] = ln && !post ? ReferenceMath.layerNorm(x[i], p, pre + "ln1") : x[i];
        }
        ReferenceAttention a = AttentionKernels.of(c).reference(p, l, y.aIn);
        y.attention = a;
        y.q = a.q();
        y.k = a.k();
        y.v = a.v();
        y.dots = a.dots();
        y.scores = a.scores();
        y.pattern = a.pattern();
        y.z = a.z();
        y.headOut = a.headOut();
        y.attnOut = a.out();
        y.residMid = new double[t][];
        for (int i = 0; i < t; i++) {
            double[] s = ReferenceMath.add(x[i], y.attnOut[i]);
            y.residMid[i] = ln && post ? ReferenceMath.layerNorm(s, p, pre + "ln1") : s;
        }
        if (c.attnOnly()) {
            y.residPost = y.residMid;
            return y;
        }
        y.mIn = new double[t][];
        y.mlpPre = new double[t][];
        y.mlpPost = new double[t][];
        y.mlpOut = new double[t][];
        y.residPost = new double[t][];
        for (int i = 0; i < t; i++) {
            y.mIn[i] = ln && !post ? ReferenceMath.layerNorm(y.residMid[i], p, pre + "ln2") : y.residMid[i];
            y.mlpPre[i] = ReferenceMath.affine(y.mIn[i], p, pre + "mlp.W_in", pre + "mlp.b_in");
            y.mlpPost[i] = new double[y.mlpPre[i].length];
            for (int k = 0; k < y.mlpPre[i].length; k++) {
                y.mlpPost[i][k] = act(y.mlpPre[i][k]);
            }
            y.mlpOut[i] = ReferenceMath.affine(y.mlpPost[i], p, pre + "mlp.W_out", pre + "mlp.b_out");
            double[] s = ReferenceMath.add(y.residMid[i], y.mlpOut[i]);
            y.residPost[i] = ln && post ? ReferenceMath.layerNorm(s, p, pre + "ln2") : s;
        }
        return y;
    }

    /** gelu_new {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))} or relu. */
    double act(double x) {
        if (c.actFn() == TransformerConfig.ActFn.RELU) {
            return Math.max(0, x);
        }
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }
}
