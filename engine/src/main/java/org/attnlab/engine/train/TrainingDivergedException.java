package org.attnlab.engine.train;

/**
 * Training produced a loss or gradient that is NaN or infinite. The update of that step was
 * not applied, so the model still holds the last good parameters. The message says what
 * happened and what to try.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;

    /**
     * @param step   the step that diverged
     * @param what   "loss" or "gradient norm"
     * @param value  the non-finite value
     * @param lr     the learning rate of that step
     */
    public TrainingDivergedException(long step, String what, double value, double lr) {
        super(String.format(java.util.Locale.ROOT,
                "training diverged at step %d: the %s became %s (learning rate %.3g). The model was kept at step %d. "
                        + "Try a lower learning rate (e.g. %.3g) or gradient clipping (grad_clip=1).",
                step, what, value, lr, step - 1, lr / 10));
        this.step = step;
    }

    /**
     * A model whose held-out loss is not finite although its training steps were: its
     * parameters grew too large.
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
                step, value, lr, kept, lr / 10));
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
