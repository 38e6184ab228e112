package org.attnlab.engine.compute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * A model's parameters (or gradients) as the float32 fast path reads and writes them: a float
 * mirror of each float64 tensor the shards ask for (made once, on the first {@link #m}). As
 * parameters, {@link #load} rounds every mirror from its tensor before a pass (the optimizer
 * changed them); as gradients, {@link #beginGradients} zeroes the mirrors and
 * {@link #endGradients} adds them into the float64 tensors (so {@code Transformer.backward}
 * still accumulates). The optimizer, checkpoints and the reference path stay float64; a
 * float32 run rounds its parameters to float after each step ({@code train.Trainer}), so the
 * mirrors equal them exactly. Hand-written partner of {@link ParamView}.
 */
public final class F32ParamView {
    private final Parameters params;
    private final Map<String, FMatrixRMaj> mirrors = new HashMap<>();
    private final List<DMatrixRMaj> sources = new ArrayList<>();
    private final List<FMatrixRMaj> targets = new ArrayList<>();

    /** @param params the parameters (or gradients), used live */
    public F32ParamView(Parameters params) {
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
     * @return the float mirror of the tensor named {@code name} (the same object for the same name,
     *     so shared blocks share it), holding its values as of the last {@link #load}
     * @throws java.util.NoSuchElementException if there is none
     */
    public FMatrixRMaj m(String name) {
        FMatrixRMaj f = mirrors.get(name);
        if (f == null) {
            DMatrixRMaj d = params.m(name);
            f = new FMatrixRMaj(d.numRows, d.numCols);
            copy(d, f);
            mirrors.put(name, f);
            sources.add(d);
            targets.add(f);
        }
        return f;
    }

    /** Rounds every mirror from its float64 tensor. */
    void load() {
        for (int i = 0; i < sources.size(); i++) {
            copy(sources.get(i), targets.get(i));
        }
    }

    /** Zeroes the mirrors before a backward pass accumulates into them. */
    void beginGradients() {
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).zero();
        }
    }

    /** Adds the mirrors (one backward pass's gradients) into the float64 tensors. */
    void endGradients() {
        for (int i = 0; i < sources.size(); i++) {
            double[] d = sources.get(i).data;
            float[] f = targets.get(i).data;
            int n = targets.get(i).getNumElements();
            for (int j = 0; j < n; j++) {
                d[j] += f[j];
            }
        }
    }

    private static void copy(DMatrixRMaj d, FMatrixRMaj f) {
        int n = d.getNumElements();
        double[] s = d.data;
        float[] t = f.data;
        for (int j = 0; j < n; j++) {
            t[j] = (float) s[j];
        }
    }
}
