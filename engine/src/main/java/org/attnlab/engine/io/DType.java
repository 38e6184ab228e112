package org.attnlab.engine.io;

/**
 * The safetensors element types the engine reads and writes, with their size in bytes.
 * All are little-endian on disk (safetensors format, huggingface/safetensors).
 */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), U8(1);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** @return bytes per element */
    public int byteSize() {
        return byteSize;
    }

    /** @return whether the type holds integers */
    public boolean isInteger() {
        return this == I64 || this == I32 || this == U8;
    }
}
