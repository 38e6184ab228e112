// GENERATED from Positions.java by org.attnlab.tools.codegen.Float32Twins (java -jar tools/target/attnlab-tools.jar float32).
// Do not edit: edit the float64 template and run the tool again.
package org.attnlab.engine.compute;

import org.attnlab.engine.model.PositionalEncodings;
import org.attnlab.engine.model.TransformerConfig;
import org.ejml.data.FMatrixRMaj;

/**
 * The fixed positional encodings of a configuration as the fast path applies them
 * (docs/engine.md, "Forward pass"): the sinusoidal table, rotary cos/sin tables and ALiBi
 * slopes, precomputed from the formulas of {@link PositionalEncodings}. Read-only after
 * construction: the shards of a model share one instance.
 */
public final class F32Positions {
    private final TransformerConfig.PositionalEmbedding type;
    private final float[] sinusoidal;   // [n_ctx, D] when sinusoidal
    private final float[] cos, sin;     // [n_ctx, E/2] when rotary
    private final float[] slopes;       // [H] when alibi
    private final int half;

    /** Precomputes the tables for {@code c}. */
    public F32Positions(TransformerConfig c) {
        this.type = c.positionalEmbeddingType();
        this.sinusoidal = type == TransformerConfig.PositionalEmbedding.SINUSOIDAL
                ? F32Reals.of(PositionalEncodings.sinusoidalTable(c.nCtx(), c.dModel())) : null;
        this.half = c.dHead() / 2;
        if (type == TransformerConfig.PositionalEmbedding.ROTARY) {
            cos = new float[c.nCtx() * half];
            sin = new float[c.nCtx() * half];
            for (int t = 0; t < c.nCtx(); t++) {
                for (int j = 0; j < half; j++) {
                    double a = t * PositionalEncodings.rotaryTheta(c.rotaryBase(), j, c.dHead());
                    cos[t * half + j] = (float) Math.cos(a);
                    sin[t * half + j] = (float) Math.sin(a);
                }
            }
        } else {
            cos = null;
            sin = null;
        }
        slopes = new float[c.nHeads()];
        for (int h = 0; h < c.nHeads(); h++) {
            slopes[h] = F32Reals.of(PositionalEncodings.alibiSlope(h, c.nHeads()));
        }
    }

    /** @return whether q and k are rotated (rotary) */
    boolean rotary() {
        return cos != null;
    }

    /** @return whether the scores get the ALiBi distance bias */
    boolean alibi() {
        return type == TransformerConfig.PositionalEmbedding.ALIBI;
    }

    /** @return m_h, the ALiBi slope of head h */
    float alibiSlope(int h) {
        return slopes[h];
    }

    /** @return the [n_ctx, D] sinusoidal table, or null for other encodings */
    float[] sinusoidal() {
        return sinusoidal;
    }

    /**
     * Rotates (N, H*E) rows of q or k in place by position {@code t = row mod T}:
     * {@code x'[j] = x[j] cos a - x[j+E/2] sin a}, {@code x'[j+E/2] = x[j+E/2] cos a + x[j] sin a}.
     * With {@code inverse} it applies the transpose (rotation by -a), which is the backward pass.
     */
    void rotate(FMatrixRMaj x, int t, int nHeads, int dHead, boolean inverse) {
        int he = nHeads * dHead;
        float sign = inverse ? -1.0f : 1.0f;
        for (int r = 0; r < x.numRows; r++) {
            int pos = r % t;
            for (int h = 0; h < nHeads; h++) {
                int o = r * he + h * dHead;
                int j = Simd.ENABLED ? F32SimdMath.rotate(x.data, o, cos, sin, pos * half, half, sign) : 0;
                for (; j < half; j++) {                         // the rest (all of it without SIMD)
                    float c = cos[pos * half + j], s = sign * sin[pos * half + j];
                    float x1 = x.data[o + j], x2 = x.data[o + j + half];
                    x.data[o + j] = x1 * c - x2 * s;
                    x.data[o + j + half] = x2 * c + x1 * s;
                }
            }
        }
    }
}
