package org.attnlab.engine.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor as stored in a safetensors file: element type, shape, and its values widened
 * to {@code double} in row-major order. Integer types up to 2^53 in magnitude are exact.
 *
 * @param dtype the element type on disk
 * @param shape the dimensions (may be empty for a scalar, which holds one element)
 * @param data  the values, {@code product(shape)} of them, row-major
 */
public record StoredTensor(DType dtype, int[] shape, double[] data) {

    /** @throws IllegalArgumentException if {@code data.length != product(shape)} or a dimension is negative */
    public StoredTensor {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " elements but " + data.length + " values were given");
        }
    }

    /** @return an F64 tensor of the given shape holding {@code data} (not copied) */
    public static StoredTensor f64(int[] shape, double[] data) {
        return new StoredTensor(DType.F64, shape, data);
    }

    /** @return the number of elements */
    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredTensor other && dtype == other.dtype && Arrays.equals(shape, other.shape)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "StoredTensor[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
