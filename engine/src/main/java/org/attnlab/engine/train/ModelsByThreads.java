package org.attnlab.engine.train;

import java.util.HashMap;
import java.util.Map;
import org.attnlab.engine.compute.Precision;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.transformer.Transformer;

/**
 * The {@link Trainer}'s model over its parameters, one per thread count used so far. Each
 * thread count's model (and its activation buffers, tens of MB for larger presets) is kept: the
 * window's thread tuner switches back and forth, and a fresh model each time made garbage that
 * lived long enough to cost the window long GC pauses.
 */
final class ModelsByThreads {
    private final Parameters params;
    private final Precision precision;
    private final Map<Integer, Transformer> models = new HashMap<>();
    private Transformer current;

    ModelsByThreads(Parameters params, int threads, Precision precision) {
        this.params = params;
        this.precision = precision;
        this.current = new Transformer(params, threads, precision);
        models.put(threads, current);
    }

    /** @return the model in use */
    Transformer current() {
        return current;
    }

    /**
     * @param threads at least 1
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    void use(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1 (got " + threads + ")");
        }
        if (threads != current.threads()) {
            current = models.computeIfAbsent(threads, n -> new Transformer(params, n, precision));
        }
    }
}
