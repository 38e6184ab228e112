package org.attnlab.engine.attention;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.attnlab.engine.attention.AttentionStage.Step;
import org.attnlab.engine.compute.AttentionCompute;
import org.attnlab.engine.compute.MatMul;
import org.attnlab.engine.compute.Positions;
import org.attnlab.engine.compute.SoftmaxAttentionCompute;
import org.attnlab.engine.model.PositionalEncodings;
import org.attnlab.engine.model.TransformerConfig;

/**
 * {@code attention_type "softmax"} (Vaswani et al. 2017): per head
 * {@code scores = q k^T / sqrt(E)}, minus {@code m_h |i - j|} under ALiBi (Press et al. 2021),
 * {@code -inf} for {@code j > i} when causal, {@code pattern = softmax over j}. Fires
 * {@code hook_attn_scores}. Any positional encoding; no recurrent form.
 */
public final class SoftmaxAttention extends QkvAttention {
    /**
     * For the registry only ({@code META-INF/services/org.attnlab.engine.model.AttentionType}):
     * use {@link AttentionKernels#SOFTMAX}, the one instance every configuration compares by identity.
     */
    public SoftmaxAttention() {
    }

    @Override
    public String type() {
        return "softmax";
    }

    @Override
    public String description() {
        return "softmax(q k^T / sqrt(d_head)) (Vaswani et al. 2017)";
    }

    @Override
    public void validate(TransformerConfig c) {
        // every positional encoding and direction
    }

    @Override
    boolean hasScores() {
        return true;
    }

    @Override
    public String patternStep() {
        return "softmax";
    }

    /** @return "q\u00b7k, scale", then ", ALiBi" and ", mask" where the configuration has them */
    @Override
    public String scoresStep(TransformerConfig c) {
        return "q\u00b7k, scale"
                + (c.positionalEmbeddingType() == TransformerConfig.PositionalEmbedding.ALIBI ? ", ALiBi" : "")
                + (c.causal() ? ", mask" : "");
    }

    @Override
    public Optional<Recurrence> recurrence(TransformerConfig c) {
        return Optional.empty();
    }

    @Override
    void patternRows(TransformerConfig c, int h, double[][] q, double[][] k, double[][] dots, double[][] scores,
                     double[][] pattern) {
        int t = q.length;
        double slope = c.positionalEmbeddingType() == TransformerConfig.PositionalEmbedding.ALIBI
                ? PositionalEncodings.alibiSlope(h, c.nHeads()) : 0;
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) {
                dots[i][j] = ReferenceMath.dot(q[i], k[j]);                                 // q_i . k_j
            }
            for (int j = 0; j < t; j++) {
                scores[i][j] = c.causal() && j > i ? Double.NEGATIVE_INFINITY
                        : dots[i][j] / Math.sqrt(c.dHead()) - slope * Math.abs(i - j);
            }
            pattern[i] = ReferenceMath.softmax(scores[i]);
        }
    }

    @Override
    public List<AttentionStage> stages(TransformerConfig c, ReferenceAttention a, int h, int i, List<String> pos) {
        List<AttentionStage> out = new ArrayList<>();
        int best = ReferenceMath.argmax(a.pattern()[h][i]);
        double[] dots = a.dots()[h][i];
        out.add(new AttentionStage(Step.DOTS, "dot products", "q_{" + i + "} \\cdot k_{j} = \\sum_{e} q_{" + i
                + "e} k_{je}", "How well the query matches each key: large when they point the same way.",
                "q\u00b7k", dots));
        double[] scaled = dots.clone();
        for (int j = 0; j < scaled.length; j++) {
            scaled[j] /= Math.sqrt(c.dHead());
        }
        out.add(new AttentionStage(Step.SCALED, "scaling", "\\frac{q_{" + i + "} \\cdot k_{j}}{\\sqrt{d_{head}}}, \\; "
                + "\\sqrt{" + c.dHead() + "} = " + ReferenceMath.fmt(Math.sqrt(c.dHead())), "Divided by \u221ad_head so the "
                + "scores do not grow with the head's width (Vaswani et al. 2017).", "scaled", scaled));
        if (c.positionalEmbeddingType() == TransformerConfig.PositionalEmbedding.ALIBI) {
            double m = PositionalEncodings.alibiSlope(h, c.nHeads());
            double[] biased = scaled.clone();
            for (int j = 0; j < biased.length; j++) {
                biased[j] -= m * Math.abs(i - j);
            }
            out.add(new AttentionStage(Step.ALIBI, "ALiBi bias", "S_{" + i + "j} - m_{" + h + "} |" + i + " - j|, \\; m_{"
                    + h + "} = " + ReferenceMath.fmt(m), "ALiBi (Press et al. 2021): far keys are penalized linearly with "
                    + "their distance.", "biased", biased));
        }
        out.add(new AttentionStage(Step.MASKED, "mask", "S_{" + i + "j} = -\\infty \\; \\mathrm{for} \\; j > " + i,
                c.causal() ? "Causal: keys after the query cannot be seen (set to -\u221e)."
                        : "Bidirectional: every key can be seen, nothing is masked.", "scores", a.scores()[h][i]));
        out.add(new AttentionStage(Step.PATTERN, "softmax", "A_{" + i + "j} = \\frac{e^{S_{" + i + "j}}}{\\sum_{j'} "
                + "e^{S_{" + i + "j'}}}", "The scores become weights that sum to 1; the largest, "
                + ReferenceMath.fmt(a.pattern()[h][i][best]) + ", is on key " + best + " ('" + pos.get(best) + "').", "A",
                a.pattern()[h][i]));
        return out;
    }

    @Override
    AttentionCompute newCompute(TransformerConfig c, int layer, Positions pos, MatMul mm) {
        return new SoftmaxAttentionCompute(c, layer, pos, mm);
    }

    @Override
    org.attnlab.engine.compute.F32AttentionCompute newCompute(TransformerConfig c, int layer,
            org.attnlab.engine.compute.F32Positions pos, org.attnlab.engine.compute.F32MatMul mm) {
        return new org.attnlab.engine.compute.F32SoftmaxAttentionCompute(c, layer, pos, mm);
    }
}
