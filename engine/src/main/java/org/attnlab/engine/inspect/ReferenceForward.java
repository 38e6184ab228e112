package org.attnlab.engine.inspect;

import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.PositionalEncodings;
import org.attnlab.engine.model.TransformerConfig;

/**
 * A second, deliberately plain forward pass of engine.md for one sequence: scalar loops over
 * {@code double[]}, every intermediate kept, no packing, no threads, no hooks. The step-through
 * shows its numbers; tests check them against the engine's cached activations, so the two
 * implementations check each other.
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
        double[][] residPre, aIn;          // [T][D]
        double[][][] q, k, v;              // [H][T][E] (q, k after rotary)
        double[][][] dots;                 // [H][T][T] q.k (linear attention: phi(q).phi(k)), all j
        double[][][] scores;               // [H][T][T] softmax: scaled, biased, masked (-inf); null when linear
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
            embed[i] = Weights.matrixRow(p, "embed.W_E", tokens[i]);
        }
        pos = positions(p, t);
        double[][] x = new double[t][];
        for (int i = 0; i < t; i++) {
            x[i] = pos == null ? embed[i].clone() : Weights.add(embed[i], pos[i]);
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
                normalized[i] = Weights.layerNorm(x[i], p, "ln_final");
                y = normalized[i];
            }
            logits[i] = Weights.affine(y, p, "unembed.W_U", "unembed.b_U");
        }
        assert d == x[0].length;
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
        String pre = "blocks." + l + ".";
        boolean ln = c.hasLayerNorm(), post = c.lnPlacement() == TransformerConfig.LnPlacement.POST;
        int h = c.nHeads(), e = c.dHead();
        Layer y = new Layer();
        y.residPre = x;
        y.aIn = new double[t][];
        for (int i = 0; i < t; i++) {
            y.aIn[i] = ln && !post ? Weights.layerNorm(x[i], p, pre + "ln1") : x[i];
        }
        y.q = new double[h][t][];
        y.k = new double[h][t][];
        y.v = new double[h][t][];
        y.dots = new double[h][t][t];
        boolean linear = c.attentionType() == TransformerConfig.AttentionType.LINEAR;
        y.scores = linear ? null : new double[h][t][t];
        y.pattern = new double[h][t][];
        y.z = new double[h][t][];
        y.headOut = new double[h][t][];
        double[] bO = Weights.vector(p, pre + "attn.b_O");
        y.attnOut = new double[t][];
        for (int i = 0; i < t; i++) {
            y.attnOut[i] = bO.clone();
        }
        for (int hh = 0; hh < h; hh++) {
            double[][] wq = Weights.headIn(p, pre + "attn.W_Q", hh), wk = Weights.headIn(p, pre + "attn.W_K", hh),
                    wv = Weights.headIn(p, pre + "attn.W_V", hh), wo = Weights.headOut(p, pre + "attn.W_O", hh);
            double[] bq = Weights.headBias(p, pre + "attn.b_Q", hh), bk = Weights.headBias(p, pre + "attn.b_K", hh),
                    bv = Weights.headBias(p, pre + "attn.b_V", hh);
            for (int i = 0; i < t; i++) {
                y.q[hh][i] = rope(Weights.add(Weights.times(y.aIn[i], wq), bq), i);
                y.k[hh][i] = rope(Weights.add(Weights.times(y.aIn[i], wk), bk), i);
                y.v[hh][i] = Weights.add(Weights.times(y.aIn[i], wv), bv);
            }
            double slope = c.positionalEmbeddingType() == TransformerConfig.PositionalEmbedding.ALIBI
                    ? PositionalEncodings.alibiSlope(hh, h) : 0;
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < t; j++) {
                    y.dots[hh][i][j] = linear ? Weights.dot(phi(y.q[hh][i]), phi(y.k[hh][j]))
                            : Weights.dot(y.q[hh][i], y.k[hh][j]);
                }
                if (linear) {
                    double[] sim = y.dots[hh][i].clone();
                    double sum = 0;
                    for (int j = 0; j < t; j++) {
                        sim[j] = c.causal() && j > i ? 0 : sim[j];
                        sum += sim[j];
                    }
                    for (int j = 0; j < t; j++) {
                        sim[j] /= sum;
                    }
                    y.pattern[hh][i] = sim;
                } else {
                    for (int j = 0; j < t; j++) {
                        y.scores[hh][i][j] = c.causal() && j > i ? Double.NEGATIVE_INFINITY
                                : y.dots[hh][i][j] / Math.sqrt(e) - slope * Math.abs(i - j);
                    }
                    y.pattern[hh][i] = Weights.softmax(y.scores[hh][i]);
                }
                double[] zi = new double[e];
                for (int j = 0; j < t; j++) {
                    for (int k = 0; k < e; k++) {
                        zi[k] += y.pattern[hh][i][j] * y.v[hh][j][k];
                    }
                }
                y.z[hh][i] = zi;
                y.headOut[hh][i] = Weights.times(zi, wo);
                y.attnOut[i] = Weights.add(y.attnOut[i], y.headOut[hh][i]);
            }
        }
        y.residMid = new double[t][];
        for (int i = 0; i < t; i++) {
            double[] s = Weights.add(x[i], y.attnOut[i]);
            y.residMid[i] = ln && post ? Weights.layerNorm(s, p, pre + "ln1") : s;
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
            y.mIn[i] = ln && !post ? Weights.layerNorm(y.residMid[i], p, pre + "ln2") : y.residMid[i];
            y.mlpPre[i] = Weights.affine(y.mIn[i], p, pre + "mlp.W_in", pre + "mlp.b_in");
            y.mlpPost[i] = new double[y.mlpPre[i].length];
            for (int k = 0; k < y.mlpPre[i].length; k++) {
                y.mlpPost[i][k] = act(y.mlpPre[i][k]);
            }
            y.mlpOut[i] = Weights.affine(y.mlpPost[i], p, pre + "mlp.W_out", pre + "mlp.b_out");
            double[] s = Weights.add(y.residMid[i], y.mlpOut[i]);
            y.residPost[i] = ln && post ? Weights.layerNorm(s, p, pre + "ln2") : s;
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

    /** Rotary embedding (Su et al. 2021, rotate-half) of a q or k at position {@code i}; identity otherwise. */
    double[] rope(double[] x, int i) {
        if (c.positionalEmbeddingType() != TransformerConfig.PositionalEmbedding.ROTARY) {
            return x;
        }
        int half = x.length / 2;
        double[] out = x.clone();
        for (int j = 0; j < half; j++) {
            double a = i * PositionalEncodings.rotaryTheta(c.rotaryBase(), j, x.length);
            out[j] = x[j] * Math.cos(a) - x[j + half] * Math.sin(a);
            out[j + half] = x[j + half] * Math.cos(a) + x[j] * Math.sin(a);
        }
        return out;
    }

    /** phi(x) = elu(x) + 1 (Katharopoulos et al. 2020). */
    static double[] phi(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] > 0 ? x[i] + 1 : Math.exp(x[i]);
        }
        return out;
    }
}
