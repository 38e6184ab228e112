package org.attnlab.engine.model;

import java.util.Objects;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.ActivationHook;
import org.ejml.data.DMatrixRMaj;

/**
 * The transformer of engine.md on EJML matrices: token (+ positional) embedding, L blocks, an
 * optional final LayerNorm, and the unembedding. Forward fills hooks named as in
 * TransformerLens; backward is written by hand, one forward/backward pair per layer kind.
 *
 * <p>Shape letters: B batch, T sequence length (T &lt;= n_ctx), V d_vocab, D d_model, N = B*T.
 * Buffers are allocated on first use and reused while B and T stay the same, so a steady-state
 * training step allocates nothing.
 *
 * <p>Threads: with {@code threads > 1}, a pass without hooks splits the batch into that many
 * fixed slices of whole sequences (slice p holds sequences {@code [B p / n, B (p+1) / n)}), one
 * per thread. Each slice accumulates its weight gradients into its own buffers, and they are
 * added in slice order afterwards, so a given seed and thread count give bit-identical results
 * on every run; different thread counts agree to rounding (about 1e-15 relative). A pass with
 * a hook runs on the calling thread over the whole batch. An instance is not thread-safe: one
 * thread calls it at a time.
 */
public final class Transformer {
    private final TransformerConfig config;
    private final Parameters params;
    private final int threads;
    private final Shard[] shards;

    private final DMatrixRMaj logits = new DMatrixRMaj(1, 1);     // (N, V) when split
    private final DMatrixRMaj dLogits = new DMatrixRMaj(1, 1);    // (N, V) single-shard training
    private int[] tokens = new int[0];
    private int batch, seq, parts;
    private boolean hasForward;

    // The job being run by the shards (set before Parallel.run, read by the parts).
    private Batch jobBatch;
    private Parameters jobGrads;
    private DMatrixRMaj jobDLogits;
    private int jobCount;
    private final Parallel.Task forwardPart = this::forwardPart;
    private final Parallel.Task trainPart = this::trainPart;
    private final Parallel.Task backwardPart = this::backwardPart;
    private final Parallel.Task reducePart = this::reducePart;

    /**
     * A model that computes on the calling thread.
     *
     * @param params the model's parameters, used live (an optimizer may change them between passes)
     */
    public Transformer(Parameters params) {
        this(params, 1);
    }

    /**
     * @param params  the model's parameters, used live (an optimizer may change them between passes)
     * @param threads how many threads a pass without hooks may use (the caller's plus shared
     *                helpers), at least 1
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public Transformer(Parameters params, int threads) {
        this.params = Objects.requireNonNull(params, "params");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.config = params.config();
        PositionalEncodings pos = new PositionalEncodings(config);
        this.shards = new Shard[threads];
        for (int i = 0; i < threads; i++) {
            shards[i] = new Shard(params, pos);
        }
    }

    /** @return the configuration */
    public TransformerConfig config() {
        return config;
    }

    /** @return the live parameters */
    public Parameters params() {
        return params;
    }

    /** @return the number of threads a pass may use */
    public int threads() {
        return threads;
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
        start(toks, b, t, hook == null ? Math.min(threads, b) : 1);
        DMatrixRMaj out;
        if (parts == 1) {
            HookSite hooks = hook == null ? HookSite.NONE : new HookSite(hook, b, t, config.nHeads(), config.dHead());
            shards[0].forward(tokens, 0, b, t, hooks);
            out = shards[0].logits;
        } else {
            logits.reshape(b * t, config.dVocab());
            Parallel.run(parts, forwardPart);
            out = logits;
        }
        if (hook != null) {
            hook.apply("logits", new int[] {b, t, config.dVocab()}, out.data);
        }
        hasForward = true;
        return out;
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
        int b = batch.batchSize(), t = batch.seqLen();
        validate(batch.tokens(), b, t);
        int count = batch.scoredCount();
        if (count == 0) {
            throw new IllegalArgumentException("the batch has no scored positions (loss_mask is all 0)");
        }
        CrossEntropy.checkTargets(batch, config.dVocab());
        start(batch.tokens(), b, t, Math.min(threads, b));
        hasForward = true;
        if (parts == 1) {
            Shard s = shards[0];
            s.forward(tokens, 0, b, t, HookSite.NONE);
            double loss = CrossEntropy.lossSum(s.logits, batch, 0, count, dLogits) / count;
            grads.zero();
            s.backward(dLogits, grads);
            return loss;
        }
        jobBatch = batch;
        jobGrads = grads;
        jobCount = count;
        try {
            Parallel.run(parts, trainPart);
            Parallel.run(parts, reducePart);
        } finally {
            jobBatch = null;
            jobGrads = null;
        }
        double total = 0;
        for (int p = 0; p < parts; p++) {
            total += shards[p].lossSum;
        }
        return total / count;
    }

    /** @return the masked cross-entropy of {@code batch} (forward only) */
    public double loss(Batch batch) {
        DMatrixRMaj out = forward(batch.tokens(), batch.batchSize(), batch.seqLen(), null);
        return CrossEntropy.lossAndGradient(out, batch, null);
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
        if (parts == 1) {
            shards[0].backward(dLogitsIn, grads);
            return;
        }
        jobDLogits = dLogitsIn;
        jobGrads = grads;
        try {
            Parallel.run(parts, backwardPart);
            Parallel.run(parts, reducePart);
        } finally {
            jobDLogits = null;
            jobGrads = null;
        }
    }

    /** Records the batch and how many slices the next pass uses. */
    private void start(int[] toks, int b, int t, int nParts) {
        if (tokens.length != toks.length) {
            tokens = new int[toks.length];
        }
        System.arraycopy(toks, 0, tokens, 0, toks.length);
        this.batch = b;
        this.seq = t;
        this.parts = nParts;
    }

    /** First sequence of slice {@code p}. */
    private int sliceStart(int p) {
        return (int) ((long) batch * p / parts);
    }

    private void forwardPart(int p) {
        int b0 = sliceStart(p), b1 = sliceStart(p + 1), t = seq, v = config.dVocab();
        Shard s = shards[p];
        s.forward(tokens, b0 * t, b1 - b0, t, HookSite.NONE);
        System.arraycopy(s.logits.data, 0, logits.data, b0 * t * v, (b1 - b0) * t * v);
    }

    private void trainPart(int p) {
        int b0 = sliceStart(p), b1 = sliceStart(p + 1), t = seq;
        Shard s = shards[p];
        s.forward(tokens, b0 * t, b1 - b0, t, HookSite.NONE);
        s.lossSum = CrossEntropy.lossSum(s.logits, jobBatch, b0 * t, jobCount, s.dLogits);
        Parameters g = p == 0 ? jobGrads : s.ownGrads();
        g.zero();
        s.backward(s.dLogits, g);
    }

    private void backwardPart(int p) {
        int b0 = sliceStart(p), b1 = sliceStart(p + 1), t = seq, v = config.dVocab();
        Shard s = shards[p];
        s.dLogits.reshape((b1 - b0) * t, v);
        System.arraycopy(jobDLogits.data, b0 * t * v, s.dLogits.data, 0, (b1 - b0) * t * v);
        Parameters g = p == 0 ? jobGrads : s.ownGrads();
        if (p != 0) {
            g.zero();
        }
        s.backward(s.dLogits, g);
    }

    /**
     * Adds the other slices' gradients into the caller's, in slice order, for part {@code p}'s
     * share of the parameters' elements (shares are fixed by element index).
     */
    private void reducePart(int p) {
        Param[] dst = jobGrads.list();
        long total = 0;
        for (Param x : dst) {
            total += x.size();
        }
        long lo = total * p / parts, hi = total * (p + 1) / parts, at = 0;
        for (int i = 0; i < dst.length; i++) {
            int size = dst[i].size();
            long from = Math.max(lo, at), to = Math.min(hi, at + size);
            if (from < to) {
                double[] g = dst[i].value().data;
                int a = (int) (from - at), z = (int) (to - at);
                for (int s = 1; s < parts; s++) {
                    double[] o = shards[s].ownGrads().list()[i].value().data;
                    for (int j = a; j < z; j++) {
                        g[j] += o[j];
                    }
                }
            }
            at += size;
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
