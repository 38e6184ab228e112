package org.attnlab.engine.compute;

import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.DMatrixRMaj;

/**
 * A model's parameters (or gradients) as the float64 fast path reads and writes them: the
 * {@link Parameters}' own tensors, looked up by name. Its float32 partner
 * {@link F32ParamView} holds float mirrors of the same tensors instead, which it loads before
 * a pass and adds back after a backward pass; here those steps are no-ops. The templates'
 * weights classes ({@link ModelWeights}, {@link LayerWeights}, {@link QkvWeights}) read
 * parameters only through this class, so their generated twins read float mirrors.
 */
public final class ParamView {
    private final Parameters params;

    /** @param params the parameters (or gradients), used live */
    public ParamView(Parameters params) {
        this.params = params;
    }

    /** @return the configuration of the parameters */
    public TransformerConfig config() {
        return params.config();
    }

    /** @return the name prefix of block {@code layer}'s parameters ({@link Parameters#blockPrefix}) */
    public String blockPrefix(int layer) {
        return params.blockPrefix(layer);
    }

    /**
     * @return the tensor named {@code name}, as a matrix
     * @throws java.util.NoSuchElementException if there is none
     */
    public DMatrixRMaj m(String name) {
        return params.m(name);
    }

    /** Before a pass reads the parameters: nothing to load in float64. */
    void load() {
    }

    /** Before a backward pass accumulates: the float64 gradients are accumulated into directly. */
    void beginGradients() {
    }

    /** After a backward pass: nothing to hand back. */
    void endGradients() {
    }
}
