package org.attnlab.engine.model;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Multi-head attention (Vaswani et al. 2017) with the variants of engine.md: softmax or linear
 * attention (Katharopoulos et al. 2020, phi = elu + 1), causal or bidirectional, rotary q/k
 * (Su et al. 2021) and ALiBi score biases (Press et al. 2021).
 *
 * <p>Shapes: N = B*T rows; q, k, v, z are (N, H*E) in [B, T, H, E] order; scores and pattern are
 * flat [B, H, T, T]. One instance per layer; it keeps what backward needs.
 */
final class Attention {
    private final int nHeads, dHead;
    private final boolean causal, linear;
    private final double scale;
    private final PositionalEncodings pos;

    final DMatrixRMaj q = new DMatrixRMaj(1, 1), k = new DMatrixRMaj(1, 1), v = new DMatrixRMaj(1, 1);
    final DMatrixRMaj z = new DMatrixRMaj(1, 1);
    /** [B, H, T, T] scores (softmax only; -inf where masked). */
    double[] scores = new double[0];
    /** [B, H, T, T] attention pattern. */
    double[] pattern = new double[0];
    private final DMatrixRMaj fq = new DMatrixRMaj(1, 1), fk = new DMatrixRMaj(1, 1);
    private double[] rowSum = new double[0];
    private int batch, seq;

    // Per-(b, h) scratch, (T, E) and (T, T).
    private final DMatrixRMaj qh = new DMatrixRMaj(1, 1), kh = new DMatrixRMaj(1, 1), vh = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj zh = new DMatrixRMaj(1, 1), ph = new DMatrixRMaj(1, 1), dph = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj dqh = new DMatrixRMaj(1, 1), dkh = new DMatrixRMaj(1, 1), dvh = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj dz = new DMatrixRMaj(1, 1), dq = new DMatrixRMaj(1, 1), dk = new DMatrixRMaj(1, 1),
            dv = new DMatrixRMaj(1, 1);

    Attention(TransformerConfig c, PositionalEncodings pos) {
        this.nHeads = c.nHeads();
        this.dHead = c.dHead();
        this.causal = c.causal();
        this.linear = c.attentionType() == TransformerConfig.AttentionType.LINEAR;
        this.scale = 1.0 / Math.sqrt(dHead);
        this.pos = pos;
    }

    private void ensure(int b, int t) {
        int n = b * t, he = nHeads * dHead, pt = b * nHeads * t * t;
        batch = b;
        seq = t;
        for (DMatrixRMaj m : new DMatrixRMaj[] {q, k, v, z, fq, fk, dz, dq, dk, dv}) {
            m.reshape(n, he);
        }
        if (pattern.length < pt) {
            pattern = new double[pt];
            scores = new double[pt];
            rowSum = new double[b * nHeads * t];
        }
        for (DMatrixRMaj m : new DMatrixRMaj[] {qh, kh, vh, zh, dqh, dkh, dvh}) {
            m.reshape(t, dHead);
        }
        ph.reshape(t, t);
        dph.reshape(t, t);
    }

    /**
     * {@code out = sum_h softmax(q_h k_h^T / sqrt(E) + bias + mask) v_h W_O[h] + b_O}, or its
     * linear-attention counterpart.
     *
     * @param aIn (N, D) input rows, kept by reference until backward
     * @param out (N, D) overwritten
     */
    void forward(DMatrixRMaj aIn, int b, int t, Parameters p, String prefix, DMatrixRMaj out, HookSite hooks) {
        ensure(b, t);
        Linear.forward(aIn, p.m(prefix + "attn.W_Q"), p.m(prefix + "attn.b_Q"), q);
        Linear.forward(aIn, p.m(prefix + "attn.W_K"), p.m(prefix + "attn.b_K"), k);
        Linear.forward(aIn, p.m(prefix + "attn.W_V"), p.m(prefix + "attn.b_V"), v);
        if (pos.rotary()) {
            pos.rotate(q, t, nHeads, dHead, false);
            pos.rotate(k, t, nHeads, dHead, false);
        }
        hooks.fire(prefix + "attn.hook_q", q);
        hooks.fire(prefix + "attn.hook_k", k);
        hooks.fire(prefix + "attn.hook_v", v);
        if (linear) {
            phi(q, fq);
            phi(k, fk);
        }
        for (int bi = 0; bi < b; bi++) {
            for (int h = 0; h < nHeads; h++) {
                int base = (bi * nHeads + h) * t * t;
                if (linear) {
                    gather(fq, bi, h, qh);
                    gather(fk, bi, h, kh);
                    CommonOps_DDRM.multTransB(qh, kh, ph);          // (T, T) sim = phi(q) phi(k)^T
                    for (int i = 0; i < t; i++) {
                        double s = 0;
                        for (int j = 0; j < t; j++) {
                            double x = causal && j > i ? 0.0 : ph.data[i * t + j];
                            ph.data[i * t + j] = x;
                            s += x;
                        }
                        rowSum[(bi * nHeads + h) * t + i] = s;
                        for (int j = 0; j < t; j++) {
                            pattern[base + i * t + j] = ph.data[i * t + j] / s;
                        }
                    }
                } else {
                    gather(q, bi, h, qh);
                    gather(k, bi, h, kh);
                    CommonOps_DDRM.multTransB(scale, qh, kh, ph);   // (T, T) q k^T / sqrt(E)
                    for (int i = 0; i < t; i++) {
                        for (int j = 0; j < t; j++) {
                            double s = ph.data[i * t + j];
                            if (pos.alibi()) {
                                s -= pos.alibiSlope(h) * Math.abs(i - j);
                            }
                            if (causal && j > i) {
                                s = Double.NEGATIVE_INFINITY;
                            }
                            scores[base + i * t + j] = s;
                        }
                    }
                }
            }
        }
        if (!linear) {
            hooks.firePattern(prefix + "attn.hook_attn_scores", scores);
            softmaxRows(scores, pattern, b * nHeads * t, t);
        }
        hooks.firePattern(prefix + "attn.hook_pattern", pattern);
        for (int bi = 0; bi < b; bi++) {
            for (int h = 0; h < nHeads; h++) {
                loadPattern(bi, h, ph);
                gather(v, bi, h, vh);
                CommonOps_DDRM.mult(ph, vh, zh);                      // (T, E) z = pattern v
                scatter(zh, bi, h, z, false);
            }
        }
        hooks.fire(prefix + "attn.hook_z", z);
        Linear.forward(z, p.m(prefix + "attn.W_O"), p.m(prefix + "attn.b_O"), out);
    }

    /**
     * Backward of {@link #forward}: accumulates into {@code daIn} and the gradients in {@code g}.
     *
     * @param aIn  (N, D) the forward input
     * @param dOut (N, D) gradient of the attention output
     * @param daIn (N, D) accumulated into
     */
    void backward(DMatrixRMaj aIn, Parameters p, String prefix, DMatrixRMaj dOut, DMatrixRMaj daIn, Parameters g) {
        int b = batch, t = seq;
        dz.zero();
        // forward: out = z W_O + b_O
        Linear.backward(z, p.m(prefix + "attn.W_O"), dOut, dz, g.m(prefix + "attn.W_O"), g.m(prefix + "attn.b_O"));
        dq.zero();
        dk.zero();
        dv.zero();
        for (int bi = 0; bi < b; bi++) {
            for (int h = 0; h < nHeads; h++) {
                loadPattern(bi, h, ph);
                gather(v, bi, h, vh);
                gather(dz, bi, h, zh);                                // zh now holds dz_h
                CommonOps_DDRM.multTransB(zh, vh, dph);              // dP = dz v^T
                CommonOps_DDRM.multTransA(ph, zh, dvh);              // dv = P^T dz
                scatter(dvh, bi, h, dv, true);
                double[] pd = ph.data, dpd = dph.data;
                if (linear) {
                    // forward: P_ij = sim_ij / s_i, sim_ij = phi(q_i).phi(k_j) (0 where masked)
                    for (int i = 0; i < t; i++) {
                        double dot = 0;
                        for (int j = 0; j < t; j++) {
                            dot += pd[i * t + j] * dpd[i * t + j];
                        }
                        double s = rowSum[(bi * nHeads + h) * t + i];
                        for (int j = 0; j < t; j++) {
                            dpd[i * t + j] = causal && j > i ? 0.0 : (dpd[i * t + j] - dot) / s;
                        }
                    }
                    gather(fq, bi, h, qh);
                    gather(fk, bi, h, kh);
                    CommonOps_DDRM.mult(dph, kh, dqh);                // d phi(q) = dsim phi(k)
                    CommonOps_DDRM.multTransA(dph, qh, dkh);          // d phi(k) = dsim^T phi(q)
                } else {
                    // forward: P = softmax(S), S = q k^T * scale (+ constant bias and mask)
                    for (int i = 0; i < t; i++) {
                        double dot = 0;
                        for (int j = 0; j < t; j++) {
                            dot += pd[i * t + j] * dpd[i * t + j];
                        }
                        for (int j = 0; j < t; j++) {
                            dpd[i * t + j] = pd[i * t + j] * (dpd[i * t + j] - dot);
                        }
                    }
                    gather(q, bi, h, qh);
                    gather(k, bi, h, kh);
                    CommonOps_DDRM.mult(scale, dph, kh, dqh);        // dq = dS k * scale
                    CommonOps_DDRM.multTransA(scale, dph, qh, dkh);  // dk = dS^T q * scale
                }
                scatter(dqh, bi, h, dq, true);
                scatter(dkh, bi, h, dk, true);
            }
        }
        if (linear) {
            phiBackward(q, dq);
            phiBackward(k, dk);
        }
        if (pos.rotary()) {
            pos.rotate(dq, t, nHeads, dHead, true);
            pos.rotate(dk, t, nHeads, dHead, true);
        }
        Linear.backward(aIn, p.m(prefix + "attn.W_Q"), dq, daIn, g.m(prefix + "attn.W_Q"), g.m(prefix + "attn.b_Q"));
        Linear.backward(aIn, p.m(prefix + "attn.W_K"), dk, daIn, g.m(prefix + "attn.W_K"), g.m(prefix + "attn.b_K"));
        Linear.backward(aIn, p.m(prefix + "attn.W_V"), dv, daIn, g.m(prefix + "attn.W_V"), g.m(prefix + "attn.b_V"));
    }

    /** Row-wise softmax of {@code rows} rows of length {@code t}; -inf entries become 0. */
    static void softmaxRows(double[] in, double[] out, int rows, int t) {
        for (int r = 0; r < rows; r++) {
            int off = r * t;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < t; j++) {
                max = Math.max(max, in[off + j]);
            }
            double sum = 0;
            for (int j = 0; j < t; j++) {
                double e = Math.exp(in[off + j] - max);
                out[off + j] = e;
                sum += e;
            }
            for (int j = 0; j < t; j++) {
                out[off + j] /= sum;
            }
        }
    }

    /** phi(x) = elu(x) + 1 = x + 1 for x > 0, exp(x) otherwise. */
    private static void phi(DMatrixRMaj x, DMatrixRMaj out) {
        int n = x.getNumElements();
        for (int i = 0; i < n; i++) {
            double a = x.data[i];
            out.data[i] = a > 0 ? a + 1.0 : Math.exp(a);
        }
    }

    /** d/dx (elu(x) + 1) = 1 for x > 0, exp(x) otherwise; scales {@code grad} in place. */
    private static void phiBackward(DMatrixRMaj x, DMatrixRMaj grad) {
        int n = x.getNumElements();
        for (int i = 0; i < n; i++) {
            double a = x.data[i];
            if (!(a > 0)) {
                grad.data[i] *= Math.exp(a);
            }
        }
    }

    private void loadPattern(int bi, int h, DMatrixRMaj dst) {
        System.arraycopy(pattern, (bi * nHeads + h) * seq * seq, dst.data, 0, seq * seq);
    }

    /** dst (T, E) = src[b*T:(b+1)*T, h*E:(h+1)*E]. */
    private void gather(DMatrixRMaj src, int bi, int h, DMatrixRMaj dst) {
        int he = nHeads * dHead;
        for (int i = 0; i < seq; i++) {
            System.arraycopy(src.data, (bi * seq + i) * he + h * dHead, dst.data, i * dHead, dHead);
        }
    }

    /** dst[b*T:(b+1)*T, h*E:(h+1)*E] = src (or += src when {@code add}). */
    private void scatter(DMatrixRMaj src, int bi, int h, DMatrixRMaj dst, boolean add) {
        int he = nHeads * dHead;
        for (int i = 0; i < seq; i++) {
            int o = (bi * seq + i) * he + h * dHead;
            if (add) {
                for (int e = 0; e < dHead; e++) {
                    dst.data[o + e] += src.data[i * dHead + e];
                }
            } else {
                System.arraycopy(src.data, i * dHead, dst.data, o, dHead);
            }
        }
    }
}
