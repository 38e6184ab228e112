package org.attnlab.engine.attention;

import java.util.ArrayList;
import java.util.List;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;

/**
 * Causal linear attention computed as a recurrent network (Katharopoulos, Vyas, Pappas and
 * Fleuret 2020, "Transformers are RNNs: Fast Autoregressive Transformers with Linear Attention",
 * section 3.4; the same idea runs through RWKV and the Attention Free Transformer): the
 * {@link Recurrence} of the linear kernel under causal attention. With the feature map of
 * docs/engine.md, {@code phi(x) = elu(x) + 1}, one head's output at position i is
 * <pre>
 *   z_i = sum_{j<=i} phi(q_i).phi(k_j) v_j / sum_{j<=i} phi(q_i).phi(k_j)      (parallel form)
 *       = phi(q_i)^T S_i / phi(q_i)^T u_i,   S_i = S_{i-1} + phi(k_i) v_i^T,  u_i = u_{i-1} + phi(k_i)
 * </pre>
 * (recurrent form; the paper calls the normalizer state z, here {@code u} so as not to clash
 * with TransformerLens's {@code hook_z}, the head output). The state is E x E + E numbers
 * whatever the position, where softmax attention must keep every past key and value (a KV
 * cache of 2 E numbers per token).
 *
 * <p>The recurrence reads {@code hook_q}, {@code hook_k}, {@code hook_v} of an engine forward
 * pass (after rotary, if any; the caller runs the engine) and is compared with that pass's
 * {@code hook_z}. Shape letters:
 * T positions, E d_head.
 */
public final class LinearAttentionRecurrence implements Recurrence {
    /** The one instance ({@code AttentionKernels.LINEAR.recurrence(c)} for a causal c). */
    public static final LinearAttentionRecurrence INSTANCE = new LinearAttentionRecurrence();

    /**
     * The recurrence after reading position t.
     *
     * @param t      the position
     * @param phiK   phi(k_t), [E]
     * @param v      v_t, [E]
     * @param phiQ   phi(q_t), [E]
     * @param state  S_t = sum_{j<=t} phi(k_j) v_j^T, [E x E] row-major (row: key feature, column: value component)
     * @param normalizer u_t = sum_{j<=t} phi(k_j), [E]
     * @param output the recurrent output phi(q_t)^T S_t / phi(q_t)^T u_t, [E]
     */
    public record Step(int t, double[] phiK, double[] v, double[] phiQ, double[] state, double[] normalizer,
                       double[] output) implements Recurrence.Step {
    }

    /**
     * One head of one layer on one sequence, both ways.
     *
     * @param layer    l
     * @param head     h
     * @param dHead    E
     * @param steps    one per position, [T]
     * @param parallel the engine's parallel-form hook_z of the head, [T*E]
     * @param maxAbsDifference max over t and e of |recurrent - parallel|
     */
    public record Trace(int layer, int head, int dHead, List<Step> steps, double[] parallel, double maxAbsDifference)
            implements Recurrence.Trace {
    }

    private LinearAttentionRecurrence() {
    }

    /** @return whether {@code c} is a causal linear-attention model (the recurrence applies) */
    static boolean applies(TransformerConfig c) {
        return c.attentionType() == AttentionKernels.LINEAR && c.causal();
    }

    /** @return E*E + E, {@link #recurrentStateSize} */
    @Override
    public long stateSize(TransformerConfig c) {
        return recurrentStateSize(c.dHead());
    }

    /**
     * The same weights as a causal linear-attention model (the parameters do not depend on the
     * attention type or direction), to show what a softmax model's weights would compute as an RNN.
     *
     * @throws IllegalArgumentException naming the keys if the linear kernel refuses the model's
     *     configuration (ALiBi biases softmax scores; it has no linear-attention form)
     */
    public static Parameters asCausalLinear(Parameters p) {
        if (applies(p.config())) {
            return p;
        }
        TransformerConfig c = p.config().toBuilder().attentionType(AttentionKernels.LINEAR)
                .attentionDir(TransformerConfig.AttentionDir.CAUSAL).build();
        Parameters out = new Parameters(c);
        for (Param x : p.all()) {
            System.arraycopy(x.value().data, 0, out.m(x.name()).data, 0, x.size());
        }
        return out;
    }

    /**
     * Runs the recurrence for head {@code (layer, head)} on the q, k, v of an engine forward pass
     * over one sequence ({@code Transformer.runWithCache(tokens, 1, T)}) and compares it with
     * the pass's {@code hook_z}.
     *
     * @throws IllegalArgumentException if the model is not causal linear attention, the layer or
     *     head does not exist, or {@code forward} is not one sequence's pass with the attention hooks
     */
    @Override
    public Trace run(TransformerConfig c, ActivationCache forward, int layer, int head) {
        if (!applies(c)) {
            throw new IllegalArgumentException("the recurrent form needs attention_type = linear and attention_dir = causal");
        }
        if (layer < 0 || layer >= c.nLayers() || head < 0 || head >= c.nHeads()) {
            throw new IllegalArgumentException("no head L" + layer + "H" + head + " in this model");
        }
        HookPoint zPoint = HookPoint.of(layer, HookPoint.Site.ATTN_Z);
        if (!forward.has(zPoint)) {
            throw new IllegalArgumentException("the forward pass has no " + zPoint.name()
                    + ": run the model with a cache of every hook");
        }
        int[] shape = forward.get(zPoint).shape();                           // [B, T, H, E]
        if (shape.length != 4 || shape[0] != 1 || shape[2] != c.nHeads() || shape[3] != c.dHead()) {
            throw new IllegalArgumentException("the recurrence reads one sequence: " + zPoint.name() + " has shape "
                    + java.util.Arrays.toString(shape) + ", expected [1, T, " + c.nHeads() + ", " + c.dHead() + "]");
        }
        int t = shape[1], e = c.dHead(), h = c.nHeads();
        double[] q = head(forward.get(HookPoint.of(layer, HookPoint.Site.ATTN_Q)).data(), t, h, e, head);
        double[] k = head(forward.get(HookPoint.of(layer, HookPoint.Site.ATTN_K)).data(), t, h, e, head);
        double[] v = head(forward.get(HookPoint.of(layer, HookPoint.Site.ATTN_V)).data(), t, h, e, head);
        double[] parallel = head(forward.get(zPoint).data(), t, h, e, head);
        List<Step> steps = recurrent(q, k, v, t, e);
        double diff = 0;
        for (Step s : steps) {
            for (int i = 0; i < e; i++) {
                diff = Math.max(diff, Math.abs(s.output()[i] - parallel[s.t() * e + i]));
            }
        }
        return new Trace(layer, head, e, List.copyOf(steps), parallel, diff);
    }

    /**
     * The recurrence on one head's q, k, v.
     *
     * @param q [T*E] queries (before phi), row t = position t; k and v likewise
     * @return one step per position
     */
    public static List<Step> recurrent(double[] q, double[] k, double[] v, int t, int e) {
        double[] s = new double[e * e], u = new double[e];
        List<Step> out = new ArrayList<>(t);
        for (int i = 0; i < t; i++) {
            double[] fk = phi(k, i * e, e), fq = phi(q, i * e, e), vi = java.util.Arrays.copyOfRange(v, i * e, i * e + e);
            for (int a = 0; a < e; a++) {
                u[a] += fk[a];
                for (int b = 0; b < e; b++) {
                    s[a * e + b] += fk[a] * vi[b];                   // S += phi(k) v^T
                }
            }
            double den = 0;
            for (int a = 0; a < e; a++) {
                den += fq[a] * u[a];                                   // phi(q)^T u
            }
            double[] o = new double[e];
            for (int b = 0; b < e; b++) {
                double num = 0;
                for (int a = 0; a < e; a++) {
                    num += fq[a] * s[a * e + b];                       // phi(q)^T S
                }
                o[b] = num / den;
            }
            out.add(new Step(i, fk, vi, fq, s.clone(), u.clone(), o));
        }
        return out;
    }

    /** @return numbers the recurrent form keeps per head at any position: E*E + E */
    public static long recurrentStateSize(int dHead) {
        return (long) dHead * dHead + dHead;
    }

    /** @return numbers softmax attention keeps per head after {@code tokens} tokens (its KV cache): 2 t E */
    public static long kvCacheSize(int tokens, int dHead) {
        return 2L * tokens * dHead;
    }

    /** phi(x) = elu(x) + 1 (docs/engine.md). */
    private static double[] phi(double[] x, int off, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double a = x[off + i];
            out[i] = a > 0 ? a + 1.0 : Math.exp(a);
        }
        return out;
    }

    /** @return head h of a [1, T, H, E] activation as [T*E] */
    private static double[] head(double[] data, int t, int heads, int e, int h) {
        double[] out = new double[t * e];
        for (int i = 0; i < t; i++) {
            System.arraycopy(data, (i * heads + h) * e, out, i * e, e);
        }
        return out;
    }
}
