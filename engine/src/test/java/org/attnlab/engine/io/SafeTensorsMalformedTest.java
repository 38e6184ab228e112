package org.attnlab.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsMalformedTest {

    static final String SRC = "bad.safetensors";

    /** 8-byte little-endian length, the header as UTF-8, then {@code dataLen} zero bytes. */
    static byte[] file(String header, int dataLen) {
        return file(header.getBytes(StandardCharsets.UTF_8), dataLen);
    }

    static byte[] file(byte[] header, int dataLen) {
        ByteBuffer bb = ByteBuffer.allocate(8 + header.length + dataLen).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(header.length).put(header);
        return bb.array();
    }

    static String entry(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":" + dtype + ",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    static SafeTensorsException rejects(byte[] bytes, String... words) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(bytes, SRC));
        String msg = e.getMessage();
        assertTrue(msg.startsWith(SRC + ": "), "message names the source: " + msg);
        for (String w : words) {
            assertTrue(msg.contains(w), "message should contain '" + w + "': " + msg);
        }
        assertEquals(SRC, e.sourceName());
        assertTrue(!msg.contains("\n"), "one line: " + msg);
        return e;
    }

    static Arguments bad(String header, int dataLen, String... words) {
        return Arguments.of(header, dataLen, words);
    }

    static Stream<Arguments> malformedHeaders() {
        String ok = entry("w", "\"F64\"", "[2]", "[0,16]");
        return Stream.of(
                // header not a JSON object
                bad("{\"w\":", 16, "JSON"),
                bad("{abc}", 16, "JSON"),
                bad("", 16, "JSON object"),
                bad("   ", 16, "JSON object"),
                bad("[1,2]", 16, "JSON object"),
                bad("\"text\"", 16, "JSON object"),
                bad("null", 16, "JSON object"),
                bad("{" + ok + "} {}", 16, "JSON"),
                bad("{" + ok + "}x", 16, "JSON"),
                bad("{" + ok + "} // comment", 16, "JSON"),
                // duplicate keys, at the top and inside an entry
                bad("{" + ok + "," + ok + "}", 16, "uplicate"),
                bad("{\"w\":{\"dtype\":\"F64\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,16]}}", 16, "uplicate"),
                bad("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", 0, "uplicate"),
                // entry not an object
                bad("{\"w\":5}", 16, "'w'", "not a JSON object"),
                bad("{\"w\":[0,16]}", 16, "'w'", "not a JSON object"),
                bad("{\"w\":null}", 16, "'w'", "not a JSON object"),
                bad("{\"line\\nbreak\":null}", 16, "'line\\u000abreak'", "not a JSON object"),
                // dtype
                bad("{\"w\":{\"shape\":[2],\"data_offsets\":[0,16]}}", 16, "'w'", "dtype"),
                bad("{" + entry("w", "5", "[2]", "[0,16]") + "}", 16, "'w'", "dtype"),
                bad("{" + entry("w", "null", "[2]", "[0,16]") + "}", 16, "'w'", "dtype"),
                bad("{" + entry("w", "\"F8_E4M3\"", "[2]", "[0,16]") + "}", 16, "'w'", "dtype", "F8_E4M3"),
                bad("{" + entry("w", "\"f64\"", "[2]", "[0,16]") + "}", 16, "'w'", "dtype"),
                bad("{" + entry("w", "\"BOOL\"", "[2]", "[0,2]") + "}", 16, "'w'", "dtype"),
                // shape
                bad("{\"w\":{\"dtype\":\"F64\",\"data_offsets\":[0,16]}}", 16, "'w'", "shape"),
                bad("{" + entry("w", "\"F64\"", "2", "[0,16]") + "}", 16, "'w'", "shape"),
                bad("{" + entry("w", "\"F64\"", "\"[2]\"", "[0,16]") + "}", 16, "'w'", "shape"),
                bad("{" + entry("w", "\"F64\"", "[2.0]", "[0,16]") + "}", 16, "'w'", "shape", "integer"),
                bad("{" + entry("w", "\"F64\"", "[\"2\"]", "[0,16]") + "}", 16, "'w'", "shape", "integer"),
                bad("{" + entry("w", "\"F64\"", "[-2]", "[0,16]") + "}", 16, "'w'", "negative"),
                bad("{" + entry("w", "\"F64\"", "[2,-1]", "[0,16]") + "}", 16, "'w'", "negative"),
                bad("{" + entry("w", "\"F64\"", "[2147483648]", "[0,16]") + "}", 16, "'w'", "overflow"),
                bad("{" + entry("w", "\"F64\"", "[99999999999999999999999]", "[0,16]") + "}", 16, "'w'", "overflow"),
                bad("{" + entry("w", "\"F64\"", "[2147483647,2147483647,2147483647]", "[0,16]") + "}", 16,
                        "'w'", "overflow"),
                bad("{" + entry("w", "\"F64\"", "[2147483647,2147483647,2]", "[0,16]") + "}", 16,
                        "'w'", "overflow"),
                // data_offsets
                bad("{\"w\":{\"dtype\":\"F64\",\"shape\":[2]}}", 16, "'w'", "data_offsets"),
                bad("{" + entry("w", "\"F64\"", "[2]", "16") + "}", 16, "'w'", "data_offsets"),
                bad("{" + entry("w", "\"F64\"", "[2]", "[16]") + "}", 16, "'w'", "data_offsets"),
                bad("{" + entry("w", "\"F64\"", "[2]", "[0,16,32]") + "}", 16, "'w'", "data_offsets"),
                bad("{" + entry("w", "\"F64\"", "[2]", "[0,16.0]") + "}", 16, "'w'", "data_offsets"),
                bad("{" + entry("w", "\"F64\"", "[2]", "[\"0\",16]") + "}", 16, "'w'", "data_offsets"),
                bad("{" + entry("w", "\"F64\"", "[2]", "[-16,0]") + "}", 16, "'w'", "data_offsets", "negative"),
                bad("{" + entry("w", "\"F64\"", "[2]", "[16,0]") + "}", 16, "'w'", "data_offsets", "begin > end"),
                bad("{" + entry("w", "\"F64\"", "[2]", "[0,16]") + "}", 8, "'w'", "out of range",
                        "data section is 8 bytes"),
                bad("{" + entry("w", "\"F64\"", "[2]", "[100,116]") + "}", 16, "'w'", "out of range"),
                bad("{" + entry("w", "\"F64\"", "[2]", "[0,99999999999999999999999]") + "}", 16, "'w'",
                        "out of range"),
                bad("{" + entry("w", "\"F64\"", "[2]", "[9223372036854775807,9223372036854775807]") + "}", 16,
                        "'w'", "out of range"),
                // size mismatch
                bad("{" + entry("w", "\"F64\"", "[2]", "[0,8]") + "}", 16, "'w'", "mismatch", "16", "8"),
                bad("{" + entry("w", "\"F32\"", "[2]", "[0,16]") + "}", 16, "'w'", "mismatch"),
                bad("{" + entry("w", "\"F64\"", "[]", "[0,0]") + "}", 16, "'w'", "mismatch"),
                bad("{" + entry("w", "\"F64\"", "[0]", "[0,8]") + "}", 16, "'w'", "mismatch"),
                // overlap
                bad("{" + entry("a", "\"F64\"", "[2]", "[0,16]") + "," + entry("b", "\"F64\"", "[1]", "[8,16]")
                        + "}", 16, "overlap", "'a'", "'b'"),
                bad("{" + entry("b", "\"U8\"", "[4]", "[0,4]") + "," + entry("a", "\"U8\"", "[4]", "[0,4]")
                        + "}", 16, "overlap"),
                bad("{" + entry("a", "\"U8\"", "[4]", "[4,8]") + "," + entry("b", "\"U8\"", "[2]", "[7,9]")
                        + "," + entry("c", "\"U8\"", "[4]", "[0,4]") + "}", 16, "overlap"),
                bad("{" + entry("a", "\"U8\"", "[10]", "[0,10]") + "," + entry("b", "\"U8\"", "[2]", "[2,4]")
                        + "," + entry("c", "\"U8\"", "[2]", "[6,8]") + "}", 16, "overlap"),
                // __metadata__
                bad("{\"__metadata__\":\"x\"}", 0, "__metadata__", "not a JSON object"),
                bad("{\"__metadata__\":null}", 0, "__metadata__", "not a JSON object"),
                bad("{\"__metadata__\":[\"a\"]}", 0, "__metadata__", "not a JSON object"),
                bad("{\"__metadata__\":{\"a\":1}}", 0, "__metadata__", "'a'", "not a string"),
                bad("{\"__metadata__\":{\"a\":\"1\",\"b\":null}}", 0, "__metadata__", "'b'", "not a string"),
                bad("{\"__metadata__\":{\"a\":{\"b\":\"c\"}}}", 0, "__metadata__", "not a string"),
                bad("{\"__metadata__\":{\"a\":true}}", 0, "__metadata__", "not a string"));
    }

    @ParameterizedTest
    @MethodSource("malformedHeaders")
    void malformedHeaderIsRejected(String header, int dataLen, String... words) {
        rejects(file(header, dataLen), words);
    }

    @Test
    void tooShort() {
        for (int n = 0; n < 8; n++) {
            rejects(new byte[n], "short", n + " bytes");
        }
    }

    @Test
    void headerLengthPastTheEnd() {
        byte[] good = file("{}", 0);
        ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 3);
        rejects(good, "header length 3");
        for (long len : new long[]{3, 100, Integer.MAX_VALUE, 1L << 40, Long.MAX_VALUE, -1L, Long.MIN_VALUE}) {
            byte[] b = new byte[8];
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(len);
            rejects(b, "header length " + Long.toUnsignedString(len), "exceeds");
        }
        // 2^64 - 1 is printed unsigned
        byte[] b = new byte[16];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L);
        rejects(b, "18446744073709551615");
    }

    @Test
    void headerNotUtf8() {
        byte[][] bad = {
                {'{', '"', (byte) 0xff, '"', ':', '{', '}', '}'},
                {'{', '"', (byte) 0xc3, '"', ':', '{', '}', '}'},                   // truncated sequence
                {'{', '"', (byte) 0xc0, (byte) 0x80, '"', ':', '{', '}', '}'},     // overlong NUL
                {'{', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', ':', '{', '}', '}'}, // encoded surrogate
                {(byte) 0xfe, (byte) 0xff, 0, '{', 0, '}'},                          // UTF-16 with BOM
        };
        for (byte[] h : bad) {
            rejects(file(h, 0), "UTF-8");
        }
    }

    @Test
    void tensorNamedMetadataIsMetadataNotATensor() throws Exception {
        SafeTensorsFile f = SafeTensors.read(file("{\"__metadata__\":{\"k\":\"v\"}," + entry("t", "\"U8\"", "[1]", "[0,1]")
                + "}", 1), SRC);
        assertEquals(java.util.Set.of("t"), f.tensors().keySet());
        assertEquals(java.util.Map.of("k", "v"), f.metadata());
        // a tensor-like __metadata__ is a malformed metadata table, not a tensor
        rejects(file("{" + entry("__metadata__", "\"U8\"", "[1]", "[0,1]") + "}", 1), "__metadata__", "not a string");
    }

    @Test
    void emptyRangesDoNotOverlap() throws Exception {
        SafeTensorsFile f = SafeTensors.read(file("{" + entry("a", "\"U8\"", "[4]", "[0,4]") + ","
                + entry("e", "\"F64\"", "[0,5]", "[2,2]") + "," + entry("z", "\"U8\"", "[0]", "[4,4]") + "}", 4), SRC);
        assertEquals(3, f.tensors().size());
        assertEquals(0, f.require("e").data().length);
    }

    @Test
    void zeroDimensionAvoidsOverflow() throws Exception {
        SafeTensorsFile f = SafeTensors.read(file("{" + entry("e", "\"F64\"", "[2147483647,2147483647,0]", "[0,0]")
                + "}", 0), SRC);
        assertEquals(0, f.require("e").size());
    }

    @Test
    void unknownEntryFieldsAreIgnoredLikeUpstream() throws Exception {
        SafeTensorsFile f = SafeTensors.read(file("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"x\":[]}}",
                1), SRC);
        assertEquals(1, f.tensors().size());
    }

    @Test
    void readPathNamesTheFile(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("model.safetensors");
        Files.write(p, file("{" + entry("embed.W_E", "\"F64\"", "[5,10]", "[0,400]") + "}", 320));
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(p));
        assertEquals(p + ": tensor 'embed.W_E': data_offsets [0, 400] out of range (data section is 320 bytes)",
                e.getMessage());
        Files.write(p, new byte[3]);
        e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    }
}
