package org.attnlab.engine.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.attnlab.engine.attention.AttentionKernels;
import org.attnlab.engine.attention.AttentionStage;
import org.attnlab.engine.attention.ReferenceMath;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;

/**
 * The forward pass of one query position through one chosen head, stage by stage, with the
 * actual numbers (a step-through, as in Vaswani et al. 2017 and docs/engine.md's "Forward pass"):
 * embed, + position, LayerNorm, q / k / v, dot products, scaling, mask, softmax, weighted sum of
 * values, W_O, add to the residual, the MLP, and the unembedding. The numbers come from
 * {@link ReferenceForward}, a plain second implementation; tests compare every stage with the
 * engine's cached activations. The stages from the dot products to the pattern are the
 * attention type's own ({@code AttentionKernel.stages}); each of its steps has the
 * {@link Kind} of the same name.
 *
 * <p>Shapes: T positions, D = d_model, E = d_head, M = d_mlp, V = d_vocab.
 */
public final class ForwardTrace {
    /** The part of the model diagram a stage belongs to (the view lights it up). */
    public enum Part { EMBED, POSITION, LN1, QKV, SCORES, SOFTMAX, MIX, OUTPUT, RESIDUAL, MLP, LN_FINAL, UNEMBED }

    /** The stages, in forward order; a trace holds the ones its model has. */
    public enum Kind {
        EMBED, POSITION, RESID_PRE, LN1, Q, K, V, DOTS, SCALED, ALIBI, MASKED, PATTERN, Z, HEAD_OUT, RESID_MID,
        MLP_PRE, MLP_POST, MLP_OUT, RESID_POST, LATER_LAYERS, LN_FINAL, LOGITS
    }

    /**
     * One stage: a formula, what it means, and its numbers as a small matrix.
     *
     * @param kind        which stage
     * @param title       a short title such as {@code q = LN(x) W_Q + b_Q}
     * @param latex       the formula in LaTeX (JLaTeXMath's subset)
     * @param explanation one or two sentences with the key numbers, plain text
     * @param part        the diagram part that is active
     * @param values      row-major {@code [rows * cols]}; {@code -Infinity} where masked
     * @param rows        number of rows
     * @param cols        number of columns
     * @param rowLabels   one per row
     * @param colLabels   one per column (positions, token strings, or dimension indices)
     */
    public record Stage(Kind kind, String title, String latex, String explanation, Part part, double[] values, int rows,
                        int cols, List<String> rowLabels, List<String> colLabels) {
        /** @return row {@code r} (a copy) */
        public double[] row(int r) {
            double[] out = new double[cols];
            System.arraycopy(values, r * cols, out, 0, cols);
            return out;
        }
    }

    private final int layer, head, query;
    private final List<Stage> stages;

    private ForwardTrace(int layer, int head, int query, List<Stage> stages) {
        this.layer = layer;
        this.head = head;
        this.query = query;
        this.stages = stages;
    }

    /** @return the traced layer */
    public int layer() {
        return layer;
    }

    /** @return the traced head */
    public int head() {
        return head;
    }

    /** @return the traced query position */
    public int query() {
        return query;
    }

    /** @return the stages in forward order */
    public List<Stage> stages() {
        return stages;
    }

    /**
     * @return the stage of kind {@code k}
     * @throws java.util.NoSuchElementException if this model has no such stage (e.g. MLP stages of an attn_only model)
     */
    public Stage stage(Kind k) {
        return stages.stream().filter(s -> s.kind() == k).findFirst()
                .orElseThrow(() -> new java.util.NoSuchElementException("this model has no stage " + k));
    }

    /**
     * Traces query position {@code query} through head {@code head} of layer {@code layer}.
     *
     * @param p          the parameters
     * @param tokens     the sequence (T token ids, T &lt;= n_ctx)
     * @param positions  a label per position (e.g. the token strings), T of them
     * @param vocabulary a label per token id; ids beyond it are shown as {@code <id>}
     * @throws IllegalArgumentException if layer, head or query are out of range, or as {@link ReferenceForward}
     */
    public static ForwardTrace trace(Parameters p, int[] tokens, List<String> positions, List<String> vocabulary,
                                     int layer, int head, int query) {
        TransformerConfig c = p.config();
        if (layer < 0 || layer >= c.nLayers() || head < 0 || head >= c.nHeads() || query < 0 || query >= tokens.length) {
            throw new IllegalArgumentException("layer " + layer + ", head " + head + ", query " + query
                    + " out of range (L = " + c.nLayers() + ", H = " + c.nHeads() + ", T = " + tokens.length + ")");
        }
        if (positions.size() != tokens.length) {
            throw new IllegalArgumentException("expected " + tokens.length + " position labels, got " + positions.size());
        }
        ReferenceForward f = new ReferenceForward(p, tokens);
        return new ForwardTrace(layer, head, query, new Builder(c, f, positions, vocabulary, layer, head, query).build());
    }

    /** Assembles the stages from a reference forward pass. */
    private static final class Builder {
        private final TransformerConfig c;
        private final ReferenceForward f;
        private final ReferenceForward.Layer y;
        private final List<String> pos, vocab;
        private final int l, h, i;
        private final String li, hi;
        private final List<Stage> out = new ArrayList<>();

        Builder(TransformerConfig c, ReferenceForward f, List<String> pos, List<String> vocab, int l, int h, int i) {
            this.c = c;
            this.f = f;
            this.y = f.layers[l];
            this.pos = pos;
            this.vocab = vocab;
            this.l = l;
            this.h = h;
            this.i = i;
            this.li = "^{(" + l + ")}";
            this.hi = "^{h=" + h + "}";
        }

        private List<String> dims(int n) {
            List<String> d = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                d.add(Integer.toString(k));
            }
            return d;
        }

        private List<String> keys() {
            List<String> k = new ArrayList<>(pos.size());
            for (int j = 0; j < pos.size(); j++) {
                k.add(j + ":" + pos.get(j));
            }
            return k;
        }

        private void add(Kind k, String title, String latex, String text, Part part, List<String> rowLabels,
                         double[]... rows) {
            int cols = rows[0].length;
            double[] v = new double[rows.length * cols];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(rows[r], 0, v, r * cols, cols);
            }
            List<String> colLabels = switch (k) {
                case K, V, DOTS, SCALED, ALIBI, MASKED, PATTERN -> keys();
                case LOGITS -> vocabLabels(cols);
                default -> dims(cols);
            };
            if (k == Kind.K || k == Kind.V) {              // rows are keys, columns dimensions
                colLabels = dims(cols);
            }
            out.add(new Stage(k, title, latex, text, part, v, rows.length, cols, List.copyOf(rowLabels),
                    List.copyOf(colLabels)));
        }

        private List<String> vocabLabels(int n) {
            List<String> v = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                v.add(k < vocab.size() ? vocab.get(k) : "<" + k + ">");
            }
            return v;
        }

        private String q() {
            return "query " + i + " ('" + pos.get(i) + "')";
        }

        List<Stage> build() {
            boolean ln = c.hasLayerNorm(), pre = ln && c.lnPlacement() == TransformerConfig.LnPlacement.PRE;
            TransformerConfig.PositionalEmbedding pe = c.positionalEmbeddingType();
            add(Kind.EMBED, "embed", "x_{" + i + "} = W_E[\\mathrm{tok}_{" + i + "}]",
                    "Row " + pos.get(i) + " of the embedding matrix W_E: the token " + q() + " as a vector of d_model = "
                            + c.dModel() + " numbers.", Part.EMBED, List.of("W_E[tok]"), f.embed[i]);
            double[] x0 = f.pos == null ? f.embed[i] : ReferenceMath.add(f.embed[i], f.pos[i]);
            if (f.pos != null) {
                String name = pe == TransformerConfig.PositionalEmbedding.STANDARD ? "W_{pos}" : "PE";
                add(Kind.POSITION, "+ position", "x_{" + i + "} = W_E[\\mathrm{tok}_{" + i + "}] + " + name + "[" + i + "]",
                        (pe == TransformerConfig.PositionalEmbedding.STANDARD ? "The learned" : "The fixed sinusoidal")
                                + " position vector of position " + i + " is added: the stream now knows where the token is.",
                        Part.POSITION, List.of("position " + i, "x = embed + pos"), f.pos[i], x0);
            } else {
                String why = switch (pe) {
                    case ROTARY -> "rotary encodings rotate q and k by the position instead (see q and k)";
                    case ALIBI -> "ALiBi subtracts a distance penalty from the scores instead (see the scores)";
                    default -> "this model has no positional encoding at all";
                };
                add(Kind.POSITION, "+ position", "x_{" + i + "} = W_E[\\mathrm{tok}_{" + i + "}]",
                        "Nothing is added here: " + why + ".", Part.POSITION, List.of("x"), x0);
            }
            if (l > 0) {
                add(Kind.RESID_PRE, "resid_pre of layer " + l, "x" + li + "_{" + i + "} = x_{" + i
                        + "} + \\sum_{l<" + l + "} (\\mathrm{attn}^{(l)} + \\mathrm{mlp}^{(l)})",
                        "Layers 0.." + (l - 1) + " have added their outputs: this is the residual stream entering layer "
                                + l + " (norm " + fmt(ReferenceMath.norm(y.residPre[i])) + ").",
                        Part.RESIDUAL, List.of("resid_pre"), y.residPre[i]);
            }
            if (pre) {
                double[] xr = y.residPre[i];
                double mean = xr[0] - ReferenceMath.centered(xr)[0];
                add(Kind.LN1, "LayerNorm", "\\mathrm{LN}(x) = \\frac{x - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}} \\odot "
                                + "\\gamma + \\beta",
                        "Subtract the mean \u03bc = " + fmt(mean) + ", divide by \u221a(\u03c3\u00b2+\u03b5) = "
                                + fmt(ReferenceMath.lnScale(xr, c.eps())) + ", then scale by \u03b3 and shift by \u03b2 (ln1 of layer "
                                + l + ").", Part.LN1, List.of("LN(x)"), y.aIn[i]);
            }
            String a = pre ? "\\mathrm{LN}(x_{j})" : "x_{j}";
            String rope = pe == TransformerConfig.PositionalEmbedding.ROTARY ? ", then rotated by position" : "";
            add(Kind.Q, "query", "q_{" + i + "} = " + a.replace("j", Integer.toString(i)) + " W_Q" + hi + " + b_Q" + hi
                            + (rope.isEmpty() ? "" : ", \\; q \\leftarrow R_{" + i + "} q"),
                    "What " + q() + " looks for in head " + h + ": a vector of d_head = " + c.dHead() + rope + ".",
                    Part.QKV, List.of("q_" + i), y.q[h][i]);
            add(Kind.K, "keys", "k_{j} = " + a + " W_K" + hi + " + b_K" + hi + (rope.isEmpty() ? "" : ", \\; k_j \\leftarrow R_{j} k_j"),
                    "What every position j offers, to be matched against the query" + rope + " (one row per key).", Part.QKV, keys(), y.k[h]);
            add(Kind.V, "values", "v_{j} = " + a + " W_V" + hi + " + b_V" + hi,
                    "What every position j passes on if attended to (one row per key).", Part.QKV, keys(), y.v[h]);
            // the attention type's own stages, from the dot products to the pattern
            for (AttentionStage st : AttentionKernels.of(c).stages(c, f.attention(l), h, i, pos)) {
                add(Kind.valueOf(st.step().name()), st.title(), st.latex(), st.explanation(),
                        st.step().yieldsPattern() ? Part.SOFTMAX : Part.SCORES, List.of(st.rowLabel()), st.values());
            }
            add(Kind.Z, "weighted sum of values", "z_{" + i + "} = \\sum_{j} A_{" + i + "j} v_{j}",
                    "The values mixed by the attention weights: what head " + h + " reads for " + q() + ".",
                    Part.MIX, List.of("z"), y.z[h][i]);
            add(Kind.HEAD_OUT, "output projection", "o_{" + i + "} = z_{" + i + "} W_O" + hi
                            + ", \\; \\mathrm{attn}_{" + i + "} = \\sum_{h} z^{h}_{" + i + "} W_O^{h} + b_O",
                    "Head " + h + " writes back into the stream (row 1); all " + c.nHeads()
                            + " heads together plus b_O give the attention output (row 2).",
                    Part.OUTPUT, List.of("head " + h, "all heads"), y.headOut[h][i], y.attnOut[i]);
            boolean post = ln && !pre;
            add(Kind.RESID_MID, "add to the residual", post ? "x_{mid} = \\mathrm{LN}(x + \\mathrm{attn})"
                            : "x_{mid} = x + \\mathrm{attn}",
                    "The attention output is added to the residual stream" + (post ? " and normalized (post-LN)" : "")
                            + ": norm " + fmt(ReferenceMath.norm(y.residPre[i])) + " \u2192 " + fmt(ReferenceMath.norm(y.residMid[i])) + ".",
                    Part.RESIDUAL, List.of("resid_mid"), y.residMid[i]);
            if (!c.attnOnly()) {
                String act = c.actFn() == TransformerConfig.ActFn.RELU ? "\\mathrm{ReLU}" : "\\mathrm{GELU}";
                add(Kind.MLP_PRE, "MLP in", "h = " + (pre ? "\\mathrm{LN}(x_{mid})" : "x_{mid}") + " W_{in} + b_{in}",
                        "The MLP reads the stream into d_mlp = " + c.dMlp() + " hidden units.", Part.MLP,
                        List.of("pre"), y.mlpPre[i]);
                int on = 0;
                for (double v : y.mlpPost[i]) {
                    on += v > 0.05 ? 1 : 0;
                }
                String actDef = c.actFn() == TransformerConfig.ActFn.RELU ? "\\mathrm{ReLU}(h) = \\max(0, h)"
                        : "\\mathrm{GELU}(h) = \\frac{h}{2} \\left(1 + \\tanh\\left(\\sqrt{2/\\pi}\\,(h + 0.044715\\,h^3)\\right)"
                        + "\\right)";
                add(Kind.MLP_POST, "activation", actDef, on + " of " + c.dMlp() + " hidden units are clearly on (> 0.05).",
                        Part.MLP, List.of("post"), y.mlpPost[i]);
                add(Kind.MLP_OUT, "MLP out", "\\mathrm{mlp} = " + act + "(h) W_{out} + b_{out}",
                        "What the MLP writes back into the stream.", Part.MLP, List.of("mlp_out"), y.mlpOut[i]);
                add(Kind.RESID_POST, "add to the residual", post ? "x_{post} = \\mathrm{LN}(x_{mid} + \\mathrm{mlp})"
                        : "x_{post} = x_{mid} + \\mathrm{mlp}", "The block's output (resid_post of layer " + l + ").",
                        Part.RESIDUAL, List.of("resid_post"), y.residPost[i]);
            }
            if (l < c.nLayers() - 1) {
                add(Kind.LATER_LAYERS, "later layers", "x^{(L)}_{" + i + "} = x" + li + "_{post} + \\sum_{l>" + l
                        + "} (\\mathrm{attn}^{(l)} + \\mathrm{mlp}^{(l)})", "Layers " + (l + 1) + ".."
                        + (c.nLayers() - 1) + " add their outputs the same way.", Part.RESIDUAL,
                        List.of("final resid"), f.finalResid[i]);
            }
            if (f.normalized != null) {
                add(Kind.LN_FINAL, "final LayerNorm", "\\mathrm{LN}_{final}(x^{(L)}_{" + i + "})",
                        "One last normalization before reading out.", Part.LN_FINAL, List.of("normalized"), f.normalized[i]);
            }
            double[] probs = ReferenceMath.softmax(f.logits[i]);
            int top = argmax(probs);
            add(Kind.LOGITS, "unembed", "\\mathrm{logits}_{" + i + "} = " + (f.normalized != null ? "\\mathrm{LN}_{final}(x)"
                            : "x") + " W_U + b_U, \\; p = \\mathrm{softmax}(\\mathrm{logits})",
                    "Scores for every token (row 1) and their probabilities (row 2): the model predicts '"
                            + vocabLabels(probs.length).get(top) + "' with p = " + fmt(probs[top]) + ".",
                    Part.UNEMBED, List.of("logits", "p"), f.logits[i], probs);
            return List.copyOf(out);
        }
    }

    private static int argmax(double[] x) {
        int b = 0;
        for (int k = 1; k < x.length; k++) {
            if (x[k] > x[b]) {
                b = k;
            }
        }
        return b;
    }

    private static String fmt(double x) {
        return String.format(Locale.ROOT, "%.3f", x);
    }
}
