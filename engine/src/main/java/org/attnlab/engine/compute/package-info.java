/**
 * The engine's fast path (internal): the float64 forward and backward kernels of
 * docs/engine.md on EJML matrices, one forward/backward pair per layer kind, in the style of
 * llm.c. {@code transformer.Transformer} is the public entry; nothing here is API.
 *
 * <p>The precision seam: {@link org.attnlab.engine.compute.Precision} names the number type the
 * fast path computes in, {@link org.attnlab.engine.compute.Shard} is what
 * {@code Transformer} talks to (one thread's forward chunk, loss and backward chunk), and
 * {@link org.attnlab.engine.compute.Weights} is the per-pass view of the parameters a shard
 * reads ({@link org.attnlab.engine.compute.PackedWeight} copies them each pass: where a float32
 * engine converts). Everything else in this package is the float64 implementation
 * ({@code F64Shard} and what it uses), written so that a generator can produce a float32 twin
 * by text substitution ({@code double} to {@code float}, {@code DMatrixRMaj} to
 * {@code FMatrixRMaj}), as EJML generates its float classes from its double ones. Parameters,
 * gradients, the optimizer, hooks and the reference path ({@code inspect.ReferenceForward})
 * stay float64 whatever the precision.
 *
 * <p>Shape letters: B batch, T sequence length, N = B*T rows, D d_model, H n_heads,
 * E d_head, M d_mlp, V d_vocab.
 */
package org.attnlab.engine.compute;
