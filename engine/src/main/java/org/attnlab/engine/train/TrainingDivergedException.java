package org.attnlab.engine.train;

/**
 * Training produced a loss or gradient that is NaN or infinite, or a loss far above what a
 * model guessing uniformly would have ({@link Trainer#BLOW_UP_FACTOR}). The update of that step
 * was not applied and the model was rolled back to its last good evaluation. The message says
 * what happened and what to try.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;

    /**
     * @param step   the step that diverged (its update was not applied)
     * @param what   "loss" or "gradient norm"
     * @param value  the value that was not finite or far too large
     * @param lr     the learning rate of that step
     * @param keptAt the step the model is at now (the last good evaluation it was rolled back
     *               to, or {@code step - 1})
     */
    public TrainingDivergedException(long step, String what, double value, double lr, long keptAt) {
        super(String.format(java.util.Locale.ROOT,
                "training diverged at step %d: the %s became %s (learning rate %.3g). %s "
                        + "Try a lower learning rate (e.g. %.3g) or gradient clipping (grad_clip=1).",
                step, what, Double.isFinite(value) ? String.format(java.util.Locale.ROOT, "%.4g", value)
                        : Double.toString(value), lr,
                keptAt < step - 1 ? String.format(java.util.Locale.ROOT,
                        "The model was rolled back to step %d, its last good evaluation.", keptAt)
                        : String.format(java.util.Locale.ROOT, "The model was kept at step %d.", keptAt),
                suggestedLearningRate(lr)));
        this.step = step;
    }

    /** @return a learning rate worth trying after {@code lr} diverged: a tenth of it, at most 3e-3 */
    static double suggestedLearningRate(double lr) {
        return Math.min(lr / 10, 3e-3);
    }

    /**
     * A model whose held-out loss is not finite (or far too large) although its training steps
     * were fine: its parameters grew too large.
     *
     * @param step  the step the model had taken
     * @param value the held-out loss
     * @param lr    the learning rate of that step
     */
    public static TrainingDivergedException heldOut(long step, double value, double lr) {
        return heldOut(step, value, lr, step);
    }

    /**
     * As {@link #heldOut(long, double, double)}, after the trainer rolled the model back.
     *
     * @param keptAt the step the model was rolled back to ({@code step} if it was not)
     */
    public static TrainingDivergedException heldOut(long step, double value, double lr, long keptAt) {
        String kept = keptAt < step ? String.format(java.util.Locale.ROOT,
                " The model was rolled back to step %d, its last good evaluation.", keptAt) : "";
        return new TrainingDivergedException(step, String.format(java.util.Locale.ROOT,
                "training diverged by step %d: the held-out loss became %s (learning rate %.3g), the weights grew "
                        + "too large.%s Try a lower learning rate (e.g. %.3g) or gradient clipping (grad_clip=1).",
                step, Double.isFinite(value) ? String.format(java.util.Locale.ROOT, "%.4g", value)
                        : Double.toString(value), lr, kept, suggestedLearningRate(lr)));
    }

    /**
     * @param step    the step that diverged
     * @param message the whole explanation
     */
    public TrainingDivergedException(long step, String message) {
        super(message);
        this.step = step;
    }

    /** @return the step that diverged (its update was not applied) */
    public long step() {
        return step;
    }
}
