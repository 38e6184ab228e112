package org.attnlab.engine.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one parameter tensor is (docs/engine.md, "Parameters"): its name, its file shape, how
 * {@link Parameters#init} initializes it and how {@link Param} holds it for the fast path. The
 * embeddings, LayerNorms and MLP declare theirs in {@link Parameters}; each attention type
 * declares its own ({@code AttentionKernel.parameters}).
 *
 * @param name   the TransformerLens name; for a block parameter the part after {@code blocks.<l>.},
 *               e.g. {@code attn.W_Q}
 * @param shape  the file shape, e.g. {@code [H, D, E]}
 * @param init   the initialization rule
 * @param layout how the tensor is held in memory
 */
public record ParamSpec(String name, int[] shape, Init init, Layout layout) {
    /** How a parameter is held (see {@link Param}). */
    public enum Layout {
        /** Exactly as in a file: {@code [d0, ..., dk]} is the matrix {@code (d0*...*d(k-1), dk)}. */
        ROW_MAJOR,
        /**
         * {@code [H, D, E]} held as {@code (D, H*E)} with {@code value[d, h*E + e] = W[h, d, e]}: one
         * multiply computes every head's projection in the {@code [B, T, H, E]} layout of {@code hook_q}.
         */
        HEADS_TO_COLUMNS
    }

    /**
     * An initialization rule: every entry {@code value + std * N(0, 1)}, drawn in the order of
     * the held layout; a rule with {@code std = 0} draws nothing from the random generator.
     *
     * @param value the constant part (1 for LayerNorm scales, 0 otherwise)
     * @param std   the standard deviation of the random part, 0 for none
     */
    public record Init(double value, double std) {
        /** All zeros (biases). */
        public static final Init ZEROS = new Init(0, 0);
        /** All ones (LayerNorm scales). */
        public static final Init ONES = new Init(1, 0);

        /** @throws IllegalArgumentException if {@code std} is negative or a value is not finite */
        public Init {
            if (!(std >= 0) || !Double.isFinite(std) || !Double.isFinite(value)) {
                throw new IllegalArgumentException("an init rule needs a finite value and std >= 0 (got " + value
                        + ", " + std + ")");
            }
        }

        /** @return N(0, std^2) */
        public static Init normal(double std) {
            return new Init(0, std);
        }

        /** @return whether the rule draws from the random generator */
        public boolean random() {
            return std > 0;
        }
    }

    /** @throws IllegalArgumentException if the shape is empty or has a non-positive dimension, or the
     *     layout does not fit the shape */
    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(layout, "layout");
        shape = shape.clone();
        if (shape.length == 0) {
            throw new IllegalArgumentException(name + ": a parameter needs at least one dimension");
        }
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " has a dimension < 1");
            }
        }
        if (layout == Layout.HEADS_TO_COLUMNS && shape.length != 3) {
            throw new IllegalArgumentException(name + ": HEADS_TO_COLUMNS needs a shape [H, D, E], got "
                    + Arrays.toString(shape));
        }
    }

    /** @return a row-major parameter */
    public static ParamSpec of(String name, Init init, int... shape) {
        return new ParamSpec(name, shape, init, Layout.ROW_MAJOR);
    }

    /** @return a copy of the file shape */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of elements */
    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** @return the same rule under another name (a block parameter under its full name) */
    public ParamSpec named(String fullName) {
        return new ParamSpec(fullName, shape, init, layout);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamSpec p && name.equals(p.name) && Arrays.equals(shape, p.shape) && init.equals(p.init)
                && layout == p.layout;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), init, layout);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
