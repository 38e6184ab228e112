package org.attnlab.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The safetensors writer behind {@link SafeTensors#write} and {@link SafeTensors#toBytes}: it
 * produces exactly the bytes of the project's Python writer (tensors sorted by name and packed
 * back to back, header {@code json.dumps(..., separators=(",", ":"))} with ASCII escapes and
 * {@code __metadata__} last, padded with spaces to a multiple of 8 bytes), each tensor's
 * elements encoded by its {@link DTypeCodec}.
 */
final class SafeTensorsWriter {

    private SafeTensorsWriter() {
    }

    /** As {@link SafeTensors#write}: {@link #toBytes}, then {@link AtomicFiles#write}. */
    static void write(Path path, Map<String, StoredTensor> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(path, "path");
        AtomicFiles.write(path, toBytes(tensors, metadata));
    }

    /** As {@link SafeTensors#toBytes}. */
    static byte[] toBytes(Map<String, StoredTensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "tensors");
        TreeMap<String, StoredTensor> sorted = new TreeMap<>(SafeTensors.NAME_ORDER);
        for (Map.Entry<String, StoredTensor> e : tensors.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "tensor name");
            if (SafeTensors.METADATA_KEY.equals(name)) {
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
        if (total > SafeTensors.MAX_ARRAY) {
            throw new IllegalArgumentException("safetensors content of " + total + " bytes exceeds the maximum array size");
        }
        ByteBuffer bb = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(header.length);
        bb.put(header);
        for (Map.Entry<String, StoredTensor> e : sorted.entrySet()) {
            StoredTensor t = e.getValue();
            DTypeCodec.of(t.dtype()).encode(bb, e.getKey(), t.data());
        }
        return bb.array();
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
}
