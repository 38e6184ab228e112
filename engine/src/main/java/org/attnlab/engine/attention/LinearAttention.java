package org.attnlab.engine.attention;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.attnlab.engine.attention.AttentionStage.Step;
import org.attnlab.engine.compute.AttentionCompute;
import org.attnlab.engine.compute.LinearAttentionCompute;
import org.attnlab.engine.compute.MatMul;
import org.attnlab.engine.compute.Positions;
import org.attnlab.engine.model.TransformerConfig;

/**
 * {@code attention_type "linear"} (Katharopoulos et al. 2020, "Transformers are RNNs"):
 * {@code sim_ij = phi(q_i) . phi(k_j)} with {@code phi = elu + 1}, 0 for {@code j > i} when
 * causal, {@code pattern = sim / sum_j sim}. No {@code hook_attn_scores}; refuses ALiBi (a bias on
 * softmax scores); causal linear attention has a recurrent form ({@link LinearAttentionRecurrence}).
 */
public final class LinearAttention extends QkvAttention {
    /**
     * For the registry only ({@code META-INF/services/org.attnlab.engine.model.AttentionType}):
     * use {@link AttentionKernels#LINEAR}, the one instance every configuration compares by identity.
     */
    public LinearAttention() {
    }

    @Override
    public String type() {
        return "linear";
    }

    @Override
    public String description() {
        return "phi(q) phi(k)^T normalized, phi = elu + 1 (Katharopoulos et al. 2020)";
    }

    /** @throws IllegalArgumentException naming both keys for ALiBi */
    @Override
    public void validate(TransformerConfig c) {
        if (c.positionalEmbeddingType() == TransformerConfig.PositionalEmbedding.ALIBI) {
            throw new IllegalArgumentException(
                    "positional_embedding_type \"alibi\" biases softmax scores and cannot be combined with "
                            + "attention_type \"linear\"");
        }
    }

    @Override
    boolean hasScores() {
        return false;
    }

    @Override
    public String patternStep() {
        return "normalize";
    }

    /** @return "\u03c6(q)\u00b7\u03c6(k)" (and ", mask" when causal): no scale, no softmax */
    @Override
    public String scoresStep(TransformerConfig c) {
        return "\u03c6(q)\u00b7\u03c6(k)" + (c.causal() ? ", mask" : "");
    }

    /** @return the recurrence of causal linear attention; none when bidirectional */
    @Override
    public Optional<Recurrence> recurrence(TransformerConfig c) {
        return c.causal() ? Optional.of(LinearAttentionRecurrence.INSTANCE) : Optional.empty();
    }

    @Override
    void patternRows(TransformerConfig c, int h, double[][] q, double[][] k, double[][] dots, double[][] scores,
                     double[][] pattern) {
        int t = q.length;
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) {
                dots[i][j] = ReferenceMath.dot(phi(q[i]), phi(k[j]));                       // phi(q_i) . phi(k_j)
            }
            double[] sim = dots[i].clone();
            double sum = 0;
            for (int j = 0; j < t; j++) {
                sim[j] = c.causal() && j > i ? 0 : sim[j];
                sum += sim[j];
            }
            for (int j = 0; j < t; j++) {
                sim[j] /= sum;
            }
            pattern[i] = sim;
        }
    }

    @Override
    public List<AttentionStage> stages(TransformerConfig c, ReferenceAttention a, int h, int i, List<String> pos) {
        List<AttentionStage> out = new ArrayList<>();
        int best = ReferenceMath.argmax(a.pattern()[h][i]);
        double[] dots = a.dots()[h][i];
        out.add(new AttentionStage(Step.DOTS, "feature dot products", "s_{" + i + "j} = \\phi(q_{" + i + "}) \\cdot "
                + "\\phi(k_{j}), \\; \\phi = \\mathrm{elu} + 1", "Linear attention (Katharopoulos et al. 2020): "
                + "positive features, no softmax.", "s", dots));
        double[] masked = dots.clone();
        for (int j = i + 1; c.causal() && j < masked.length; j++) {
            masked[j] = 0;
        }
        out.add(new AttentionStage(Step.MASKED, "mask", "s_{" + i + "j} = 0 \\; (j > " + i + ")", c.causal()
                ? "Causal: keys after the query are set to 0." : "Bidirectional: nothing is masked.", "masked",
                masked));
        out.add(new AttentionStage(Step.PATTERN, "normalize", "A_{" + i + "j} = \\frac{s_{" + i + "j}}{\\sum_{j'} s_{"
                + i + "j'}}", "Each similarity divided by their sum; the largest weight, "
                + ReferenceMath.fmt(a.pattern()[h][i][best]) + ", is on key " + best + " ('" + pos.get(best) + "').", "A",
                a.pattern()[h][i]));
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

    @Override
    AttentionCompute newCompute(TransformerConfig c, int layer, Positions pos, MatMul mm) {
        return new LinearAttentionCompute(c, layer, pos, mm);
    }

    @Override
    org.attnlab.engine.compute.F32AttentionCompute newCompute(TransformerConfig c, int layer,
            org.attnlab.engine.compute.F32Positions pos, org.attnlab.engine.compute.F32MatMul mm) {
        return new org.attnlab.engine.compute.F32LinearAttentionCompute(c, layer, pos, mm);
    }
}
