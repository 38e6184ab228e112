package org.attnlab.engine.compute;

import org.attnlab.engine.hooks.ActivationHook;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.DMatrixRMaj;

/**
 * The float64 {@link Shard}: the activations of the sequences one thread is working on, their
 * gradients, and its {@link MatMul} workspace. Parameters and gradients are passed in
 * ({@link ModelWeights}).
 *
 * <p>Shape letters: B (the sequences of this pass), T, D = d_model, V = d_vocab, N = B*T.
 */
final class F64Shard implements Shard {
    private final TransformerConfig config;
    private final Positions pos;
    final MatMul mm = new MatMul();
    private final HookSite hookSite = new HookSite();
    final Block[] blocks;
    private final LayerNorm lnFinal;

    final DMatrixRMaj embed = new DMatrixRMaj(1, 1);      // (N, D) hook_embed
    final DMatrixRMaj posEmbed = new DMatrixRMaj(1, 1);   // (N, D) hook_pos_embed
    final DMatrixRMaj resid0 = new DMatrixRMaj(1, 1);     // (N, D) embed + pos
    final DMatrixRMaj normalized = new DMatrixRMaj(1, 1); // (N, D) ln_final.hook_normalized
    final DMatrixRMaj logits = new DMatrixRMaj(1, 1);     // (N, V)
    final DMatrixRMaj dLogits = new DMatrixRMaj(1, 1);    // (N, V)
    private final DMatrixRMaj logitsOut = new DMatrixRMaj(1, 1); //@keep
    private final DMatrixRMaj dLogitsOwn = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj dA = new DMatrixRMaj(1, 1), dB = new DMatrixRMaj(1, 1);
    private int[] tokens = new int[0];
    private int batch, seq;

    F64Shard(TransformerConfig config, Positions pos, AttentionFactory attention) {
        this.config = config;
        this.pos = pos;
        this.blocks = new Block[config.nLayers()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = new Block(l, config, pos, attention, mm);
        }
        this.lnFinal = config.hasFinalLayerNorm() ? new LayerNorm(Reals.of(config.eps())) : null;
    }

    @Override
    public DMatrixRMaj logits() { //@keep
        return Reals.widen(logits, logitsOut);
    }

    /** Forward pass over sequences {@code toks[off .. off + b*t)} into {@link #logits}. */
    @Override
    public void forward(int[] toks, int off, int b, int t, Weights weights, ActivationHook hook) {
        ModelWeights w = (ModelWeights) weights;
        HookSite hooks = hook == null ? HookSite.NONE
                : hookSite.bind(hook, b, t, config.nHeads(), config.dHead());
        try {
            forward(toks, off, b, t, w, hooks);
        } finally {
            hookSite.bind(null, 0, 0, 0, 0);
        }
    }

    private void forward(int[] toks, int off, int b, int t, ModelWeights w, HookSite hooks) {
        int n = b * t, d = config.dModel();
        this.batch = b;
        this.seq = t;
        if (tokens.length < n) {
            tokens = new int[n];
        }
        System.arraycopy(toks, off, tokens, 0, n);
        embed.reshape(n, d);
        resid0.reshape(n, d);
        double[] we = w.wE.data;
        for (int r = 0; r < n; r++) {
            System.arraycopy(we, tokens[r] * d, embed.data, r * d, d);  // hook_embed = W_E[tokens]
        }
        hooks.fire(HookPoint.EMBED, embed);
        double[] pe = switch (config.positionalEmbeddingType()) {
            case STANDARD -> w.wPos.data;
            case SINUSOIDAL -> pos.sinusoidal();
            default -> null;
        };
        if (pe != null) {
            posEmbed.reshape(n, d);
            for (int r = 0; r < n; r++) {
                System.arraycopy(pe, (r % t) * d, posEmbed.data, r * d, d);  // W_pos[:T] per batch row
            }
            hooks.fire(HookPoint.POS_EMBED, posEmbed);
            double[] e = embed.data, p = posEmbed.data, x = resid0.data;
            for (int i = 0; i < n * d; i++) {
                x[i] = e[i] + p[i];
            }
        } else {
            resid0.setTo(embed);
        }
        DMatrixRMaj x = resid0;
        for (int l = 0; l < blocks.length; l++) {
            blocks[l].forward(x, b, t, w.layers[l], hooks);
            x = blocks[l].residPost;
        }
        if (lnFinal != null) {
            lnFinal.forward(x, w.lnfW, w.lnfB, normalized);
            hooks.fire(HookPoint.LN_FINAL, normalized);
            x = normalized;
        }
        Linear.forward(mm, x, w.wU, w.bU, logits);                    // (N, V) logits = x W_U + b_U
    }

    @Override
    public double lossAndBackward(Batch batch, int rowOff, int count, Weights w, Weights grads) { //@keep
        double loss = LossRows.lossSum(logits, batch, rowOff, count, dLogits); //@keep
        backwardOwn(dLogits, w, grads);
        return loss;
    }

    /** Backward pass from d loss / d logits through the last forward pass, accumulating into {@code grads}. */
    @Override
    public void backward(DMatrixRMaj dLogitsIn, Weights weights, Weights grads) { //@keep
        backwardOwn(Reals.narrow(dLogitsIn, dLogitsOwn), weights, grads);
    }

    private void backwardOwn(DMatrixRMaj dLogitsIn, Weights weights, Weights grads) {
        ModelWeights w = (ModelWeights) weights, g = (ModelWeights) grads;
        g.beginGradients();
        int n = batch * seq, d = config.dModel();
        dA.reshape(n, d);
        dB.reshape(n, d);
        dA.zero();
        DMatrixRMaj last = blocks.length > 0 ? blocks[blocks.length - 1].residPost : resid0;
        // forward: logits = x W_U + b_U, x = ln_final(last) or last
        if (lnFinal != null) {
            dB.zero();
            Linear.backward(mm, normalized, w.wU, dLogitsIn, dB, g.wU.w, g.bU);
            lnFinal.backward(dB, w.lnfW, dA, g.lnfW, g.lnfB);
        } else {
            Linear.backward(mm, last, w.wU, dLogitsIn, dA, g.wU.w, g.bU);
        }
        DMatrixRMaj dPost = dA, dPre = dB;
        for (int l = blocks.length - 1; l >= 0; l--) {
            blocks[l].backward(dPost, dPre, w.layers[l], g.layers[l]);
            DMatrixRMaj tmp = dPost;
            dPost = dPre;
            dPre = tmp;
        }
        // forward: resid0 = W_E[tokens] + W_pos[t]
        double[] gE = g.wE.data;
        double[] gPos = g.wPos != null ? g.wPos.data : null;
        double[] gr = dPost.data;
        for (int r = 0; r < n; r++) {
            int te = tokens[r] * d, tp = (r % seq) * d, o = r * d;
            for (int c = 0; c < d; c++) {
                gE[te + c] += gr[o + c];
            }
            if (gPos != null) {
                for (int c = 0; c < d; c++) {
                    gPos[tp + c] += gr[o + c];
                }
            }
        }
        g.endGradients();
    }
}
