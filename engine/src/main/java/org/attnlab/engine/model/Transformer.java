package org.attnlab.engine.model;

import java.util.Objects;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.ActivationHook;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The transformer of engine.md on EJML matrices: token (+ positional) embedding, L blocks, an
 * optional final LayerNorm, and the unembedding. Forward fills hooks named as in
 * TransformerLens; backward is written by hand, one forward/backward pair per layer kind.
 *
 * <p>Shape letters: B batch, T sequence length (T &lt;= n_ctx), V d_vocab, D d_model, N = B*T.
 * Buffers are allocated on first use and reused while B and T stay the same. An instance is not
 * thread-safe: one thread runs it at a time.
 */
public final class Transformer {
    private final TransformerConfig config;
    private final Parameters params;
    private final PositionalEncodings pos;
    private final Block[] blocks;
    private final LayerNorm lnFinal;

    private final DMatrixRMaj embed = new DMatrixRMaj(1, 1);      // (N, D) hook_embed
    private final DMatrixRMaj posEmbed = new DMatrixRMaj(1, 1);   // (N, D) hook_pos_embed
    private final DMatrixRMaj resid0 = new DMatrixRMaj(1, 1);     // (N, D) embed + pos
    private final DMatrixRMaj normalized = new DMatrixRMaj(1, 1); // (N, D) ln_final.hook_normalized
    private final DMatrixRMaj logits = new DMatrixRMaj(1, 1);     // (N, V)
    private final DMatrixRMaj dLogits = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj dA = new DMatrixRMaj(1, 1), dB = new DMatrixRMaj(1, 1);
    private int[] tokens = new int[0];
    private int batch, seq;
    private boolean hasForward;

    /** @param params the model's parameters, used live (an optimizer may change them between passes) */
    public Transformer(Parameters params) {
        this.params = Objects.requireNonNull(params, "params");
        this.config = params.config();
        this.pos = new PositionalEncodings(config);
        this.blocks = new Block[config.nLayers()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = new Block(l, config, pos);
        }
        this.lnFinal = config.hasFinalLayerNorm() ? new LayerNorm(config.eps()) : null;
    }

    /** @return the configuration */
    public TransformerConfig config() {
        return config;
    }

    /** @return the live parameters */
    public Parameters params() {
        return params;
    }

    /**
     * Runs the forward pass.
     *
     * @param toks row-major [B, T] token ids in {@code [0, d_vocab)}
     * @param b    B
     * @param t    T, at most n_ctx
     * @param hook called with every activation (see {@link ActivationHook}), or {@code null}
     * @return the live (B*T, V) logits buffer, valid until the next call
     * @throws IllegalArgumentException if T exceeds n_ctx, sizes disagree, or a token is out of range
     */
    public DMatrixRMaj forward(int[] toks, int b, int t, ActivationHook hook) {
        validate(toks, b, t);
        int n = b * t, d = config.dModel();
        this.batch = b;
        this.seq = t;
        if (tokens.length != toks.length) {
            tokens = new int[toks.length];
        }
        System.arraycopy(toks, 0, tokens, 0, toks.length);
        HookSite hooks = hook == null ? HookSite.NONE : new HookSite(hook, b, t, config.nHeads(), config.dHead());
        embed.reshape(n, d);
        resid0.reshape(n, d);
        double[] we = params.m("embed.W_E").data;
        for (int r = 0; r < n; r++) {
            System.arraycopy(we, toks[r] * d, embed.data, r * d, d);  // hook_embed = W_E[tokens]
        }
        hooks.fire("hook_embed", embed);
        double[] pe = switch (config.positionalEmbeddingType()) {
            case STANDARD -> params.m("pos_embed.W_pos").data;
            case SINUSOIDAL -> pos.sinusoidal();
            default -> null;
        };
        if (pe != null) {
            posEmbed.reshape(n, d);
            for (int r = 0; r < n; r++) {
                System.arraycopy(pe, (r % t) * d, posEmbed.data, r * d, d);  // W_pos[:T] per batch row
            }
            hooks.fire("hook_pos_embed", posEmbed);
            CommonOps_DDRM.add(embed, posEmbed, resid0);
        } else {
            resid0.setTo(embed);
        }
        DMatrixRMaj x = resid0;
        for (Block blk : blocks) {
            blk.forward(x, b, t, params, hooks);
            x = blk.residPost;
        }
        if (lnFinal != null) {
            lnFinal.forward(x, params.m("ln_final.w"), params.m("ln_final.b"), normalized);
            hooks.fire("ln_final.hook_normalized", normalized);
            x = normalized;
        }
        logits.reshape(n, config.dVocab());
        Linear.forward(x, params.m("unembed.W_U"), params.m("unembed.b_U"), logits);
        if (hook != null) {
            hook.apply("logits", new int[] {b, t, config.dVocab()}, logits.data);
        }
        hasForward = true;
        return logits;
    }

    /**
     * Forward pass that records every hook.
     *
     * @return a new cache holding copies of every activation and {@code logits}
     */
    public ActivationCache runWithCache(int[] toks, int b, int t) {
        ActivationCache cache = new ActivationCache();
        forward(toks, b, t, cache);
        return cache;
    }

    /**
     * Forward, masked cross-entropy loss, and backward into {@code grads}, which are zeroed first.
     *
     * @param batch tokens, targets and loss mask
     * @param grads gradients, same configuration as the model; overwritten
     * @return the loss
     * @throws IllegalArgumentException as {@link #forward} and {@link CrossEntropy#lossAndGradient}
     */
    public double lossAndGradients(Batch batch, Parameters grads) {
        forward(batch.tokens(), batch.batchSize(), batch.seqLen(), null);
        double loss = CrossEntropy.lossAndGradient(logits, batch, dLogits);
        grads.zero();
        backward(dLogits, grads);
        return loss;
    }

    /** @return the masked cross-entropy of {@code batch} (forward only) */
    public double loss(Batch batch) {
        forward(batch.tokens(), batch.batchSize(), batch.seqLen(), null);
        return CrossEntropy.lossAndGradient(logits, batch, null);
    }

    /**
     * Backward pass from d loss / d logits through the last forward pass, accumulating into
     * {@code grads}.
     *
     * @param dLogitsIn (B*T, V) gradient of the logits
     * @throws IllegalStateException if no forward pass ran
     */
    public void backward(DMatrixRMaj dLogitsIn, Parameters grads) {
        if (!hasForward) {
            throw new IllegalStateException("backward needs a forward pass first");
        }
        int n = batch * seq, d = config.dModel();
        dA.reshape(n, d);
        dB.reshape(n, d);
        dA.zero();
        DMatrixRMaj last = blocks.length > 0 ? blocks[blocks.length - 1].residPost : resid0;
        // forward: logits = x W_U + b_U, x = ln_final(last) or last
        if (lnFinal != null) {
            dB.zero();
            Linear.backward(normalized, params.m("unembed.W_U"), dLogitsIn, dB, grads.m("unembed.W_U"),
                    grads.m("unembed.b_U"));
            lnFinal.backward(dB, params.m("ln_final.w"), dA, grads.m("ln_final.w"), grads.m("ln_final.b"));
        } else {
            Linear.backward(last, params.m("unembed.W_U"), dLogitsIn, dA, grads.m("unembed.W_U"),
                    grads.m("unembed.b_U"));
        }
        DMatrixRMaj dPost = dA, dPre = dB;
        for (int l = blocks.length - 1; l >= 0; l--) {
            blocks[l].backward(dPost, dPre, params, grads);
            DMatrixRMaj tmp = dPost;
            dPost = dPre;
            dPre = tmp;
        }
        // forward: resid0 = W_E[tokens] + W_pos[t]
        double[] gE = grads.m("embed.W_E").data;
        double[] gPos = config.positionalEmbeddingType() == TransformerConfig.PositionalEmbedding.STANDARD
                ? grads.m("pos_embed.W_pos").data : null;
        double[] g = dPost.data;
        for (int r = 0; r < n; r++) {
            int te = tokens[r] * d, tp = (r % seq) * d, o = r * d;
            for (int c = 0; c < d; c++) {
                gE[te + c] += g[o + c];
                if (gPos != null) {
                    gPos[tp + c] += g[o + c];
                }
            }
        }
    }

    private void validate(int[] toks, int b, int t) {
        if (b < 1 || t < 1) {
            throw new IllegalArgumentException("batch shape must be at least [1, 1], got [" + b + ", " + t + "]");
        }
        if (t > config.nCtx()) {
            throw new IllegalArgumentException("sequence length " + t + " exceeds n_ctx = " + config.nCtx());
        }
        if (toks.length != b * t) {
            throw new IllegalArgumentException("expected B*T = " + b * t + " tokens, got " + toks.length);
        }
        for (int i = 0; i < toks.length; i++) {
            if (toks[i] < 0 || toks[i] >= config.dVocab()) {
                throw new IllegalArgumentException("token " + toks[i] + " at [" + i / t + ", " + i % t
                        + "] is outside the vocabulary [0, " + config.dVocab() + ")");
            }
        }
    }
}
