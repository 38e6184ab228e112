package org.attnlab.engine.model;

import org.ejml.data.DMatrixRMaj;

/**
 * The forward and backward pass over one slice of a batch (some whole sequences), with all the
 * buffers that needs: a {@link Transformer} splits a batch across shards, one per thread, and
 * every shard owns its activations, its {@link MatMul} workspace and, except shard 0, its own
 * gradient accumulators. Sequences never interact in a transformer, so a shard's work depends
 * only on its slice.
 *
 * <p>Shape letters: B (this slice's batch), T, D = d_model, V = d_vocab, N = B*T.
 */
final class Shard {
    private final TransformerConfig config;
    private final Parameters params;
    private final PositionalEncodings pos;
    final MatMul mm = new MatMul();
    final Block[] blocks;
    private final LayerNorm lnFinal;
    private final DMatrixRMaj wE, wPos, lnfW, lnfB, wU, bU;

    final DMatrixRMaj embed = new DMatrixRMaj(1, 1);      // (N, D) hook_embed
    final DMatrixRMaj posEmbed = new DMatrixRMaj(1, 1);   // (N, D) hook_pos_embed
    final DMatrixRMaj resid0 = new DMatrixRMaj(1, 1);     // (N, D) embed + pos
    final DMatrixRMaj normalized = new DMatrixRMaj(1, 1); // (N, D) ln_final.hook_normalized
    final DMatrixRMaj logits = new DMatrixRMaj(1, 1);     // (N, V)
    final DMatrixRMaj dLogits = new DMatrixRMaj(1, 1);    // (N, V)
    private final DMatrixRMaj dA = new DMatrixRMaj(1, 1), dB = new DMatrixRMaj(1, 1);
    private int[] tokens = new int[0];
    private int batch, seq;

    /** Gradients of this shard's slice (shards other than 0), created on first use. */
    private Parameters ownGrads;
    /** The sum over this slice's scored positions of -log p(target), set by the training step. */
    double lossSum;

    private Parameters gOf;
    private DMatrixRMaj gWE, gWPos, gLnfW, gLnfB, gWU, gBU;

    Shard(Parameters params, PositionalEncodings pos) {
        this.params = params;
        this.config = params.config();
        this.pos = pos;
        this.blocks = new Block[config.nLayers()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = new Block(l, config, pos, params, mm);
        }
        this.lnFinal = config.hasFinalLayerNorm() ? new LayerNorm(config.eps()) : null;
        this.wE = params.m("embed.W_E");
        this.wPos = standardPositions() ? params.m("pos_embed.W_pos") : null;
        this.lnfW = lnFinal != null ? params.m("ln_final.w") : null;
        this.lnfB = lnFinal != null ? params.m("ln_final.b") : null;
        this.wU = params.m("unembed.W_U");
        this.bU = params.m("unembed.b_U");
    }

    private boolean standardPositions() {
        return config.positionalEmbeddingType() == TransformerConfig.PositionalEmbedding.STANDARD;
    }

    /** @return this shard's own gradient accumulators (zero-filled when created) */
    Parameters ownGrads() {
        if (ownGrads == null) {
            ownGrads = new Parameters(config);
        }
        return ownGrads;
    }

    /**
     * Forward pass over sequences {@code toks[off .. off + b*t)} into {@link #logits}.
     *
     * @param toks row-major [.., T] token ids, already validated
     */
    void forward(int[] toks, int off, int b, int t, HookSite hooks) {
        int n = b * t, d = config.dModel();
        this.batch = b;
        this.seq = t;
        if (tokens.length < n) {
            tokens = new int[n];
        }
        System.arraycopy(toks, off, tokens, 0, n);
        embed.reshape(n, d);
        resid0.reshape(n, d);
        double[] we = wE.data;
        for (int r = 0; r < n; r++) {
            System.arraycopy(we, tokens[r] * d, embed.data, r * d, d);  // hook_embed = W_E[tokens]
        }
        hooks.fire("hook_embed", embed);
        double[] pe = switch (config.positionalEmbeddingType()) {
            case STANDARD -> wPos.data;
            case SINUSOIDAL -> pos.sinusoidal();
            default -> null;
        };
        if (pe != null) {
            posEmbed.reshape(n, d);
            for (int r = 0; r < n; r++) {
                System.arraycopy(pe, (r % t) * d, posEmbed.data, r * d, d);  // W_pos[:T] per batch row
            }
            hooks.fire("hook_pos_embed", posEmbed);
            double[] e = embed.data, p = posEmbed.data, x = resid0.data;
            for (int i = 0; i < n * d; i++) {
                x[i] = e[i] + p[i];
            }
        } else {
            resid0.setTo(embed);
        }
        DMatrixRMaj x = resid0;
        for (Block blk : blocks) {
            blk.forward(x, b, t, hooks);
            x = blk.residPost;
        }
        if (lnFinal != null) {
            lnFinal.forward(x, lnfW, lnfB, normalized);
            hooks.fire("ln_final.hook_normalized", normalized);
            x = normalized;
        }
        Linear.forward(mm, x, wU, bU, logits);                        // (N, V) logits = x W_U + b_U
    }

    private void resolveGrads(Parameters g) {
        if (g == gOf) {
            return;
        }
        gWE = g.m("embed.W_E");
        gWPos = standardPositions() ? g.m("pos_embed.W_pos") : null;
        gLnfW = lnFinal != null ? g.m("ln_final.w") : null;
        gLnfB = lnFinal != null ? g.m("ln_final.b") : null;
        gWU = g.m("unembed.W_U");
        gBU = g.m("unembed.b_U");
        gOf = g;
    }

    /**
     * Backward pass from d loss / d logits through the last forward pass, accumulating into
     * {@code grads}.
     *
     * @param dLogitsIn (N, V) gradient of this slice's logits
     */
    void backward(DMatrixRMaj dLogitsIn, Parameters grads) {
        resolveGrads(grads);
        int n = batch * seq, d = config.dModel();
        dA.reshape(n, d);
        dB.reshape(n, d);
        dA.zero();
        DMatrixRMaj last = blocks.length > 0 ? blocks[blocks.length - 1].residPost : resid0;
        // forward: logits = x W_U + b_U, x = ln_final(last) or last
        if (lnFinal != null) {
            dB.zero();
            Linear.backward(mm, normalized, wU, dLogitsIn, dB, gWU, gBU);
            lnFinal.backward(dB, lnfW, dA, gLnfW, gLnfB);
        } else {
            Linear.backward(mm, last, wU, dLogitsIn, dA, gWU, gBU);
        }
        DMatrixRMaj dPost = dA, dPre = dB;
        for (int l = blocks.length - 1; l >= 0; l--) {
            blocks[l].backward(dPost, dPre, grads);
            DMatrixRMaj tmp = dPost;
            dPost = dPre;
            dPre = tmp;
        }
        // forward: resid0 = W_E[tokens] + W_pos[t]
        double[] gE = gWE.data;
        double[] gPos = gWPos != null ? gWPos.data : null;
        double[] g = dPost.data;
        for (int r = 0; r < n; r++) {
            int te = tokens[r] * d, tp = (r % seq) * d, o = r * d;
            for (int c = 0; c < d; c++) {
                gE[te + c] += g[o + c];
            }
            if (gPos != null) {
                for (int c = 0; c < d; c++) {
                    gPos[tp + c] += g[o + c];
                }
            }
        }
    }
}
