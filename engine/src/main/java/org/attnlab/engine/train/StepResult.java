package org.attnlab.engine.train;

/**
 * What one optimizer step did.
 *
 * @param step         the step number, 1-based
 * @param loss         training loss of the step's batch, before the update
 * @param gradNorm     global L2 norm of the gradient, before clipping
 * @param learningRate the learning rate used
 * @param seconds      wall time of the step
 */
public record StepResult(long step, double loss, double gradNorm, double learningRate, double seconds) {
}
