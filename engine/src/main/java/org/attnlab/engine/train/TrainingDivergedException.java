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

    /** @return the step that diverged (its update was not applied) */
    public long step() {
        return step;
    }
}
