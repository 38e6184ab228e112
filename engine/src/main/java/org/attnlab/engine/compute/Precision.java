package org.attnlab.engine.compute;

import java.util.Locale;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;

/**
 * The number type the fast path computes activations in: float64 (the templates of this
 * package) or float32 (their generated twins, {@code F32*}, see
 * {@code tools.codegen.Float32Twins}). Whatever the precision, parameters, gradients handed
 * back, the optimizer, hooks and the reference path are float64: a precision converts when it
 * packs the weights ({@link Weights#pack}), when a backward pass hands its gradients back, when
 * it fires a hook and when it hands back logits. The attention kernel comes in as an
 * {@link AttentionFactory}, so this package knows no attention type.
 */
public enum Precision {
    /** IEEE double precision: the engine of docs/engine.md, checked against PyTorch to 1e-9. */
    F64("f64") {
        @Override
        public Weights weights(Parameters params, AttentionFactory attention) {
            return new ModelWeights(new ParamView(params), attention);
        }

        @Override
        public Shard[] shards(TransformerConfig c, int n, AttentionFactory attention) {
            Positions pos = new Positions(c);
            Shard[] out = new Shard[n];
            for (int i = 0; i < n; i++) {
                out[i] = new F64Shard(c, pos, attention);
            }
            return out;
        }
    },
    /**
     * IEEE single precision, the field's training default (PyTorch's float32): twice the SIMD
     * lanes and half the memory traffic of float64; agrees with float64 to about 1e-5 relative
     * on the golden cases.
     */
    F32("f32") {
        @Override
        public Weights weights(Parameters params, AttentionFactory attention) {
            return new F32ModelWeights(new F32ParamView(params), attention);
        }

        @Override
        public Shard[] shards(TransformerConfig c, int n, AttentionFactory attention) {
            F32Positions pos = new F32Positions(c);
            Shard[] out = new Shard[n];
            for (int i = 0; i < n; i++) {
                out[i] = new F32Shard(c, pos, attention);
            }
            return out;
        }
    };

    private final String id;

    Precision(String id) {
        this.id = id;
    }

    /** @return the dtype's name in run specifications and on the command line: {@code f32} or {@code f64} */
    public String id() {
        return id;
    }

    /**
     * @param dtype {@code f32} or {@code f64} (also {@code float32}/{@code float64}, any case)
     * @return the precision
     * @throws IllegalArgumentException naming the accepted values otherwise
     */
    public static Precision parse(String dtype) {
        String s = dtype == null ? "" : dtype.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "f32", "float32", "float" -> F32;
            case "f64", "float64", "double" -> F64;
            default -> throw new IllegalArgumentException("dtype must be f32 or f64, got '" + dtype + "'");
        };
    }

    /**
     * @param attention the configuration's attention kernel as the fast path uses it
     *                  ({@code AttentionKernel.fastPath})
     * @return {@code params} as this precision's shards read them (packed each pass)
     */
    public abstract Weights weights(Parameters params, AttentionFactory attention);

    /**
     * @return {@code grads} as this precision's shards accumulate into them (a backward pass adds
     *     its gradients into {@code grads}, converting once at its end in float32)
     */
    /**
     * Rounds {@code params} in place to the values this precision stores: float32 rounds every
     * entry to the nearest float (round-to-nearest-even), float64 leaves them as they are. The
     * trainer calls it after every optimizer step, so a float32 model's parameters are exactly
     * representable in an F32 checkpoint.
     *
     * @param params parameters to round (any configuration)
     */
    public void round(Parameters params) {
        if (this == F32) {
            for (org.attnlab.engine.model.Param p : params.all()) {
                double[] d = p.value().data;
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) d[i];
                }
            }
        }
    }

    public Weights gradients(Parameters grads, AttentionFactory attention) {
        return weights(grads, attention);
    }

    /**
     * @param n         how many shards (one per thread)
     * @param attention the configuration's attention kernel as the fast path uses it
     * @return {@code n} shards for models of configuration {@code c}, sharing one set of
     *     read-only position tables
     */
    public abstract Shard[] shards(TransformerConfig c, int n, AttentionFactory attention);
}
