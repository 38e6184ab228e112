package org.attnlab.engine.inspect;

import java.util.ArrayList;
import java.util.List;
import org.attnlab.engine.attention.ReferenceMath;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;

/**
 * Direct logit attribution (Elhage et al. 2021, "A Mathematical Framework for Transformer
 * Circuits"; TransformerLens's {@code decompose_resid} / {@code stack_head_results} with
 * {@code apply_ln}): how much each component writes directly toward one token's logit.
 *
 * <p>In a pre-LN (or LayerNorm-free) transformer the final residual stream is a sum of what
 * every component wrote into it:
 * {@code x = embed + pos_embed + sum_l (sum_h z_{l,h} W_O[h] + b_O) + sum_l mlp_out_l}.
 * With the final LayerNorm's scale {@code s = sqrt(var(x) + eps)} frozen (computed once from the
 * full residual {@code x}), the logit of token c splits exactly into
 * {@code logit_c = sum_r ((r - mean(r)) / s * w_lnf) . W_U[:, c]  +  b_lnf . W_U[:, c] + b_U[c]},
 * one term per component r (centering applied per component, which is linear). Without
 * LayerNorm it is {@code sum_r r . W_U[:, c] + b_U[c]}. Under post-LN every sublayer's output is
 * renormalized, the stream is not such a sum, and this decomposition does not apply.
 */
public final class DirectLogitAttribution {
    /** What kind of component wrote into the stream. */
    public enum Kind {
        /** token embedding W_E[token]. */ EMBED,
        /** positional embedding (learned or sinusoidal). */ POS_EMBED,
        /** one attention head's output z_h W_O[h] (without b_O). */ HEAD,
        /** the attention layer's output bias b_O. */ ATTN_BIAS,
        /** one MLP's output. */ MLP,
        /** the constant terms b_lnf . W_U[:, c] + b_U[c]. */ BIAS
    }

    /**
     * One component's contribution.
     *
     * @param label  short name such as {@code L1H2}, {@code L0 MLP}, {@code embed}
     * @param kind   its kind
     * @param layer  the block, -1 for embeddings and the unembedding bias
     * @param head   the head, -1 unless {@code kind == HEAD}
     * @param value  its contribution to the logit
     */
    public record Component(String label, Kind kind, int layer, int head, double value) {
    }

    /**
     * @param position   the position attributed
     * @param token      the token whose logit is decomposed
     * @param components every component, in the order they write into the stream, the constant
     *                   bias term last
     * @param logit      the model's actual logit (from the cache)
     * @param lnScale    the frozen final LayerNorm scale {@code sqrt(var(x) + eps)}, 1 without LayerNorm
     */
    public record Result(int position, int token, List<Component> components, double logit, double lnScale) {
        /** @return the sum of every component's contribution (equals {@link #logit} up to rounding) */
        public double total() {
            double s = 0;
            for (Component c : components) {
                s += c.value();
            }
            return s;
        }
    }

    private DirectLogitAttribution() {
    }

    /** @return whether the decomposition applies to {@code c} (pre-LN or no LayerNorm) */
    public static boolean supported(TransformerConfig c) {
        return !c.hasLayerNorm() || c.lnPlacement() == TransformerConfig.LnPlacement.PRE;
    }

    /**
     * The vectors each component wrote into the residual stream at position {@code t}, in the order of
     * {@link Result#components} without the constant term.
     *
     * @return pairs of (label, kind, layer, head) and their [D] vectors
     */
    static List<Written> written(Parameters params, ActivationCache cache, int t) {
        TransformerConfig c = params.config();
        List<Written> out = new ArrayList<>();
        out.add(new Written(new Component("embed", Kind.EMBED, -1, -1, 0), CacheRows.row(cache.get(HookPoint.EMBED), t)));
        if (cache.has(HookPoint.POS_EMBED)) {
            out.add(new Written(new Component("pos_embed", Kind.POS_EMBED, -1, -1, 0),
                    CacheRows.row(cache.get(HookPoint.POS_EMBED), t)));
        }
        int e = c.dHead();
        for (int l = 0; l < c.nLayers(); l++) {
            String p = params.blockPrefix(l);
            ActivationCache.Activation z = cache.get(HookPoint.of(l, HookPoint.Site.ATTN_Z));   // [1, T, H, E]
            for (int h = 0; h < c.nHeads(); h++) {
                double[] zh = new double[e];
                System.arraycopy(z.data(), (t * c.nHeads() + h) * e, zh, 0, e);
                double[] r = ReferenceMath.times(zh, ReferenceMath.headOut(params, p + "attn.W_O", h));
                out.add(new Written(new Component("L" + l + "H" + h, Kind.HEAD, l, h, 0), r));
            }
            out.add(new Written(new Component("L" + l + " b_O", Kind.ATTN_BIAS, l, -1, 0),
                    ReferenceMath.vector(params, p + "attn.b_O")));
            if (!c.attnOnly()) {
                out.add(new Written(new Component("L" + l + " MLP", Kind.MLP, l, -1, 0),
                        CacheRows.row(cache.get(HookPoint.of(l, HookPoint.Site.MLP_OUT)), t)));
            }
        }
        return out;
    }

    /** A component and the [D] vector it wrote. */
    record Written(Component component, double[] vector) {
    }

    /**
     * Decomposes the logit of {@code token} at position {@code t}.
     *
     * @param params the model's parameters (that produced {@code cache})
     * @param cache  the activations of one sequence (B = 1)
     * @param t      the position, in [0, T)
     * @param token  the token id, in [0, d_vocab)
     * @return every component's contribution and the actual logit
     * @throws IllegalArgumentException if the model is post-LN ({@link #supported}) or an index is out of range
     */
    public static Result compute(Parameters params, ActivationCache cache, int t, int token) {
        TransformerConfig c = params.config();
        if (!supported(c)) {
            throw new IllegalArgumentException("direct logit attribution needs a pre-LN or LayerNorm-free model: under "
                    + "post-LN each sublayer's output is renormalized, so the residual stream is not a sum of components");
        }
        int tLen = cache.get(HookPoint.EMBED).shape()[1];
        if (t < 0 || t >= tLen || token < 0 || token >= c.dVocab()) {
            throw new IllegalArgumentException("position " + t + " or token " + token + " out of range (T = " + tLen
                    + ", d_vocab = " + c.dVocab() + ")");
        }
        double[] x = CacheRows.row(cache.get(HookPoint.of(c.nLayers() - 1, HookPoint.Site.RESID_POST)), t);
        double[] wu = ReferenceMath.matrixColumn(params, "unembed.W_U", token);       // W_U[:, c]
        boolean ln = c.hasFinalLayerNorm();
        double s = ln ? ReferenceMath.lnScale(x, c.eps()) : 1.0;
        double[] dir = wu.clone();                                              // w_lnf * W_U[:, c] / s
        if (ln) {
            double[] w = ReferenceMath.vector(params, "ln_final.w");
            for (int i = 0; i < dir.length; i++) {
                dir[i] = w[i] * wu[i] / s;
            }
        }
        List<Component> out = new ArrayList<>();
        for (Written wr : written(params, cache, t)) {
            double[] r = ln ? ReferenceMath.centered(wr.vector()) : wr.vector();
            Component k = wr.component();
            out.add(new Component(k.label(), k.kind(), k.layer(), k.head(), ReferenceMath.dot(r, dir)));
        }
        double bias = ReferenceMath.vector(params, "unembed.b_U")[token];
        if (ln) {
            bias += ReferenceMath.dot(ReferenceMath.vector(params, "ln_final.b"), wu);
        }
        out.add(new Component(ln ? "b_U + ln_final.b" : "b_U", Kind.BIAS, -1, -1, bias));
        double logit = cache.get(HookPoint.LOGITS).get(0, t, token);
        return new Result(t, token, List.copyOf(out), logit, s);
    }
}
