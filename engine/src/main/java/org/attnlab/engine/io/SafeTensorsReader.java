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
 * The strict, total safetensors reader behind {@link SafeTensors#read}: for any input bytes it
 * returns a {@link SafeTensorsFile} or throws a {@link SafeTensorsException} whose message names
 * the source and the problem, and never allocates more than a small multiple of the input size.
 *
 * <p>Checks, in order: the 8-byte header length fits the input; the header is UTF-8 and one JSON
 * object (strict: duplicate keys and trailing tokens refused; trailing spaces allowed); each
 * entry has a known {@code dtype}, a non-negative int {@code shape} and {@code data_offsets}
 * {@code [begin, end]} inside the data section spanning exactly {@code product(shape) * size}
 * bytes; {@code __metadata__} maps strings to strings; no two tensors overlap (gaps are allowed).
 * Then each tensor is decoded by its {@link DTypeCodec}.
 */
final class SafeTensorsReader {

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private SafeTensorsReader() {
    }

    /** As {@link SafeTensors#read(Path)}: reads the whole file (at most {@link SafeTensors#MAX_ARRAY} bytes) and parses it. */
    static SafeTensorsFile read(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        String source = path.toString();
        long size = Files.size(path);
        if (size > SafeTensors.MAX_ARRAY) {
            throw new SafeTensorsException(source, "file is " + size + " bytes, larger than the "
                    + SafeTensors.MAX_ARRAY + " bytes this reader supports");
        }
        return read(Files.readAllBytes(path), source);
    }

    /** As {@link SafeTensors#read(byte[], String)}. */
    static SafeTensorsFile read(byte[] bytes, String sourceName) throws SafeTensorsException {
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
            if (SafeTensors.METADATA_KEY.equals(name)) {
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

        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, StoredTensor> tensors = new TreeMap<>(SafeTensors.NAME_ORDER);
        for (Entry e : entries) {
            double[] data = new double[(int) e.count];
            DTypeCodec.of(e.dtype).decode(le, dataStart + (int) e.begin, data);
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

    // ------------------------------------------------------------------ messages

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
