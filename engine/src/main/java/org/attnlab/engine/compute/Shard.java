package org.attnlab.engine.compute;

import org.attnlab.engine.hooks.ActivationHook;
import org.attnlab.engine.model.Batch;
import org.ejml.data.DMatrixRMaj;

/**
 * One thread's forward and backward machinery at one {@link Precision}: the activations of the
 * sequences it is working on, their gradients, and its workspace. {@code Transformer} runs one
 * shard per thread, each on whole sequences (sequences never interact in a transformer), and
 * never touches the activations itself: it hands a shard tokens and reads back logits and a loss.
 *
 * <p>Parameters and gradients are passed in as {@link Weights} of the shard's precision
 * ({@link Precision#weights}, {@link Precision#gradients}); gradients are accumulated. Shape
 * letters: B (the sequences of this pass), T, V = d_vocab, N = B*T. Not thread-safe: one thread
 * uses a shard at a time.
 */
public interface Shard {
    /**
     * Forward pass over sequences {@code tokens[off .. off + b*t)}.
     *
     * @param tokens row-major [.., T] token ids, already validated
     * @param w      the parameters, packed for this pass ({@link Weights#pack})
     * @param hook   called with every activation but the logits, or {@code null}
     */
    void forward(int[] tokens, int off, int b, int t, Weights w, ActivationHook hook);

    /** @return the (N, V) float64 logits of the last forward pass, valid until the next one */
    DMatrixRMaj logits();

    /**
     * The masked cross-entropy of the last forward pass's rows and the backward pass from it:
     * for rows {@code [rowOff, rowOff + N)} of {@code batch},
     * {@code sum over scored rows of (logZ - logit[target])}, and the gradients of
     * {@code loss = that sum / count} accumulated into {@code grads}.
     *
     * @param count the number of scored positions of the whole batch (the loss's divisor)
     * @param w     the parameters, packed for both directions
     * @return the unnormalized sum (the caller divides by {@code count})
     */
    double lossAndBackward(Batch batch, int rowOff, int count, Weights w, Weights grads);

    /**
     * Backward pass from d loss / d logits through the last forward pass.
     *
     * @param dLogits (N, V) gradient of the last forward pass's logits
     * @param w       the parameters, packed for both directions
     * @param grads   accumulated into
     */
    void backward(DMatrixRMaj dLogits, Weights w, Weights grads);
}
