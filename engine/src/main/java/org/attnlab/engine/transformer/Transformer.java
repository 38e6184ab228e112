package org.attnlab.engine.transformer;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.attnlab.engine.attention.AttentionKernels;
import org.attnlab.engine.compute.AttentionFactory;
import org.attnlab.engine.compute.Precision;
import org.attnlab.engine.compute.Shard;
import org.attnlab.engine.compute.Weights;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.hooks.ActivationHook;
import org.attnlab.engine.hooks.HookPoint;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.DMatrixRMaj;

/**
 * The transformer of docs/engine.md on EJML matrices: token (+ positional) embedding, L blocks,
 * an optional final LayerNorm, and the unembedding. Forward fires hooks at TransformerLens's
 * hook points; backward is written by hand, one forward/backward pair per layer kind (in
 * {@code org.attnlab.engine.compute}, at a {@link Precision}: this class splits the work into
 * chunks and hands them to its {@link Shard}s, and never touches their activations).
 *
 * <p>Shape letters: B batch, T sequence length (T &lt;= n_ctx), V d_vocab, D d_model, N = B*T.
 * Buffers are allocated on first use and reused while B and T stay the same, so a steady-state
 * training step allocates nothing.
 *
 * <p>Threads and determinism: a training step splits the batch into
 * {@code C = min(B, max(4, threads))} fixed chunks of whole sequences (chunk c holds sequences
 * {@code [B c / C, B (c+1) / C)}). Threads take chunks as they become free; each chunk's
 * gradients go into that chunk's own buffers, which are added in chunk order at the end, and
 * the loss is summed in chunk order too. So the result depends only on the chunks, never on
 * which thread ran which: any thread count up to 4 gives bit-identical results, run after run.
 * A forward pass without hooks is split the same way, into more chunks when a chunk would hold
 * more than {@value #FORWARD_CHUNK_TOKENS} tokens (its logits do not depend on the split; a
 * held-out batch then needs no more memory than a training batch); a pass with a hook runs on
 * the calling thread over the whole batch. An instance is not
 * thread-safe: one thread calls it at a time.
 */
public final class Transformer {
    /** The fewest chunks a training batch is split into (when it has that many sequences). */
    static final int MIN_CHUNKS = 4;
    /** The most tokens (sequences x T) one chunk of a forward pass without hooks holds. */
    static final int FORWARD_CHUNK_TOKENS = 512;

    private final TransformerConfig config;
    private final Parameters params;
    private final int threads;
    private final Precision precision;
    /** The configuration's attention kernel as the fast path uses it. */
    private final AttentionFactory attention;
    private final Weights weights;
    private final Shard[] shards;
    private final long paramCount;

    private final DMatrixRMaj logits = new DMatrixRMaj(1, 1);     // (N, V) of a chunked forward
    private int[] tokens = new int[0];
    private int batch, seq, chunks;
    private boolean hasForward;
    /** Whether shard 0 holds the activations of the whole last batch (what backward needs). */
    private boolean wholeOnShard0;

    // Gradients by chunk: chunk 0 accumulates into the caller's, chunk c > 0 into chunkGrads[c].
    private Parameters[] chunkGrads = new Parameters[0];
    private Weights[] chunkGradRefs = new Weights[0];
    private Parameters callerGrads;
    private Weights callerGradRefs;
    private double[] chunkLoss = new double[0];

    // The job the threads are running (set before Parallel.run, read by the parts).
    private final AtomicInteger nextChunk = new AtomicInteger();
    private Batch jobBatch;
    private int jobCount, reduceParts;
    private final Parallel.Task forwardPart = this::forwardPart;
    private final Parallel.Task trainPart = this::trainPart;
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
     *                helpers), at least 1; results do not depend on it (see the class comment)
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public Transformer(Parameters params, int threads) {
        this(params, threads, Precision.F64);
    }

    /**
     * @param params    the model's parameters, used live (an optimizer may change them between passes)
     * @param threads   how many threads a pass without hooks may use, at least 1; results do not
     *                  depend on it (see the class comment)
     * @param precision the number type activations are computed in ({@link Precision#F32}: the
     *                  generated float32 fast path, agreeing with float64 to about 1e-5
     *                  relative); parameters, gradients, logits and hooks stay float64
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public Transformer(Parameters params, int threads, Precision precision) {
        this.precision = Objects.requireNonNull(precision, "precision");
        this.params = Objects.requireNonNull(params, "params");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.config = params.config();
        this.attention = AttentionKernels.of(config).fastPath(config);
        this.weights = precision.weights(params, attention);
        this.paramCount = params.count();
        this.shards = precision.shards(config, threads, attention);
    }

    /** @return the number type this model computes its activations in */
    public Precision precision() {
        return precision;
    }

    /** The last model {@link #forThread} returned on each thread, whose buffers the next one reuses. */
    private static final ThreadLocal<Transformer> LAST_FOR_THREAD = new ThreadLocal<>();

    private Transformer(Parameters params, Transformer last) {
        this.params = params;
        this.precision = last.precision;
        this.threads = 1;
        this.config = params.config();
        this.attention = last.attention;
        this.weights = precision.weights(params, attention);
        this.weights.adoptBuffers(last.weights);
        this.paramCount = params.count();
        this.shards = last.shards;
    }

    /**
     * A model that computes on the calling thread and reuses the activation and weight-packing
     * buffers of the last model this method returned on the same thread, when both have the same configuration. For
     * analyses that run many short passes on a background thread (ablation tables, patching
     * sweeps): a fresh model per pass allocates every activation again (tens of MB for a batch),
     * and that garbage cost the window long GC pauses.
     *
     * <p>The buffers are shared: finish with one model (its {@link #forward} result is a live
     * buffer) before asking this method for the next one on the same thread.
     *
     * @param params the model's parameters, used live
     * @return a single-threaded model over {@code params}
     */
    public static Transformer forThread(Parameters params) {
        Transformer last = LAST_FOR_THREAD.get();
        Transformer t = last != null && last.config.equals(params.config())
                ? new Transformer(params, last) : new Transformer(params);
        LAST_FOR_THREAD.set(t);
        return t;
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
        start(toks, b, t);
        weights.pack(false);
        DMatrixRMaj out;
        if (hook == null) {
            // a pass without hooks keeps only the logits, so it runs in chunks of at most
            // FORWARD_CHUNK_TOKENS tokens on any number of threads: each shard then holds one
            // chunk's activations, not a whole held-out batch's (hundreds of MB for lego6)
            chunks = Math.min(b, Math.max(chunks, (b * t + FORWARD_CHUNK_TOKENS - 1) / FORWARD_CHUNK_TOKENS));
        }
        if (hook != null || chunks == 1) {
            shards[0].forward(tokens, 0, b, t, weights, hook);
            out = shards[0].logits();
            wholeOnShard0 = true;
        } else {
            logits.reshape(b * t, config.dVocab());
            nextChunk.set(0);
            Parallel.run(Math.min(threads, chunks), forwardPart);
            out = logits;
            wholeOnShard0 = false;
        }
        if (hook != null) {
            hook.apply(HookPoint.LOGITS, new int[] {b, t, config.dVocab()}, out.data);
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
        start(batch.tokens(), b, t);
        weights.pack(true);
        bindGradients(grads);
        jobBatch = batch;
        jobCount = count;
        nextChunk.set(0);
        int parts = Math.min(threads, chunks);
        try {
            Parallel.run(parts, trainPart);
            if (chunks > 1) {
                reduceParts = threads;
                Parallel.run(threads, reducePart);
            }
        } finally {
            jobBatch = null;
        }
        hasForward = true;
        wholeOnShard0 = chunks == 1;
        double total = 0;
        for (int c = 0; c < chunks; c++) {
            total += chunkLoss[c];
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
     * {@code grads}. Runs on the calling thread (after a split forward pass it first recomputes
     * the activations of the whole batch).
     *
     * @param dLogitsIn (B*T, V) gradient of the logits
     * @throws IllegalStateException if no forward pass ran
     */
    public void backward(DMatrixRMaj dLogitsIn, Parameters grads) {
        if (!hasForward) {
            throw new IllegalStateException("backward needs a forward pass first");
        }
        weights.pack(true);
        if (!wholeOnShard0) {
            shards[0].forward(tokens, 0, batch, seq, weights, null);
            wholeOnShard0 = true;
        }
        if (grads != callerGrads) {
            callerGradRefs = precision.gradients(grads, attention);
            callerGrads = grads;
        }
        shards[0].backward(dLogitsIn, weights, callerGradRefs);
    }

    /** Records the batch and how many chunks it splits into. */
    private void start(int[] toks, int b, int t) {
        if (tokens.length != toks.length) {
            tokens = new int[toks.length];
        }
        System.arraycopy(toks, 0, tokens, 0, toks.length);
        this.batch = b;
        this.seq = t;
        this.chunks = Math.min(b, Math.max(MIN_CHUNKS, threads));
    }

    /** Makes sure every chunk has gradient buffers, and resolves the caller's gradients. */
    private void bindGradients(Parameters grads) {
        if (chunkGrads.length < chunks) {
            Parameters[] g = java.util.Arrays.copyOf(chunkGrads, chunks);
            Weights[] r = java.util.Arrays.copyOf(chunkGradRefs, chunks);
            for (int c = Math.max(1, chunkGrads.length); c < chunks; c++) {
                g[c] = new Parameters(config);
                r[c] = precision.gradients(g[c], attention);
            }
            chunkGrads = g;
            chunkGradRefs = r;
            chunkLoss = new double[chunks];
        }
        if (grads != callerGrads) {
            callerGradRefs = precision.gradients(grads, attention);
            callerGrads = grads;
        }
    }

    /** First sequence of chunk {@code c}. */
    private int chunkStart(int c) {
        return (int) ((long) batch * c / chunks);
    }

    private void forwardPart(int p) {
        Shard s = shards[p];
        int t = seq, v = config.dVocab();
        for (int c = nextChunk.getAndIncrement(); c < chunks; c = nextChunk.getAndIncrement()) {
            int b0 = chunkStart(c), b1 = chunkStart(c + 1);
            s.forward(tokens, b0 * t, b1 - b0, t, weights, null);
            System.arraycopy(s.logits().data, 0, logits.data, b0 * t * v, (b1 - b0) * t * v);
        }
    }

    private void trainPart(int p) {
        Shard s = shards[p];
        int t = seq;
        for (int c = nextChunk.getAndIncrement(); c < chunks; c = nextChunk.getAndIncrement()) {
            int b0 = chunkStart(c), b1 = chunkStart(c + 1);
            (c == 0 ? callerGrads : chunkGrads[c]).zero();
            s.forward(tokens, b0 * t, b1 - b0, t, weights, null);
            chunkLoss[c] = s.lossAndBackward(jobBatch, b0 * t, jobCount, weights, c == 0 ? callerGradRefs
                    : chunkGradRefs[c]);
        }
    }

    /**
     * Adds chunks 1.. into the caller's gradients, in chunk order, for part {@code p}'s share of
     * the elements (shares are fixed by element index, so the split does not change the sums).
     */
    private void reducePart(int p) {
        Param[] dst = callerGrads.list();
        long lo = paramCount * p / reduceParts, hi = paramCount * (p + 1) / reduceParts, at = 0;
        for (int i = 0; i < dst.length && at < hi; i++) {
            int size = dst[i].size();
            long from = Math.max(lo, at), to = Math.min(hi, at + size);
            if (from < to) {
                double[] g = dst[i].value().data;
                int a = (int) (from - at), z = (int) (to - at);
                for (int c = 1; c < chunks; c++) {
                    double[] o = chunkGrads[c].list()[i].value().data;
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
