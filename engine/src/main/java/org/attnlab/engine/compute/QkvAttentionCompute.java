package org.attnlab.engine.compute;

import java.util.Arrays;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.DMatrixRMaj;

/**
 * What every attention that mixes values by a T x T pattern shares (TransformerLens's
 * {@code abstract_attention.py}): q, k, v from one multiply by {@code [W_Q | W_K | W_V]}, rotary
 * q/k (Su et al. 2021), the q/k/v, pattern and z hooks, {@code z_h = P_h v_h} and
 * {@code out = z W_O + b_O}, and their backward. A subclass computes only the pattern from q and k
 * ({@link #pattern}) and its backward ({@link #scoreGradient}, {@link #featureBackward}):
 * softmax of scaled dot products ({@link SoftmaxAttentionCompute}) or normalized feature dot
 * products ({@link LinearAttentionCompute}).
 *
 * <p>Shapes: N = B*T rows; q, k, v, z are (N, H*E) in [B, T, H, E] order; pattern is flat
 * [B, H, T, T]. One head of one sequence is a (T, E) block of q with row stride H*E; the
 * per-head products run on {@link MatMul} without copying q, k, v into per-head matrices. Under
 * causal attention only the lower triangle is computed. One instance per layer and thread; it
 * keeps what backward needs. Buffers are sized for their own shape on every pass (a pass of
 * another B or T never reads a buffer sized for an earlier one).
 */
public abstract class QkvAttentionCompute implements AttentionCompute {
    protected final int nHeads, dHead;
    protected final boolean causal;
    protected final Positions pos;
    protected final MatMul mm;
    private final HookPoint hookQ, hookK, hookV, hookPattern, hookZ;

    final DMatrixRMaj q = new DMatrixRMaj(1, 1), k = new DMatrixRMaj(1, 1), v = new DMatrixRMaj(1, 1);
    final DMatrixRMaj z = new DMatrixRMaj(1, 1);
    /** [B, H, T, T] attention pattern. */
    protected double[] pattern = new double[0];
    /** B and T of the last forward pass. */
    protected int batch, seq;
    private double[] dS = new double[0];     // (T, T) gradient of the pattern, then of the scores, of one head
    private final DMatrixRMaj dz = new DMatrixRMaj(1, 1), dq = new DMatrixRMaj(1, 1), dk = new DMatrixRMaj(1, 1),
            dv = new DMatrixRMaj(1, 1);
    /** (N, 3 H E) rows [q | k | v] and their gradients; (D, 3 H E) gradient of [W_Q | W_K | W_V]. */
    private final DMatrixRMaj qkv = new DMatrixRMaj(1, 1), dqkv = new DMatrixRMaj(1, 1), dWqkv = new DMatrixRMaj(1, 1);

    /**
     * @param layer the block (names the hooks)
     * @param pos   the model's position tables
     * @param mm    the thread's matrix-multiply workspace
     */
    protected QkvAttentionCompute(TransformerConfig c, int layer, Positions pos, MatMul mm) {
        this.nHeads = c.nHeads();
        this.dHead = c.dHead();
        this.causal = c.causal();
        this.pos = pos;
        this.mm = mm;
        this.hookQ = HookPoint.of(layer, HookPoint.Site.ATTN_Q);
        this.hookK = HookPoint.of(layer, HookPoint.Site.ATTN_K);
        this.hookV = HookPoint.of(layer, HookPoint.Site.ATTN_V);
        this.hookPattern = HookPoint.of(layer, HookPoint.Site.ATTN_PATTERN);
        this.hookZ = HookPoint.of(layer, HookPoint.Site.ATTN_Z);
    }

    private void ensure(int b, int t) {
        int n = b * t, he = nHeads * dHead, pt = b * nHeads * t * t;
        batch = b;
        seq = t;
        q.reshape(n, he);
        k.reshape(n, he);
        v.reshape(n, he);
        z.reshape(n, he);
        if (pattern.length < pt) {
            pattern = new double[pt];
        }
        if (dS.length < t * t) {
            dS = new double[t * t];
        }
        ensureBuffers(b, t);
    }

    /** Sizes the subclass's own buffers for B sequences of T (each for its own shape). */
    protected abstract void ensureBuffers(int b, int t);

    /**
     * Fills {@link #pattern} [B, H, T, T] from {@code q} and {@code k} (after rotary) and fires
     * any hooks of its own (softmax: {@code hook_attn_scores}). Masked entries must be 0.
     */
    protected abstract void pattern(int b, int t, HookSite hooks);

    /**
     * The backward of {@link #pattern} for one head: turns {@code ds}, (T, T) d loss / d pattern
     * of head h of sequence bi, in place into the gradient of the products
     * {@code queries()_i . keys()_j}, 0 where masked.
     *
     * @param base offset of the head's (T, T) block in {@link #pattern}
     */
    protected abstract void scoreGradient(int bi, int h, int base, double[] ds, int t);

    /** @return (N, H*E) what the pattern's dot products read for the queries: q, or phi(q) */
    protected abstract DMatrixRMaj queries();

    /**
     * Whether {@code b_K} can change the loss. When it cannot (softmax attention without rotary:
     * {@code q . b_K} adds one constant to a query's every score, and softmax ignores constants),
     * its gradient is exactly zero and backward leaves it so, instead of summing round-off
     * (1e-18 in float64, 1e-8 in float32, which AdamW's first step would blow up to +-lr).
     *
     * @return true (the default) when the column sums of dk are b_K's gradient
     */
    protected boolean keyBiasHasGradient() {
        return true;
    }

    /** @return (N, H*E) what they read for the keys: k, or phi(k) */
    protected abstract DMatrixRMaj keys();

    /**
     * Turns {@code dq}, {@code dk} (gradients of {@link #queries()}, {@link #keys()}) in place into
     * gradients of q and k (after rotary); nothing when the pattern reads q and k themselves.
     */
    protected abstract void featureBackward(DMatrixRMaj q, DMatrixRMaj k, DMatrixRMaj dq, DMatrixRMaj dk);

    /**
     * {@code sc[head block] = qs_h ks_h^T} for head h of sequence bi: the (T, T) dot products of
     * one head, only the lower triangle (and the entries past it that a row pair computes) under
     * causal attention; the rest of the block is 0.
     *
     * @param qs (N, H*E) queries, {@code ks} keys, as {@link #queries()}, {@link #keys()}
     * @param sc [B, H, T, T], the head's block overwritten
     */
    protected final void headProducts(DMatrixRMaj qs, DMatrixRMaj ks, double[] sc, int bi, int h, int t) {
        int he = nHeads * dHead, e = dHead;
        int base = (bi * nHeads + h) * t * t, off = bi * t * he + h * e;
        Arrays.fill(sc, base, base + t * t, 0.0);
        double[][] kt = mm.packTransposed(ks.data, off, he, t, e);                      // (E, T) k_h^T
        mm.multAdd(qs.data, off, he, kt, t, e, t, sc, base, t, causal ? MatMul.LOWER_N : MatMul.FULL); // q_h k_h^T
    }

    /**
     * {@code out = sum_h P_h v_h W_O[h] + b_O}, P the subclass's pattern.
     *
     * @param aIn (N, D) input rows, kept by reference until backward
     * @param out (N, D) overwritten
     */
    @Override
    public final void forward(DMatrixRMaj aIn, int b, int t, AttentionWeights weights, DMatrixRMaj out,
                              HookSite hooks) {
        QkvWeights w = (QkvWeights) weights;
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
            hooks.fire(hookQ, q);
            hooks.fire(hookK, k);
            hooks.fire(hookV, v);
        }
        pattern(b, t, hooks);                                         // [B, H, T, T] P
        if (hooks.active()) {
            hooks.firePattern(hookPattern, pattern);
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
            hooks.fire(hookZ, z);
        }
        Linear.forward(mm, z, w.wo, w.bo, out);                       // (N, D) out = z W_O + b_O
    }

    /**
     * Backward of {@link #forward}: accumulates into {@code daIn} and the gradients in {@code g}.
     *
     * @param aIn  (N, D) the forward input
     * @param dOut (N, D) gradient of the attention output
     * @param daIn (N, D) accumulated into
     * @param grads the gradients of this layer's attention weights, accumulated into
     */
    @Override
    public final void backward(DMatrixRMaj aIn, AttentionWeights weights, DMatrixRMaj dOut, DMatrixRMaj daIn,
                               AttentionWeights grads) {
        QkvWeights w = (QkvWeights) weights, g = (QkvWeights) grads;
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
        DMatrixRMaj qs = queries(), ks = keys();
        int nLimit = causal ? MatMul.LOWER_N : MatMul.FULL;
        int kLower = causal ? MatMul.LOWER_K : MatMul.FULL, kUpper = causal ? MatMul.UPPER_K : MatMul.FULL;
        double[] ds = dS;
        for (int bi = 0; bi < b; bi++) {
            for (int h = 0; h < nHeads; h++) {
                int base = (bi * nHeads + h) * t * t, off = bi * t * he + h * e;
                // forward: z_h = P v_h, so dP = dz_h v_h^T and dv_h += P^T dz_h
                Arrays.fill(ds, 0, t * t, 0.0);
                double[][] vt = mm.packTransposed(v.data, off, he, t, e);           // (E, T) v_h^T
                mm.multAdd(dz.data, off, he, vt, t, e, t, ds, 0, t, nLimit);        // (T, T) dP
                double[][] dzr = mm.packRows(dz.data, off, he, t, e);               // (T, E) dz_h
                mm.multAddTransA(pattern, base, t, dzr, t, t, e, dv.data, off, he, kUpper);
                scoreGradient(bi, h, base, ds, t);                                  // (T, T) dS
                // forward: S = qs_h ks_h^T, so dqs_h += dS ks_h and dks_h += dS^T qs_h
                double[][] kr = mm.packRows(ks.data, off, he, t, e);                // (T, E) k_h
                mm.multAdd(ds, 0, t, kr, t, t, e, dq.data, off, he, kLower);        // dq_h += dS k_h
                double[][] qr = mm.packRows(qs.data, off, he, t, e);                // (T, E) q_h
                mm.multAddTransA(ds, 0, t, qr, t, t, e, dk.data, off, he, kUpper);  // dk_h += dS^T q_h
            }
        }
        featureBackward(q, k, dq, dk);
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
        if (keyBiasHasGradient()) {
            mm.addColumnSums(dk.data, 0, he, n, he, g.bk.data);
        }
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
}
