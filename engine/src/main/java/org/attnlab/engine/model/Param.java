package org.attnlab.engine.model;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * One named parameter tensor (TransformerLens name and file shape) held as an EJML matrix in
 * the layout the forward pass multiplies with, which its {@link ParamSpec} declares.
 *
 * <p>{@link ParamSpec.Layout#ROW_MAJOR} parameters are stored exactly as in a file: a shape
 * {@code [d0, d1, ..., dk]} is the matrix {@code (d0*...*d(k-1), dk)}, and a vector {@code [n]}
 * is {@code (1, n)}. {@link ParamSpec.Layout#HEADS_TO_COLUMNS} parameters (the query/key/value
 * weights {@code attn.W_Q/W_K/W_V [H, D, E]}) are held as {@code (D, H*E)} with
 * {@code value[d, h*E + e] = W[h, d, e]}, so that one multiply computes every head's q at once
 * and yields the {@code [B, T, H, E]} layout of {@code hook_q}.
 */
public final class Param {
    private final ParamSpec spec;
    private final String name;
    private final int[] shape;
    private final boolean headsToColumns;
    private final DMatrixRMaj value;

    /**
     * A zero-filled parameter.
     *
     * @param spec its name (the full TransformerLens name, e.g. {@code blocks.0.attn.W_Q}), file
     *             shape and layout
     */
    public Param(ParamSpec spec) {
        this.spec = spec;
        this.name = spec.name();
        this.shape = spec.shape();
        this.headsToColumns = spec.layout() == ParamSpec.Layout.HEADS_TO_COLUMNS;
        int cols = shape[shape.length - 1];
        int rows = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            rows *= shape[i];
        }
        this.value = headsToColumns ? new DMatrixRMaj(shape[1], shape[0] * shape[2]) : new DMatrixRMaj(rows, cols);
    }

    /** @return the declaration: name, shape, init rule and layout */
    public ParamSpec spec() {
        return spec;
    }

    /** @return the TransformerLens name */
    public String name() {
        return name;
    }

    /** @return a copy of the file shape */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of dimensions of the file shape (AdamW decays rank >= 2) */
    public int rank() {
        return shape.length;
    }

    /** @return the number of elements */
    public int size() {
        return value.getNumElements();
    }

    /** @return the live matrix in compute layout (modified by optimizers and loaders) */
    public DMatrixRMaj value() {
        return value;
    }

    /** @return a new array with the values in file (row-major, TransformerLens) order */
    public double[] toFileOrder() {
        return toFileOrder(value.data);
    }

    /**
     * @param compute {@link #size()} values in this parameter's compute layout (e.g. an
     *                optimizer moment of the same parameter)
     * @return a new array with those values in file order
     */
    public double[] toFileOrder(double[] compute) {
        if (!headsToColumns) {
            return Arrays.copyOf(compute, size());
        }
        int h = shape[0], d = shape[1], e = shape[2];
        double[] out = new double[h * d * e];
        for (int hi = 0; hi < h; hi++) {
            for (int di = 0; di < d; di++) {
                System.arraycopy(compute, di * h * e + hi * e, out, (hi * d + di) * e, e);
            }
        }
        return out;
    }

    /**
     * Sets the values from file order.
     *
     * @throws IllegalArgumentException if {@code data.length} is not the element count
     */
    public void fromFileOrder(double[] data) {
        fromFileOrder(data, value.data);
    }

    /**
     * Converts file-order values into this parameter's compute layout.
     *
     * @param data {@link #size()} values in file order
     * @param dst  receives them in compute layout (at least {@link #size()} long)
     * @throws IllegalArgumentException if {@code data.length} is not the element count
     */
    public void fromFileOrder(double[] data, double[] dst) {
        if (data.length != size()) {
            throw new IllegalArgumentException(name + ": expected " + size() + " values for shape "
                    + Arrays.toString(shape) + ", got " + data.length);
        }
        if (!headsToColumns) {
            System.arraycopy(data, 0, dst, 0, data.length);
            return;
        }
        int h = shape[0], d = shape[1], e = shape[2];
        for (int hi = 0; hi < h; hi++) {
            for (int di = 0; di < d; di++) {
                System.arraycopy(data, (hi * d + di) * e, dst, di * h * e + hi * e, e);
            }
        }
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
