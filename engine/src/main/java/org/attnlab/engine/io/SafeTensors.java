package org.attnlab.engine.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
 */
public final class SafeTensors {

    /** Name order of tensors: Unicode code point order (what Python's {@code sorted} uses for str). */
    static final Comparator<String> NAME_ORDER = SafeTensors::compareCodePoints;

    private static final String METADATA_KEY = "__metadata__";

    /** Largest byte array the JVM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();


    private SafeTensors() {
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads a safetensors file.
     *
     * @param path the file
     * @return its tensors and metadata
     * @throws SafeTensorsException if the file is malformed (the message names the path and the problem)
     * @throws IOException          if the file cannot be read (missing, unreadable, ...)
     */
    public static SafeTensorsFile read(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        String source = path.toString();
        long size = Files.size(path);
        if (size > MAX_ARRAY) {
            throw new SafeTensorsException(source, "file is " + size + " bytes, larger than the "
                    + MAX_ARRAY + " bytes this reader supports");
        }
        return read(Files.readAllBytes(path), source);
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
        Objects.requireNonNull(bytes, "bytes");
        String src = sourceName == null ? "<unnamed>" : sourceName;
        if (bytes.length < 8) {
            throw new SafeTensorsException(src, "file is " + bytes.length
                    + " bytes, too short to hold the 8-byte header length");
        }
        long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        long available = bytes.length - 8L;
        if (headerLen < 0 || headerLen > available) {
            throw new SafeTensorsException(src, "header length " + Long.toUnsignedString(headerLen)
                    + " exceeds the " + available + " bytes after the 8-byte length prefix");
        }
        int hLen = (int) headerLen;
        int dataStart = 8 + hLen;
        long dataLen = bytes.length - (long) dataStart;

        String headerText;
        try {
            CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            CharBuffer cb = dec.decode(ByteBuffer.wrap(bytes, 8, hLen));
            headerText = cb.toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsException(src, "header is not valid UTF-8", e);
        }

        JsonNode root;
        try {
            root = MAPPER.readTree(headerText);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " (at header char " + loc.getCharOffset() + ")";
            throw new SafeTensorsException(src, "header is not valid JSON: "
                    + abbrev(String.valueOf(e.getOriginalMessage()), 200) + where, e);
        } catch (IOException | RuntimeException e) {
            throw new SafeTensorsException(src, "header is not valid JSON: " + abbrev(String.valueOf(e.getMessage()), 200), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafeTensorsException(src, "header is not a JSON object (found "
                    + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType().toString().toLowerCase()) + ")");
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (METADATA_KEY.equals(name)) {
                parseMetadata(src, value, metadata);
            } else {
                entries.add(parseEntry(src, name, value, dataLen));
            }
        }

        // overlap check: sort non-empty ranges by begin and compare neighbours
        List<Entry> ranges = new ArrayList<>();
        for (Entry e : entries) {
            if (e.end > e.begin) {
                ranges.add(e);
            }
        }
        ranges.sort(Comparator.comparingLong((Entry e) -> e.begin).thenComparingLong(e -> e.end));
        for (int i = 1; i < ranges.size(); i++) {
            Entry prev = ranges.get(i - 1);
            Entry cur = ranges.get(i);
            if (cur.begin < prev.end) {
                throw new SafeTensorsException(src, "tensor " + quote(cur.name) + " data_offsets ["
                        + cur.begin + ", " + cur.end + "] overlap tensor " + quote(prev.name) + " data_offsets ["
                        + prev.begin + ", " + prev.end + "]");
            }
        }

        Map<String, StoredTensor> tensors = new TreeMap<>(NAME_ORDER);
        for (Entry e : entries) {
            double[] data = decode(bytes, dataStart + (int) e.begin, e.dtype, (int) e.count);
            tensors.put(e.name, new StoredTensor(e.dtype, e.shape, data));
        }
        return new SafeTensorsFile(src, tensors, metadata);
    }

    private record Entry(String name, DType dtype, int[] shape, long count, long begin, long end) {
    }

    private static void parseMetadata(String src, JsonNode value, Map<String, String> out) throws SafeTensorsException {
        if (!value.isObject()) {
            throw new SafeTensorsException(src, "__metadata__ is not a JSON object (found "
                    + value.getNodeType().toString().toLowerCase() + ")");
        }
        for (Map.Entry<String, JsonNode> f : value.properties()) {
            if (!f.getValue().isTextual()) {
                throw new SafeTensorsException(src, "__metadata__ value for key " + quote(f.getKey())
                        + " is not a string (found " + f.getValue().getNodeType().toString().toLowerCase() + ")");
            }
            out.put(f.getKey(), f.getValue().textValue());
        }
    }

    private static Entry parseEntry(String src, String name, JsonNode node, long dataLen) throws SafeTensorsException {
        String t = "tensor " + quote(name) + ": ";
        if (!node.isObject()) {
            throw new SafeTensorsException(src, t + "entry is not a JSON object (found "
                    + node.getNodeType().toString().toLowerCase() + ")");
        }
        // dtype
        JsonNode dt = node.get("dtype");
        if (dt == null) {
            throw new SafeTensorsException(src, t + "missing \"dtype\"");
        }
        if (!dt.isTextual()) {
            throw new SafeTensorsException(src, t + "\"dtype\" is not a string");
        }
        DType dtype = null;
        for (DType d : DType.values()) {
            if (d.name().equals(dt.textValue())) {
                dtype = d;
            }
        }
        if (dtype == null) {
            throw new SafeTensorsException(src, t + "unsupported dtype " + quote(dt.textValue())
                    + " (supported: " + Arrays.toString(DType.values()) + ")");
        }
        // shape
        JsonNode sh = node.get("shape");
        if (sh == null) {
            throw new SafeTensorsException(src, t + "missing \"shape\"");
        }
        if (!sh.isArray()) {
            throw new SafeTensorsException(src, t + "\"shape\" is not an array");
        }
        int[] shape = new int[sh.size()];
        boolean anyZero = false;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.isIntegralNumber()) {
                throw new SafeTensorsException(src, t + "shape dimension " + i + " is not an integer ("
                        + abbrev(d.toString(), 40) + ")");
            }
            BigInteger v = d.bigIntegerValue();
            if (v.signum() < 0) {
                throw new SafeTensorsException(src, t + "shape has negative dimension " + abbrev(v.toString(), 40));
            }
            if (v.bitLength() > 31) {
                throw new SafeTensorsException(src, t + "shape dimension " + abbrev(v.toString(), 40)
                        + " overflows int (max " + Integer.MAX_VALUE + ")");
            }
            shape[i] = v.intValue();
            anyZero |= shape[i] == 0;
        }
        long count = 1;
        long nbytes;
        try {
            if (anyZero) {
                count = 0;
            } else {
                for (int d : shape) {
                    count = Math.multiplyExact(count, d);
                }
            }
            nbytes = Math.multiplyExact(count, dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new SafeTensorsException(src, t + "element count of shape " + abbrev(Arrays.toString(shape), 80)
                    + " times " + dtype.byteSize() + " bytes overflows a 64-bit size");
        }
        // data_offsets
        JsonNode off = node.get("data_offsets");
        if (off == null) {
            throw new SafeTensorsException(src, t + "missing \"data_offsets\"");
        }
        if (!off.isArray() || off.size() != 2) {
            throw new SafeTensorsException(src, t + "\"data_offsets\" is not an array of two integers ("
                    + abbrev(off.toString(), 60) + ")");
        }
        long[] be = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = off.get(i);
            if (!o.isIntegralNumber()) {
                throw new SafeTensorsException(src, t + "\"data_offsets\" is not an array of two integers ("
                        + abbrev(off.toString(), 60) + ")");
            }
            BigInteger v = o.bigIntegerValue();
            if (v.signum() < 0) {
                throw new SafeTensorsException(src, t + "data_offsets " + abbrev(off.toString(), 60)
                        + " has a negative offset");
            }
            if (v.bitLength() > 63) {
                throw new SafeTensorsException(src, t + "data_offsets " + abbrev(off.toString(), 60)
                        + " out of range (data section is " + dataLen + " bytes)");
            }
            be[i] = v.longValue();
        }
        long begin = be[0];
        long end = be[1];
        if (begin > end) {
            throw new SafeTensorsException(src, t + "data_offsets [" + begin + ", " + end + "] have begin > end");
        }
        if (end > dataLen) {
            throw new SafeTensorsException(src, t + "data_offsets [" + begin + ", " + end
                    + "] out of range (data section is " + dataLen + " bytes)");
        }
        if (nbytes != end - begin) {
            throw new SafeTensorsException(src, t + "size mismatch: shape " + abbrev(Arrays.toString(shape), 80)
                    + " of " + dtype + " needs " + nbytes + " bytes but data_offsets [" + begin + ", " + end
                    + "] span " + (end - begin));
        }
        return new Entry(name, dtype, shape, count, begin, end);
    }

    private static double[] decode(byte[] bytes, int pos, DType dtype, int count) {
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[count];
        switch (dtype) {
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = bb.getDouble(pos + 8 * i);
                }
            }
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = bb.getFloat(pos + 4 * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = f16ToDouble(bb.getShort(pos + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = bf16ToDouble(bb.getShort(pos + 2 * i));
                }
            }
            case I64 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = bb.getLong(pos + 8 * i);
                }
            }
            case I32 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = bb.getInt(pos + 4 * i);
                }
            }
            case U8 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = bytes[pos + i] & 0xff;
                }
            }
            default -> throw new AssertionError(dtype);
        }
        return out;
    }

    // ------------------------------------------------------------------ writing

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
        Objects.requireNonNull(path, "path");
        AtomicFiles.write(path, toBytes(tensors, metadata));
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
        Objects.requireNonNull(tensors, "tensors");
        TreeMap<String, StoredTensor> sorted = new TreeMap<>(NAME_ORDER);
        for (Map.Entry<String, StoredTensor> e : tensors.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "tensor name");
            if (METADATA_KEY.equals(name)) {
                throw new IllegalArgumentException("a tensor cannot be named \"__metadata__\"");
            }
            sorted.put(name, Objects.requireNonNull(e.getValue(), "tensor " + name));
        }
        StringBuilder json = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, StoredTensor> e : sorted.entrySet()) {
            String name = e.getKey();
            StoredTensor t = e.getValue();
            long n = 1;
            for (int d : t.shape()) {
                if (d < 0) {
                    throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape "
                            + Arrays.toString(t.shape()));
                }
                n = d == 0 || n == 0 ? 0 : n <= Integer.MAX_VALUE ? n * d : Long.MAX_VALUE;
            }
            if (n != t.data().length) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(t.shape())
                        + " holds " + n + " elements but data has " + t.data().length);
            }
            long size = n * t.dtype().byteSize();
            if (json.length() > 1) {
                json.append(',');
            }
            appendJsonString(json, name);
            json.append(":{\"dtype\":\"").append(t.dtype().name()).append("\",\"shape\":[");
            for (int i = 0; i < t.shape().length; i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append(t.shape()[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + size).append("]}");
            offset += size;
        }
        if (metadata != null && !metadata.isEmpty()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append("\"__metadata__\":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                appendJsonString(json, Objects.requireNonNull(e.getKey(), "metadata key"));
                json.append(':');
                appendJsonString(json, Objects.requireNonNull(e.getValue(), "metadata value for " + e.getKey()));
            }
            json.append('}');
        }
        json.append('}');
        while (json.length() % 8 != 0) {
            json.append(' ');
        }
        byte[] header = json.toString().getBytes(StandardCharsets.US_ASCII); // all ASCII after escaping
        long total = 8L + header.length + offset;
        if (total > MAX_ARRAY) {
            throw new IllegalArgumentException("safetensors content of " + total + " bytes exceeds the maximum array size");
        }
        ByteBuffer bb = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(header.length);
        bb.put(header);
        for (Map.Entry<String, StoredTensor> e : sorted.entrySet()) {
            encode(bb, e.getKey(), e.getValue());
        }
        return bb.array();
    }

    private static void encode(ByteBuffer bb, String name, StoredTensor t) {
        double[] data = t.data();
        switch (t.dtype()) {
            case F64 -> {
                for (double v : data) {
                    bb.putDouble(v);
                }
            }
            case F32 -> {
                for (double v : data) {
                    bb.putFloat((float) v);
                }
            }
            case F16 -> {
                for (double v : data) {
                    bb.putShort(doubleToF16(v));
                }
            }
            case BF16 -> {
                for (double v : data) {
                    bb.putShort(doubleToBf16(v));
                }
            }
            case I64 -> {
                for (int i = 0; i < data.length; i++) {
                    checkInteger(name, t.dtype(), i, data[i], -0x1p63, 0x1p63);
                    bb.putLong((long) data[i]);
                }
            }
            case I32 -> {
                for (int i = 0; i < data.length; i++) {
                    checkInteger(name, t.dtype(), i, data[i], Integer.MIN_VALUE, Integer.MAX_VALUE + 1.0);
                    bb.putInt((int) data[i]);
                }
            }
            case U8 -> {
                for (int i = 0; i < data.length; i++) {
                    checkInteger(name, t.dtype(), i, data[i], 0, 256);
                    bb.put((byte) (int) data[i]);
                }
            }
            default -> throw new AssertionError(t.dtype());
        }
    }

    /** Requires {@code v} integral with {@code lo <= v < hiExclusive}. */
    private static void checkInteger(String name, DType dtype, int index, double v, double lo, double hiExclusive) {
        if (!(v >= lo && v < hiExclusive) || v != Math.rint(v)) {
            throw new IllegalArgumentException("tensor '" + name + "': element " + index + " = " + v
                    + " is not an integer in the range of " + dtype);
        }
    }

    /** Appends {@code s} as Python's {@code json.dumps} does with {@code ensure_ascii=True}. */
    private static void appendJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    // ------------------------------------------------------------------ 16-bit floats

    /** Decodes an IEEE 754 binary16 value (subnormals, infinities and NaN included), exactly. */
    static double f16ToDouble(short bits) {
        int h = bits & 0xffff;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        double v;
        if (exp == 0) {
            v = Math.scalb((double) mant, -24);
        } else if (exp == 0x1f) {
            v = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            v = Math.scalb((double) (mant | 0x400), exp - 25);
        }
        return (h & 0x8000) != 0 ? -v : v;
    }

    /** Decodes a bfloat16 value (the upper 16 bits of a float32), exactly. */
    static double bf16ToDouble(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Rounds {@code v} to float, then to the nearest binary16 (ties to even); NaN becomes a quiet NaN. */
    static short doubleToF16(double v) {
        float f = (float) v;
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        if (Float.isNaN(f)) {
            return (short) (sign | 0x7e00 | ((bits >>> 13) & 0x3ff));
        }
        float abs = Math.abs(f);
        if (abs >= 65520f) { // halfway between 65504 (max half) and 65536: ties-to-even goes up to infinity
            return (short) (sign | 0x7c00);
        }
        if (abs <= 0x1p-25f) { // at most half of the smallest subnormal 2^-24: ties-to-even goes to zero
            return (short) sign;
        }
        int exp = Math.getExponent(f); // -25 .. 15
        int shift = 13;
        int significand = bits & 0x7fffff;
        if (exp < -14) { // half subnormal: keep the implicit bit, shift further
            shift += -14 - exp;
            exp = -15;
            significand |= 0x800000;
        }
        int half = significand >>> shift;
        int lsb = (significand >>> shift) & 1;
        int round = (significand >>> (shift - 1)) & 1;
        int sticky = significand & ((1 << (shift - 1)) - 1);
        if (round != 0 && (lsb != 0 || sticky != 0)) {
            half++; // may carry into the exponent, which is the correct result
        }
        return (short) (sign | (((exp + 15) << 10) + half));
    }

    /** Rounds {@code v} to float, then to the nearest bfloat16 (ties to even); NaN becomes a quiet NaN. */
    static short doubleToBf16(double v) {
        float f = (float) v;
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    // ------------------------------------------------------------------ helpers

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

    private static String quote(String name) {
        return "'" + abbrev(name, 120) + "'";
    }

    /** Shortens {@code s} to {@code max} chars and escapes control characters, so messages stay one line. */
    private static String abbrev(String s, int max) {
        String cut = s.length() <= max ? s : s.substring(0, max) + "...";
        StringBuilder sb = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
