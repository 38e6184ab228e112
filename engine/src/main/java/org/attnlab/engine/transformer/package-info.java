/**
 * The transformer the engine's users run: {@link org.attnlab.engine.transformer.Transformer}
 * (forward, loss, backward over a batch, split into chunks for the threads of
 * {@link org.attnlab.engine.transformer.Parallel}) and the masked
 * {@link org.attnlab.engine.transformer.CrossEntropy}. It sits above the packages it
 * assembles: {@code model} (configuration, parameters, batch), {@code compute} (the fast path,
 * one shard per thread) and {@code attention} (the kernel of the configuration's
 * {@code attention_type}, which hands the fast path its weights and computes). The layers are
 * listed in docs/engine.md ("Attention kernels") and held by the tests module's architecture test.
 */
package org.attnlab.engine.transformer;
