package org.attnlab.engine.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * Reads and writes the safetensors format (huggingface/safetensors,
 * https://github.com/huggingface/safetensors):
 * <ol>
 *   <li>8 bytes: little-endian unsigned length {@code N} of the header;</li>
 *   <li>{@code N} bytes: a UTF-8 JSON object mapping each tensor name to
 *       {@code {"dtype": "F64", "shape": [..], "data_offsets": [begin, end]}}, plus an optional
 *       {@code "__metadata__"} object whose values are all strings; the header may be padded
 *       with trailing spaces;</li>
 *   <li>the data section: each tensor's elements, little-endian, row-major, at
 *       {@code [begin, end)} relative to the start of the data section.</li>
 * </ol>
 *
 * <p>Reading is strict and total: for any input bytes it either returns a {@link SafeTensorsFile}
 * or throws a {@link SafeTensorsException} whose message names the source and the problem. It
 * never allocates more than a small multiple of the input size. Gaps between tensors are allowed;
 * overlapping tensors, duplicate JSON keys and trailing non-space content are not.
 *
 * <p>Writing produces exactly the bytes of the project's Python writer: tensors sorted by name
 * and packed back to back in that order, header {@code json.dumps(..., separators=(",", ":"))}
 * (ASCII, non-ASCII escaped as {@code \\uXXXX}) with {@code __metadata__} last (omitted when
 * empty), padded with spaces to a multiple of 8 bytes.
 *
 * <p>This class is the entry point; the work is split along the format's seams:
 * {@link SafeTensorsReader} (validation and parsing), {@link SafeTensorsWriter} (the header and
 * the byte layout) and {@link DTypeCodec} (one codec per element type, with the 16-bit float
 * rounding in {@link HalfFloats}).
 */
public final class SafeTensors {

    /** Name order of tensors: Unicode code point order (what Python's {@code sorted} uses for str). */
    static final Comparator<String> NAME_ORDER = SafeTensors::compareCodePoints;

    /** The header key of the string-to-string metadata table. */
    static final String METADATA_KEY = "__metadata__";

    /** Largest byte array the JVM reliably allocates: the largest file read or written. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private SafeTensors() {
    }

    /**
     * Reads a safetensors file.
     *
     * @param path the file
     * @return its tensors and metadata
     * @throws SafeTensorsException if the file is malformed (the message names the path and the problem)
     * @throws IOException          if the file cannot be read (missing, unreadable, ...)
     */
    public static SafeTensorsFile read(Path path) throws IOException {
        return SafeTensorsReader.read(path);
    }

    /**
     * Parses safetensors bytes. Total: any input yields a result or a {@link SafeTensorsException}.
     *
     * @param bytes      the whole file content (not modified, not retained)
     * @param sourceName name shown in exception messages, e.g. the file name
     * @return the tensors (values widened to double) and the metadata
     * @throws SafeTensorsException if the bytes are not a valid safetensors file: too short, header
     *                              length past the end, header not UTF-8 JSON object, missing or
     *                              wrong-typed dtype/shape/data_offsets, unsupported dtype, bad or
     *                              overflowing shape, offsets out of range or not matching the shape,
     *                              overlapping tensors, duplicate keys, or bad {@code __metadata__}
     */
    public static SafeTensorsFile read(byte[] bytes, String sourceName) throws SafeTensorsException {
        return SafeTensorsReader.read(bytes, sourceName);
    }

    /**
     * Writes a safetensors file atomically: the bytes of {@link #toBytes} go to a temporary file in
     * the same directory, which is flushed and forced to disk and then moved over {@code path}
     * ({@code ATOMIC_MOVE} with {@code REPLACE_EXISTING}, or only {@code REPLACE_EXISTING} where the
     * file system cannot move atomically). On any failure the temporary file is deleted and an
     * existing file at {@code path} is left untouched.
     *
     * @param path     the file to create or replace
     * @param tensors  the tensors by name (written sorted by name)
     * @param metadata the {@code __metadata__} entries, in the order to write them; {@code null} or empty for none
     * @throws IllegalArgumentException if a tensor cannot be encoded (see {@link #toBytes})
     * @throws IOException              if writing, forcing or moving fails
     */
    public static void write(Path path, Map<String, StoredTensor> tensors, Map<String, String> metadata)
            throws IOException {
        SafeTensorsWriter.write(path, tensors, metadata);
    }

    /**
     * Encodes tensors and metadata as safetensors bytes, exactly as the project's Python writer
     * does: tensors sorted by name (code point order) and packed in that order from offset 0, the
     * header {@code json.dumps} with separators {@code (",", ":")} and ASCII escapes, with
     * {@code "__metadata__"} as the last key (omitted when there is no metadata), padded with
     * spaces to a multiple of 8 bytes. Each tensor is encoded in its own dtype: F32 by rounding
     * to nearest float, F16 and BF16 by rounding to float and then to nearest-even 16 bits
     * (out-of-range values become infinities), integers exactly.
     *
     * @param tensors  the tensors by name
     * @param metadata the metadata in the order to write it; {@code null} or empty for none
     * @return the file bytes
     * @throws IllegalArgumentException if a tensor is named {@code "__metadata__"}, its shape does not
     *                                  match its data, an integer tensor (I64, I32, U8) holds a value that
     *                                  is not an integer in the dtype's range (the message names the tensor),
     *                                  or the result would exceed the maximum array size
     * @throws NullPointerException     if a name, tensor, metadata key or value is {@code null}
     */
    public static byte[] toBytes(Map<String, StoredTensor> tensors, Map<String, String> metadata) {
        return SafeTensorsWriter.toBytes(tensors, metadata);
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
