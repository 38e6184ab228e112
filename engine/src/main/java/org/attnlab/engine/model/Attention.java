package org.attnlab.engine.model;

import org.ejml.data.DMatrixRMaj;

/**
 * Multi-head attention (Vaswani et al. 2017) with the variants of engine.md: softmax or linear
 * attention (Katharopoulos et al. 2020, phi = elu + 1), causal or bidirectional, rotary q/k
 * (Su et al. 2021) and ALiBi score biases (Press et al. 2021).
 *
 * <p>Shapes: N = B*T rows; q, k, v, z are (N, H*E) in [B, T, H, E] order; scores and pattern are
 * flat [B, H, T, T]. One head of one sequence is a (T, E) block of q with row stride H*E; the
 * per-head products run on {@link MatMul} without copying q, k, v into per-head matrices. Under
 * causal attention only the lower triangle is computed. One instance per layer and thread; it
 * keeps what backward needs.
 */
final class Attention {
    private final TransformerConfig config;
    private final int nHeads, dHead;
    private final boolean causal, linear;
    private final double scale;
    private final PositionalEncodings pos;
    private final MatMul mm;

    final DMatrixRMaj q = new DMatrixRMaj(1, 1), k = new DMatrixRMaj(1, 1), v = new DMatrixRMaj(1, 1);
    final DMatrixRMaj z = new DMatrixRMaj(1, 1);
    /** [B, H, T, T] scores (softmax only; -inf where masked). */
    double[] scores = new double[0];
    /** [B, H, T, T] attention pattern. */
    double[] pattern = new double[0];
    private final DMatrixRMaj fq = new DMatrixRMaj(1, 1), fk = new DMatrixRMaj(1, 1);
    private double[] rowSum = new double[0];
    private double[] dS = new double[0];     // (T, T) gradient of the scores of one head
    private int batch, seq;
    private final DMatrixRMaj dz = new DMatrixRMaj(1, 1), dq = new DMatrixRMaj(1, 1), dk = new DMatrixRMaj(1, 1),
            dv = new DMatrixRMaj(1, 1);
    /** (N, 3 H E) rows [q | k | v] and their gradients; (D, 3 H E) gradient of [W_Q | W_K | W_V]. */
    private final DMatrixRMaj qkv = new DMatrixRMaj(1, 1), dqkv = new DMatrixRMaj(1, 1), dWqkv = new DMatrixRMaj(1, 1);

    Attention(TransformerConfig c, PositionalEncodings pos) {
        this(c, pos, new MatMul());
    }

    /** @param mm the thread's matrix-multiply workspace */
    Attention(TransformerConfig c, PositionalEncodings pos, MatMul mm) {
        this.config = c;
        this.nHeads = c.nHeads();
        this.dHead = c.dHead();
        this.causal = c.causal();
        this.linear = c.attentionType() == TransformerConfig.AttentionType.LINEAR;
        this.scale = 1.0 / Math.sqrt(dHead);
        this.pos = pos;
        this.mm = mm;
    }

    private void ensure(int b, int t) {
        int n = b * t, he = nHeads * dHead, pt = b * nHeads * t * t;
        batch = b;
        seq = t;
        q.reshape(n, he);
        k.reshape(n, he);
        v.reshape(n, he);
        z.reshape(n, he);
        if (linear) {
            fq.reshape(n, he);
            fk.reshape(n, he);
        }
        if (pattern.length < pt) {
            pattern = new double[pt];
            scores = new double[pt];
            rowSum = new double[b * nHeads * t];
        }
        if (dS.length < t * t) {
            dS = new double[t * t];
        }
    }

    /** Looks the weights up by name and packs them (a convenience for one-off calls). */
    void forward(DMatrixRMaj aIn, int b, int t, Parameters p, String prefix, DMatrixRMaj out, HookSite hooks) {
        LayerWeights w = new LayerWeights(p, prefix, config);
        w.pack(true);
        forward(aIn, b, t, w, prefix, out, hooks);
    }

    /** Looks the weights and gradients up by name (a convenience for one-off calls). */
    void backward(DMatrixRMaj aIn, Parameters p, String prefix, DMatrixRMaj dOut, DMatrixRMaj daIn, Parameters g) {
        LayerWeights w = new LayerWeights(p, prefix, config);
        w.pack(true);
        backward(aIn, w, dOut, daIn, new LayerWeights(g, prefix, config));
    }

    /**
     * {@code out = sum_h softmax(q_h k_h^T / sqrt(E) + bias + mask) v_h W_O[h] + b_O}, or its
     * linear-attention counterpart.
     *
     * @param aIn (N, D) input rows, kept by reference until backward
     * @param out (N, D) overwritten
     */
    void forward(DMatrixRMaj aIn, int b, int t, LayerWeights w, String prefix, DMatrixRMaj out, HookSite hooks) {
        ensure(b, t);
        int he = nHeads * dHead, e = dHead;
        // (N, 3 H*E) [q | k | v] = a [W_Q | W_K | W_V] + [b_Q | b_K | b_V], one multiply
        int n = b * t, d = aIn.numCols, he3 = 3 * he;
        qkv.reshape(n, he3);
        double[] qd = qkv.data;
        for (int r = 0; r < n; r++) {
            System.arraycopy(w.bq.data, 0, qd, r * he3, he);
            System.arraycopy(w.bk.data, 0, qd, r * he3 + he, he);
            System.arraycopy(w.bv.data, 0, qd, r * he3 + 2 * he, he);
        }
        mm.multAdd(aIn.data, 0, d, w.wqkv.rows(), n, d, he3, qd, 0, he3, MatMul.FULL);
        for (int r = 0; r < n; r++) {
            System.arraycopy(qd, r * he3, q.data, r * he, he);        // (N, H*E) q = a W_Q + b_Q
            System.arraycopy(qd, r * he3 + he, k.data, r * he, he);
            System.arraycopy(qd, r * he3 + 2 * he, v.data, r * he, he);
        }
        if (pos.rotary()) {
            pos.rotate(q, t, nHeads, dHead, false);
            pos.rotate(k, t, nHeads, dHead, false);
        }
        if (hooks.active()) {
            hooks.fire(prefix + "attn.hook_q", q);
            hooks.fire(prefix + "attn.hook_k", k);
            hooks.fire(prefix + "attn.hook_v", v);
        }
        if (linear) {
            phi(q, fq);
            phi(k, fk);
        }
        DMatrixRMaj qs = linear ? fq : q, ks = linear ? fk : k;
        int nLimit = causal ? MatMul.LOWER_N : MatMul.FULL;
        double[] sc = linear ? pattern : scores;                      // linear: sim goes straight to pattern
        for (int bi = 0; bi < b; bi++) {
            for (int h = 0; h < nHeads; h++) {
                int base = (bi * nHeads + h) * t * t, off = bi * t * he + h * e;
                java.util.Arrays.fill(sc, base, base + t * t, 0.0);
                double[][] kt = mm.packTransposed(ks.data, off, he, t, e);          // (E, T) k_h^T
                mm.multAdd(qs.data, off, he, kt, t, e, t, sc, base, t, nLimit);     // (T, T) q_h k_h^T
                if (linear) {
                    // sim = phi(q) phi(k)^T, 0 where masked; pattern = sim / row sum
                    for (int i = 0; i < t; i++) {
                        int r = base + i * t;
                        double s = 0;
                        for (int j = 0; j < t; j++) {
                            if (causal && j > i) {
                                sc[r + j] = 0.0;
                            }
                            s += sc[r + j];
                        }
                        rowSum[(bi * nHeads + h) * t + i] = s;
                        for (int j = 0; j < t; j++) {
                            sc[r + j] /= s;
                        }
                    }
                } else {
                    double slope = pos.alibi() ? pos.alibiSlope(h) : 0.0;
                    for (int i = 0; i < t; i++) {
                        int r = base + i * t;
                        int jEnd = causal ? i + 1 : t;
                        for (int j = 0; j < jEnd; j++) {
                            double s = sc[r + j] * scale;                            // / sqrt(E)
                            if (slope != 0.0) {
                                s -= slope * Math.abs(i - j);
                            }
                            sc[r + j] = s;
                        }
                        for (int j = jEnd; j < t; j++) {
                            sc[r + j] = Double.NEGATIVE_INFINITY;
                        }
                    }
                }
            }
        }
        if (!linear) {
            if (hooks.active()) {
                hooks.firePattern(prefix + "attn.hook_attn_scores", scores);
            }
            softmaxRows(scores, pattern, b * nHeads * t, t);
        }
        if (hooks.active()) {
            hooks.firePattern(prefix + "attn.hook_pattern", pattern);
        }
        z.zero();
        int kLimit = causal ? MatMul.LOWER_K : MatMul.FULL;
        for (int bi = 0; bi < b; bi++) {
            for (int h = 0; h < nHeads; h++) {
                int base = (bi * nHeads + h) * t * t, off = bi * t * he + h * e;
                double[][] vr = mm.packRows(v.data, off, he, t, e);                 // (T, E) v_h
                mm.multAdd(pattern, base, t, vr, t, t, e, z.data, off, he, kLimit); // z_h = P v_h
            }
        }
        if (hooks.active()) {
            hooks.fire(prefix + "attn.hook_z", z);
        }
        Linear.forward(mm, z, w.wo, w.bo, out);                       // (N, D) out = z W_O + b_O
    }

    /**
     * Backward of {@link #forward}: accumulates into {@code daIn} and the gradients in {@code g}.
     *
     * @param aIn  (N, D) the forward input
     * @param dOut (N, D) gradient of the attention output
     * @param daIn (N, D) accumulated into
     * @param g    the gradients of this layer's attention weights, accumulated into
     */
    void backward(DMatrixRMaj aIn, LayerWeights w, DMatrixRMaj dOut, DMatrixRMaj daIn, LayerWeights g) {
        int b = batch, t = seq, he = nHeads * dHead, e = dHead;
        dz.reshape(b * t, he);
        dq.reshape(b * t, he);
        dk.reshape(b * t, he);
        dv.reshape(b * t, he);
        dz.zero();
        // forward: out = z W_O + b_O
        Linear.backward(mm, z, w.wo, dOut, dz, g.wo.w, g.bo);
        dq.zero();
        dk.zero();
        dv.zero();
        DMatrixRMaj qs = linear ? fq : q, ks = linear ? fk : k;
        int nLimit = causal ? MatMul.LOWER_N : MatMul.FULL;
        int kLower = causal ? MatMul.LOWER_K : MatMul.FULL, kUpper = causal ? MatMul.UPPER_K : MatMul.FULL;
        double[] ds = dS;
        for (int bi = 0; bi < b; bi++) {
            for (int h = 0; h < nHeads; h++) {
                int base = (bi * nHeads + h) * t * t, off = bi * t * he + h * e;
                // forward: z_h = P v_h, so dP = dz_h v_h^T and dv_h += P^T dz_h
                java.util.Arrays.fill(ds, 0, t * t, 0.0);
                double[][] vt = mm.packTransposed(v.data, off, he, t, e);           // (E, T) v_h^T
                mm.multAdd(dz.data, off, he, vt, t, e, t, ds, 0, t, nLimit);        // (T, T) dP
                double[][] dzr = mm.packRows(dz.data, off, he, t, e);               // (T, E) dz_h
                mm.multAddTransA(pattern, base, t, dzr, t, t, e, dv.data, off, he, kUpper);
                if (linear) {
                    // forward: P_ij = sim_ij / s_i, sim_ij = phi(q_i).phi(k_j) (0 where masked)
                    for (int i = 0; i < t; i++) {
                        int r = i * t, pr = base + i * t;
                        double dot = 0;
                        for (int j = 0; j < t; j++) {
                            dot += pattern[pr + j] * ds[r + j];
                        }
                        double s = rowSum[(bi * nHeads + h) * t + i];
                        for (int j = 0; j < t; j++) {
                            ds[r + j] = causal && j > i ? 0.0 : (ds[r + j] - dot) / s;
                        }
                    }
                } else {
                    // forward: P = softmax(S), S = q k^T * scale (+ constant bias and mask),
                    // so dS = P (dP - sum_j P dP) and the scale moves onto dS
                    for (int i = 0; i < t; i++) {
                        int r = i * t, pr = base + i * t;
                        int jEnd = causal ? i + 1 : t;
                        double dot = 0;
                        for (int j = 0; j < jEnd; j++) {
                            dot += pattern[pr + j] * ds[r + j];
                        }
                        for (int j = 0; j < jEnd; j++) {
                            ds[r + j] = pattern[pr + j] * (ds[r + j] - dot) * scale;
                        }
                        for (int j = jEnd; j < t; j++) {
                            ds[r + j] = 0.0;
                        }
                    }
                }
                double[][] kr = mm.packRows(ks.data, off, he, t, e);                // (T, E) k_h
                mm.multAdd(ds, 0, t, kr, t, t, e, dq.data, off, he, kLower);        // dq_h += dS k_h
                double[][] qr = mm.packRows(qs.data, off, he, t, e);                // (T, E) q_h
                mm.multAddTransA(ds, 0, t, qr, t, t, e, dk.data, off, he, kUpper);  // dk_h += dS^T q_h
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
        // forward: [q | k | v] = a [W_Q | W_K | W_V] + [b_Q | b_K | b_V], so now
        // d[b_Q | b_K | b_V] += column sums, d[W_Q | W_K | W_V] += a^T d[q | k | v],
        // da += d[q | k | v] [W_Q | W_K | W_V]^T
        int n = b * t, d = aIn.numCols, he3 = 3 * he;
        dqkv.reshape(n, he3);
        double[] dd = dqkv.data;
        for (int r = 0; r < n; r++) {
            System.arraycopy(dq.data, r * he, dd, r * he3, he);
            System.arraycopy(dk.data, r * he, dd, r * he3 + he, he);
            System.arraycopy(dv.data, r * he, dd, r * he3 + 2 * he, he);
        }
        mm.addColumnSums(dq.data, 0, he, n, he, g.bq.data);
        mm.addColumnSums(dk.data, 0, he, n, he, g.bk.data);
        mm.addColumnSums(dv.data, 0, he, n, he, g.bv.data);
        dWqkv.reshape(d, he3);
        dWqkv.zero();
        double[][] dp = mm.packRows(dd, 0, he3, n, he3);                            // (N, 3 H*E) packed
        mm.multAddTransA(aIn.data, 0, d, dp, d, n, he3, dWqkv.data, 0, he3, MatMul.FULL);
        double[] gq = g.wq.w.data, gk = g.wk.w.data, gv = g.wv.w.data, gw = dWqkv.data;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < he; j++) {
                gq[i * he + j] += gw[i * he3 + j];
                gk[i * he + j] += gw[i * he3 + he + j];
                gv[i * he + j] += gw[i * he3 + 2 * he + j];
            }
        }
        mm.multAdd(dd, 0, he3, w.wqkv.rowsT(), n, he3, d, daIn.data, 0, d, MatMul.FULL);
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
                double x = in[off + j];
                double e = x == Double.NEGATIVE_INFINITY ? 0.0 : Math.exp(x - max);
                out[off + j] = e;
                sum += e;
            }
            double inv = 1.0 / sum;
            for (int j = 0; j < t; j++) {
                out[off + j] *= inv;
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
}
