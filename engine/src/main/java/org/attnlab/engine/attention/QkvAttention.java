package org.attnlab.engine.attention;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.attnlab.engine.compute.AttentionCompute;
import org.attnlab.engine.compute.AttentionFactory;
import org.attnlab.engine.compute.AttentionWeights;
import org.attnlab.engine.compute.F32AttentionCompute;
import org.attnlab.engine.compute.F32AttentionWeights;
import org.attnlab.engine.compute.F32MatMul;
import org.attnlab.engine.compute.F32ParamView;
import org.attnlab.engine.compute.F32Positions;
import org.attnlab.engine.compute.F32QkvWeights;
import org.attnlab.engine.compute.ParamView;
import org.attnlab.engine.compute.MatMul;
import org.attnlab.engine.compute.Positions;
import org.attnlab.engine.compute.QkvWeights;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.ParamSpec;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.PositionalEncodings;
import org.attnlab.engine.model.TransformerConfig;

/**
 * What the attention types that project q, k and v and mix the values by a T x T pattern share
 * (softmax and linear attention; TransformerLens's {@code abstract_attention.py}): the
 * parameters {@code W_Q, b_Q, W_K, b_K, W_V, b_V, W_O, b_O}, rotary q/k, the q/k/v/pattern/z
 * hooks, {@code z = pattern v}, {@code out = z W_O + b_O}, and the reference forward around the
 * pattern. A subclass says how a head's pattern comes from q and k ({@link #patternRows}), which
 * stages show it, and which compute runs it fast.
 *
 * <p>Shapes: T positions, D d_model, H heads, E d_head.
 */
abstract class QkvAttention implements AttentionKernel {
    /**
     * {@code attn.W_Q/W_K/W_V [H, D, E]} (held heads-to-columns) with their biases {@code [H, E]},
     * {@code attn.W_O [H, E, D]}, {@code attn.b_O [D]}. Init: N(0, 1/D) for W_Q, W_K, W_V,
     * N(0, 1/(2 L H E)) for W_O (GPT-2's residual scaling), biases 0.
     */
    @Override
    public List<ParamSpec> parameters(TransformerConfig c) {
        int d = c.dModel(), h = c.nHeads(), e = c.dHead();
        ParamSpec.Init in = ParamSpec.Init.normal(1.0 / Math.sqrt(d));
        ParamSpec.Init out = ParamSpec.Init.normal(Parameters.residualScale(c) / Math.sqrt(c.headsWidth()));
        ParamSpec.Layout heads = ParamSpec.Layout.HEADS_TO_COLUMNS;
        return List.of(
                new ParamSpec("attn.W_Q", new int[] {h, d, e}, in, heads),
                ParamSpec.of("attn.b_Q", ParamSpec.Init.ZEROS, h, e),
                new ParamSpec("attn.W_K", new int[] {h, d, e}, in, heads),
                ParamSpec.of("attn.b_K", ParamSpec.Init.ZEROS, h, e),
                new ParamSpec("attn.W_V", new int[] {h, d, e}, in, heads),
                ParamSpec.of("attn.b_V", ParamSpec.Init.ZEROS, h, e),
                ParamSpec.of("attn.W_O", out, h, e, d),
                ParamSpec.of("attn.b_O", ParamSpec.Init.ZEROS, d));
    }

    /** @return q, k, v, (hook_attn_scores if {@link #hasScores}), pattern, z */
    @Override
    public Set<HookPoint.Site> hooks(TransformerConfig c) {
        EnumSet<HookPoint.Site> s = EnumSet.of(HookPoint.Site.ATTN_Q, HookPoint.Site.ATTN_K, HookPoint.Site.ATTN_V,
                HookPoint.Site.ATTN_PATTERN, HookPoint.Site.ATTN_Z);
        if (hasScores()) {
            s.add(HookPoint.Site.ATTN_SCORES);
        }
        return s;
    }

    /** @return true: z = pattern v */
    @Override
    public boolean hasPattern() {
        return true;
    }

    /** @return whether the type has {@code hook_attn_scores} (the reference then fills its scores) */
    abstract boolean hasScores();

    /**
     * One head's pattern in plain loops: fills {@code dots[i][j]} (every j), {@code scores[i]}
     * when {@link #hasScores} and {@code pattern[i]} for every query i.
     *
     * @param q [T][E] the head's queries (after rotary), {@code k} its keys
     */
    abstract void patternRows(TransformerConfig c, int h, double[][] q, double[][] k, double[][] dots,
                              double[][] scores, double[][] pattern);

    /** @return a new fast compute of this type for one layer and thread */
    abstract AttentionCompute newCompute(TransformerConfig c, int layer, Positions pos, MatMul mm);

    /** @return a new float32 fast compute of this type (the generated twin of {@link #newCompute}'s) */
    abstract F32AttentionCompute newCompute(TransformerConfig c, int layer, F32Positions pos, F32MatMul mm);

    @Override
    public ReferenceAttention reference(Parameters p, int layer, double[][] aIn) {
        TransformerConfig c = p.config();
        String pre = p.blockPrefix(layer);
        int t = aIn.length, h = c.nHeads(), e = c.dHead();
        double[][][] q = new double[h][t][], k = new double[h][t][], v = new double[h][t][];
        double[][][] dots = new double[h][t][t], scores = hasScores() ? new double[h][t][t] : null;
        double[][][] pattern = new double[h][t][], z = new double[h][t][], headOut = new double[h][t][];
        double[] bO = ReferenceMath.vector(p, pre + "attn.b_O");
        double[][] out = new double[t][];
        for (int i = 0; i < t; i++) {
            out[i] = bO.clone();
        }
        for (int hh = 0; hh < h; hh++) {
            double[][] wq = ReferenceMath.headIn(p, pre + "attn.W_Q", hh), wk = ReferenceMath.headIn(p, pre + "attn.W_K", hh),
                    wv = ReferenceMath.headIn(p, pre + "attn.W_V", hh), wo = ReferenceMath.headOut(p, pre + "attn.W_O", hh);
            double[] bq = ReferenceMath.headBias(p, pre + "attn.b_Q", hh), bk = ReferenceMath.headBias(p, pre + "attn.b_K", hh),
                    bv = ReferenceMath.headBias(p, pre + "attn.b_V", hh);
            for (int i = 0; i < t; i++) {
                q[hh][i] = rope(c, ReferenceMath.add(ReferenceMath.times(aIn[i], wq), bq), i);      // [E] q_i = a_i W_Q + b_Q
                k[hh][i] = rope(c, ReferenceMath.add(ReferenceMath.times(aIn[i], wk), bk), i);
                v[hh][i] = ReferenceMath.add(ReferenceMath.times(aIn[i], wv), bv);
            }
            patternRows(c, hh, q[hh], k[hh], dots[hh], scores == null ? null : scores[hh], pattern[hh]);
            for (int i = 0; i < t; i++) {
                double[] zi = new double[e];
                for (int j = 0; j < t; j++) {
                    for (int x = 0; x < e; x++) {
                        zi[x] += pattern[hh][i][j] * v[hh][j][x];              // z_i = sum_j A_ij v_j
                    }
                }
                z[hh][i] = zi;
                headOut[hh][i] = ReferenceMath.times(zi, wo);                           // [D] z_i W_O[h]
                out[i] = ReferenceMath.add(out[i], headOut[hh][i]);
            }
        }
        return new ReferenceAttention(q, k, v, dots, scores, pattern, z, headOut, out);
    }

    /** Rotary embedding (Su et al. 2021, rotate-half) of a q or k at position {@code i}; identity otherwise. */
    static double[] rope(TransformerConfig c, double[] x, int i) {
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

    @Override
    public AttentionFactory fastPath(TransformerConfig c) {
        return new AttentionFactory() {
            @Override
            public AttentionWeights weights(ParamView p, int layer) {
                return new QkvWeights(p, layer);
            }

            @Override
            public F32AttentionWeights weights(F32ParamView p, int layer) {
                return new F32QkvWeights(p, layer);
            }

            @Override
            public F32AttentionCompute compute(int layer, F32Positions pos, F32MatMul mm) {
                return newCompute(c, layer, pos, mm);
            }

            @Override
            public AttentionCompute compute(int layer, Positions pos, MatMul mm) {
                return newCompute(c, layer, pos, mm);
            }
        };
    }

    @Override
    public String toString() {
        return type();
    }
}
