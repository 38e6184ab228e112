// GENERATED from F64Shard.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

import org.ejml.data.DMatrixRMaj;
import org.attnlab.engine.hooks.ActivationHook;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.FMatrixRMaj;

/**
 * The float32 {@link Shard}: the activations of the sequences one thread is working on, their
 * gradients, and its {@link F32MatMul} workspace. Parameters and gradients are passed in
 * ({@link F32ModelWeights}).
 *
 * <p>Shape letters: B (the sequences of this pass), T, D = d_model, V = d_vocab, N = B*T.
 */
final class F32Shard implements Shard {
    private final TransformerConfig config;
    private final F32Positions pos;
    final F32MatMul mm = new F32MatMul();
    private final F32HookSite hookSite = new F32HookSite();
    final F32Block[] blocks;
    private final F32LayerNorm lnFinal;

    final FMatrixRMaj embed = new FMatrixRMaj(1, 1);      // (N, D) hook_embed
    final FMatrixRMaj posEmbed = new FMatrixRMaj(1, 1);   // (N, D) hook_pos_embed
    final FMatrixRMaj resid0 = new FMatrixRMaj(1, 1);     // (N, D) embed + pos
    final FMatrixRMaj normalized = new FMatrixRMaj(1, 1); // (N, D) ln_final.hook_normalized
    final FMatrixRMaj logits = new FMatrixRMaj(1, 1);     // (N, V)
    final FMatrixRMaj dLogits = new FMatrixRMaj(1, 1);    // (N, V)
    private final DMatrixRMaj logitsOut = new DMatrixRMaj(1, 1);
    private final FMatrixRMaj dLogitsOwn = new FMatrixRMaj(1, 1);
    private final FMatrixRMaj dA = new FMatrixRMaj(1, 1), dB = new FMatrixRMaj(1, 1);
    private int[] tokens = new int[0];
    private int batch, seq;

    F32Shard(TransformerConfig config, F32Positions pos, AttentionFactory attention) {
        this.config = config;
        this.pos = pos;
        this.blocks = new F32Block[config.nLayers()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = new F32Block(l, config, pos, attention, mm);
        }
        this.lnFinal = config.hasFinalLayerNorm() ? new F32LayerNorm(F32Reals.of(config.eps())) : null;
    }

    @Override
    public DMatrixRMaj logits() {
        return F32Reals.widen(logits, logitsOut);
    }

    /** Forward pass over sequences {@code toks[off .. off + b*t)} into {@link #logits}. */
    @Override
    public void forward(int[] toks, int off, int b, int t, Weights weights, ActivationHook hook) {
        F32ModelWeights w = (F32ModelWeights) weights;
        F32HookSite hooks = hook == null ? F32HookSite.NONE
                : hookSite.bind(hook, b, t, config.nHeads(), config.dHead());
        try {
            forward(toks, off, b, t, w, hooks);
        } finally {
            hookSite.bind(null, 0, 0, 0, 0);
        }
    }

    private void forward(int[] toks, int off, int b, int t, F32ModelWeights w, F32HookSite hooks) {
        int n = b * t, d = config.dModel();
        this.batch = b;
        this.seq = t;
        if (tokens.length < n) {
            tokens = new int[n];
        }
        System.arraycopy(toks, off, tokens, 0, n);
        embed.reshape(n, d);
        resid0.reshape(n, d);
        float[] we = w.wE.data;
        for (int r = 0; r < n; r++) {
            System.arraycopy(we, tokens[r] * d, embed.data, r * d, d);  // hook_embed = W_E[tokens]
        }
        hooks.fire(HookPoint.EMBED, embed);
        float[] pe = switch (config.positionalEmbeddingType()) {
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
            float[] e = embed.data, p = posEmbed.data, x = resid0.data;
            for (int i = 0; i < n * d; i++) {
                x[i] = e[i] + p[i];
            }
        } else {
            resid0.setTo(embed);
        }
        FMatrixRMaj x = resid0;
        for (int l = 0; l < blocks.length; l++) {
            blocks[l].forward(x, b, t, w.layers[l], hooks);
            x = blocks[l].residPost;
        }
        if (lnFinal != null) {
            lnFinal.forward(x, w.lnfW, w.lnfB, normalized);
            hooks.fire(HookPoint.LN_FINAL, normalized);
            x = normalized;
        }
        F32Linear.forward(mm, x, w.wU, w.bU, logits);                    // (N, V) logits = x W_U + b_U
    }

    @Override
    public double lossAndBackward(Batch batch, int rowOff, int count, Weights w, Weights grads) {
        double loss = F32LossRows.lossSum(logits, batch, rowOff, count, dLogits);
        backwardOwn(dLogits, w, grads);
        return loss;
    }

    /** Backward pass from d loss / d logits through the last forward pass, accumulating into {@code grads}. */
    @Override
    public void backward(DMatrixRMaj dLogitsIn, Weights weights, Weights grads) {
        backwardOwn(F32Reals.narrow(dLogitsIn, dLogitsOwn), weights, grads);
    }

    private void backwardOwn(FMatrixRMaj dLogitsIn, Weights weights, Weights grads) {
        F32ModelWeights w = (F32ModelWeights) weights, g = (F32ModelWeights) grads;
        g.beginGradients();
        int n = batch * seq, d = config.dModel();
        dA.reshape(n, d);
        dB.reshape(n, d);
        dA.zero();
        FMatrixRMaj last = blocks.length > 0 ? blocks[blocks.length - 1].residPost : resid0;
        // forward: logits = x W_U + b_U, x = ln_final(last) or last
        if (lnFinal != null) {
            dB.zero();
            F32Linear.backward(mm, normalized, w.wU, dLogitsIn, dB, g.wU.w, g.bU);
            lnFinal.backward(dB, w.lnfW, dA, g.lnfW, g.lnfB);
        } else {
            F32Linear.backward(mm, last, w.wU, dLogitsIn, dA, g.wU.w, g.bU);
        }
        FMatrixRMaj dPost = dA, dPre = dB;
        for (int l = blocks.length - 1; l >= 0; l--) {
            blocks[l].backward(dPost, dPre, w.layers[l], g.layers[l]);
            FMatrixRMaj tmp = dPost;
            dPost = dPre;
            dPre = tmp;
        }
        // forward: resid0 = W_E[tokens] + W_pos[t]
        float[] gE = g.wE.data;
        float[] gPos = g.wPos != null ? g.wPos.data : null;
        float[] gr = dPost.data;
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
