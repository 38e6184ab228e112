package org.attnlab.engine.io;

import java.nio.ByteBuffer;

/**
 * How the elements of one safetensors dtype are laid out in the data section: little-endian,
 * row-major, {@link DType#byteSize()} bytes each (huggingface/safetensors). Values are widened
 * to {@code double} on reading; on writing F32 rounds to the nearest float, F16 and BF16 round
 * to float and then to the nearest-even 16 bits ({@link HalfFloats}), integers are written
 * exactly or refused.
 *
 * <p>One codec per dtype ({@link #of}); each works on a whole tensor, so the per-element loop
 * has no dispatch in it. A new dtype is its {@link DType} constant plus one codec here.
 */
abstract class DTypeCodec {

    private static final DTypeCodec F64 = new DTypeCodec() {
        @Override
        void decode(ByteBuffer le, int pos, double[] out) {
            for (int i = 0; i < out.length; i++) {
                out[i] = le.getDouble(pos + 8 * i);
            }
        }

        @Override
        void encode(ByteBuffer le, String tensor, double[] data) {
            for (double v : data) {
                le.putDouble(v);
            }
        }
    };

    private static final DTypeCodec F32 = new DTypeCodec() {
        @Override
        void decode(ByteBuffer le, int pos, double[] out) {
            for (int i = 0; i < out.length; i++) {
                out[i] = le.getFloat(pos + 4 * i);
            }
        }

        @Override
        void encode(ByteBuffer le, String tensor, double[] data) {
            for (double v : data) {
                le.putFloat((float) v);
            }
        }
    };

    private static final DTypeCodec F16 = new DTypeCodec() {
        @Override
        void decode(ByteBuffer le, int pos, double[] out) {
            for (int i = 0; i < out.length; i++) {
                out[i] = HalfFloats.f16ToDouble(le.getShort(pos + 2 * i));
            }
        }

        @Override
        void encode(ByteBuffer le, String tensor, double[] data) {
            for (double v : data) {
                le.putShort(HalfFloats.doubleToF16(v));
            }
        }
    };

    private static final DTypeCodec BF16 = new DTypeCodec() {
        @Override
        void decode(ByteBuffer le, int pos, double[] out) {
            for (int i = 0; i < out.length; i++) {
                out[i] = HalfFloats.bf16ToDouble(le.getShort(pos + 2 * i));
            }
        }

        @Override
        void encode(ByteBuffer le, String tensor, double[] data) {
            for (double v : data) {
                le.putShort(HalfFloats.doubleToBf16(v));
            }
        }
    };

    private static final DTypeCodec I64 = new DTypeCodec() {
        @Override
        void decode(ByteBuffer le, int pos, double[] out) {
            for (int i = 0; i < out.length; i++) {
                out[i] = le.getLong(pos + 8 * i);
            }
        }

        @Override
        void encode(ByteBuffer le, String tensor, double[] data) {
            for (int i = 0; i < data.length; i++) {
                checkInteger(tensor, DType.I64, i, data[i], -0x1p63, 0x1p63);
                le.putLong((long) data[i]);
            }
        }
    };

    private static final DTypeCodec I32 = new DTypeCodec() {
        @Override
        void decode(ByteBuffer le, int pos, double[] out) {
            for (int i = 0; i < out.length; i++) {
                out[i] = le.getInt(pos + 4 * i);
            }
        }

        @Override
        void encode(ByteBuffer le, String tensor, double[] data) {
            for (int i = 0; i < data.length; i++) {
                checkInteger(tensor, DType.I32, i, data[i], Integer.MIN_VALUE, Integer.MAX_VALUE + 1.0);
                le.putInt((int) data[i]);
            }
        }
    };

    private static final DTypeCodec U8 = new DTypeCodec() {
        @Override
        void decode(ByteBuffer le, int pos, double[] out) {
            for (int i = 0; i < out.length; i++) {
                out[i] = le.get(pos + i) & 0xff;
            }
        }

        @Override
        void encode(ByteBuffer le, String tensor, double[] data) {
            for (int i = 0; i < data.length; i++) {
                checkInteger(tensor, DType.U8, i, data[i], 0, 256);
                le.put((byte) (int) data[i]);
            }
        }
    };

    /** @return the codec of {@code dtype} */
    static DTypeCodec of(DType dtype) {
        return switch (dtype) {
            case F64 -> F64;
            case F32 -> F32;
            case F16 -> F16;
            case BF16 -> BF16;
            case I64 -> I64;
            case I32 -> I32;
            case U8 -> U8;
        };
    }

    /**
     * Reads {@code out.length} elements starting at absolute byte {@code pos}.
     *
     * @param le  the file bytes, little-endian order (its position is not used or changed)
     * @param pos the first element's byte offset in {@code le}
     * @param out receives the values widened to double; overwritten
     */
    abstract void decode(ByteBuffer le, int pos, double[] out);

    /**
     * Appends every element of {@code data} at the buffer's position, which advances.
     *
     * @param le     the output, little-endian order, with room for the tensor
     * @param tensor the tensor's name, for the error message
     * @param data   the values, row-major (not modified)
     * @throws IllegalArgumentException if an integer dtype is given a value that is not an integer
     *                                  in its range (the message names the tensor and the element)
     */
    abstract void encode(ByteBuffer le, String tensor, double[] data);

    /** Requires {@code v} integral with {@code lo <= v < hiExclusive}. */
    private static void checkInteger(String name, DType dtype, int index, double v, double lo, double hiExclusive) {
        if (!(v >= lo && v < hiExclusive) || v != Math.rint(v)) {
            throw new IllegalArgumentException("tensor '" + name + "': element " + index + " = " + v
                    + " is not an integer in the range of " + dtype);
        }
    }
}
