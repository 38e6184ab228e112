package org.attnlab.engine.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.optim.AdamW;

/**
 * The state a {@link Trainer} rolls back to when training diverges: the model, the AdamW state
 * and the step of the last held-out evaluation whose loss was finite. The parameter copy's
 * buffers are reused from one evaluation to the next.
 */
final class RollbackPoint {
    private Parameters params;
    private Map<String, double[][]> optimizer;
    private long optimizerStep;
    private long step = -1;

    /** Remembers {@code params}, {@code opt}'s moments and step, and {@code atStep} (copies). */
    void remember(Parameters live, AdamW opt, long atStep) {
        if (params == null) {
            params = live.copy();
        } else {
            live.copyInto(params);
        }
        optimizer = copyOf(opt.state());
        optimizerStep = opt.stepCount();
        step = atStep;
    }

    /**
     * Puts {@code live} and {@code opt} back to the remembered state if it is older than
     * {@code currentStep}.
     *
     * @return the step the model is at now: the remembered one, or {@code currentStep} if there
     *     is nothing older to go back to
     */
    long restore(Parameters live, AdamW opt, long currentStep) {
        if (params == null || step >= currentStep) {
            return currentStep;
        }
        params.copyInto(live);
        opt.restore(optimizer, optimizerStep);
        return step;
    }

    private static Map<String, double[][]> copyOf(Map<String, double[][]> state) {
        Map<String, double[][]> c = new LinkedHashMap<>();
        state.forEach((k, mv) -> c.put(k, new double[][] {mv[0].clone(), mv[1].clone()}));
        return c;
    }
}
