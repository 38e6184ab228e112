package org.attnlab.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsRoundTripTest {

    /**
     * Written by Python: tensors sorted by name, json.dumps(header, separators=(",", ":")) with
     * "__metadata__" last, space padding to a multiple of 8, struct.pack little-endian data
     * (F16 via struct "e", BF16 as the upper two bytes of struct "f").
     */
    static final String PYTHON_HEX = "8802000000000000"
            + "7b22612e62696173223a7b226474797065223a22463332222c227368617065223a5b325d2c22646174615f6f66667365"
            + "7473223a5b302c385d7d2c22612e77223a7b226474797065223a22463634222c227368617065223a5b322c325d2c2264"
            + "6174615f6f666673657473223a5b382c34305d7d2c22656d625c7530306539223a7b226474797065223a22463634222c"
            + "227368617065223a5b302c335d2c22646174615f6f666673657473223a5b34302c34305d7d2c22682e6266223a7b2264"
            + "74797065223a2242463136222c227368617065223a5b335d2c22646174615f6f666673657473223a5b34302c34365d7d"
            + "2c22682e663136223a7b226474797065223a22463136222c227368617065223a5b355d2c22646174615f6f6666736574"
            + "73223a5b34362c35365d7d2c22693332223a7b226474797065223a22493332222c227368617065223a5b325d2c226461"
            + "74615f6f666673657473223a5b35362c36345d7d2c226d61736b223a7b226474797065223a225538222c227368617065"
            + "223a5b335d2c22646174615f6f666673657473223a5b36342c36375d7d2c2273223a7b226474797065223a2246363422"
            + "2c227368617065223a5b5d2c22646174615f6f666673657473223a5b36372c37355d7d2c22746f6b223a7b2264747970"
            + "65223a22493634222c227368617065223a5b322c315d2c22646174615f6f666673657473223a5b37352c39315d7d2c22"
            + "5f5f6d657461646174615f5f223a7b22666f726d6174223a226174746e6c61622d74657374222c22666f726d61745f76"
            + "657273696f6e223a2231222c226e6f7465223a22685c75303065396c6c6f205c22715c225c6e5c745c5c205c75643833"
            + "645c7564653030205c7530303766227d7d20202020202020"
            + "0000003f000000c0000000000000f03f000000000000d0bf182d4454fb21094059f3f8c21f6ea501803f00c04940"
            + "003800c0ff7b010000fcf9ffffffffffff7f0001ff0000000000004540ffffffffffffffff0000000000002000";

    /** engine/src/test/resources/golden/pre_ln_learned_causal.batch.safetensors, written by the PyTorch pipeline. */
    static final String GOLDEN_BATCH_HEX = "0001000000000000"
            + "7b226c6f73735f6d61736b223a7b226474797065223a225538222c227368617065223a5b332c375d2c22646174615f6f"
            + "666673657473223a5b302c32315d7d2c2274617267657473223a7b226474797065223a22493634222c22736861706522"
            + "3a5b332c375d2c22646174615f6f666673657473223a5b32312c3138395d7d2c22746f6b656e73223a7b226474797065"
            + "223a22493634222c227368617065223a5b332c375d2c22646174615f6f666673657473223a5b3138392c3335375d7d2c"
            + "225f5f6d657461646174615f5f223a7b22666f726d6174223a226174746e6c61622d6261746368222c22666f726d6174"
            + "5f76657273696f6e223a2231227d7d20"
            + "010101000001000000010101010101010000010000"
            + "080000000000000001000000000000000900000000000000ffffffffffffffffffffffffffffffff0900000000000000"
            + "ffffffffffffffffffffffffffffffffffffffffffffffff080000000000000003000000000000000a00000000000000"
            + "0400000000000000090000000000000000000000000000000500000000000000ffffffffffffffffffffffffffffffff"
            + "0000000000000000ffffffffffffffffffffffffffffffff"
            + "0a00000000000000070000000000000007000000000000000100000000000000090000000000000006000000000000"
            + "000000000000000000010000000000000009000000000000000500000000000000030000000000000001000000000000"
            + "000a0000000000000000000000000000000200000000000000040000000000000002000000000000000a000000000000"
            + "00070000000000000002000000000000000000000000000000";

    static Map<String, StoredTensor> pythonTensors() {
        Map<String, StoredTensor> m = new LinkedHashMap<>();
        // deliberately not in name order: the writer must sort
        m.put("tok", new StoredTensor(DType.I64, new int[]{2, 1}, new double[]{-1, 9007199254740992.0}));
        m.put("s", new StoredTensor(DType.F64, new int[]{}, new double[]{42}));
        m.put("mask", new StoredTensor(DType.U8, new int[]{3}, new double[]{0, 1, 255}));
        m.put("i32", new StoredTensor(DType.I32, new int[]{2}, new double[]{-7, 2147483647}));
        m.put("h.f16", new StoredTensor(DType.F16, new int[]{5},
                new double[]{0.5, -2, 65504, 0x1p-24, Double.NEGATIVE_INFINITY}));
        m.put("h.bf", new StoredTensor(DType.BF16, new int[]{3}, new double[]{1, -2, 3.140625}));
        m.put("emb\u00e9", new StoredTensor(DType.F64, new int[]{0, 3}, new double[]{}));
        m.put("a.w", new StoredTensor(DType.F64, new int[]{2, 2}, new double[]{1, -0.25, Math.PI, 1e-300}));
        m.put("a.bias", new StoredTensor(DType.F32, new int[]{2}, new double[]{0.5, -2}));
        return m;
    }

    static Map<String, String> pythonMetadata() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "attnlab-test");
        meta.put("format_version", "1");
        meta.put("note", "h\u00e9llo \"q\"\n\t\\ \uD83D\uDE00 \u007f");
        return meta;
    }

    @Test
    void readsBytesWrittenByPython() throws Exception {
        byte[] bytes = HexFormat.of().parseHex(PYTHON_HEX);
        SafeTensorsFile f = SafeTensors.read(bytes, "python.safetensors");
        assertEquals(List.of("a.bias", "a.w", "emb\u00e9", "h.bf", "h.f16", "i32", "mask", "s", "tok"),
                List.copyOf(f.tensors().keySet()));
        Map<String, StoredTensor> expected = pythonTensors();
        for (String name : expected.keySet()) {
            assertEquals(expected.get(name), f.tensors().get(name), name);
            assertArrayEquals(expected.get(name).shape(), f.tensors().get(name).shape(), name);
        }
        assertEquals(pythonMetadata(), f.metadata());
        assertEquals(List.copyOf(pythonMetadata().keySet()), List.copyOf(f.metadata().keySet()));
        assertEquals(Optional.of("attnlab-test"), f.meta("format"));
        assertEquals(Optional.empty(), f.meta("nope"));
        assertEquals(DType.BF16, f.require("h.bf").dtype());
    }

    @Test
    void writesTheSameBytesAsPython() {
        byte[] expected = HexFormat.of().parseHex(PYTHON_HEX);
        byte[] actual = SafeTensors.toBytes(pythonTensors(), pythonMetadata());
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(actual));
    }

    @Test
    void goldenBatchFromPyTorchReadsAndRewritesByteExactly() throws Exception {
        byte[] golden = HexFormat.of().parseHex(GOLDEN_BATCH_HEX);
        assertEquals(621, golden.length);
        SafeTensorsFile f = SafeTensors.read(golden, "pre_ln_learned_causal.batch.safetensors");
        assertEquals(List.of("loss_mask", "targets", "tokens"), List.copyOf(f.tensors().keySet()));
        StoredTensor mask = f.require("loss_mask");
        assertEquals(DType.U8, mask.dtype());
        assertArrayEquals(new int[]{3, 7}, mask.shape());
        assertArrayEquals(new double[]{1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0}, mask.data());
        assertArrayEquals(new double[]{8, 1, 9, -1, -1, 9, -1, -1, -1, 8, 3, 10, 4, 9, 0, 5, -1, -1, 0, -1, -1},
                f.require("targets").data());
        assertArrayEquals(new double[]{10, 7, 7, 1, 9, 6, 0, 1, 9, 5, 3, 1, 10, 0, 2, 4, 2, 10, 7, 2, 0},
                f.require("tokens").data());
        assertEquals(Map.of("format", "attnlab-batch", "format_version", "1"), f.metadata());
        assertArrayEquals(golden, SafeTensors.toBytes(f.tensors(), f.metadata()));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyDtypeRoundTrips(DType dtype) throws Exception {
        double[] values = switch (dtype) {
            case F64 -> new double[]{0, -0.0, 1e-310, Math.PI, -1e300, Double.MAX_VALUE, Double.MIN_VALUE,
                    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
            case F32 -> new double[]{0, -0.0, 0.1f, -3.5, Float.MAX_VALUE, Float.MIN_VALUE, 0x1p-130,
                    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
            case F16 -> new double[]{0, -0.0, 0.5, -2, 65504, -65504, 0x1p-24, 0x1p-14, 0x1.ff8p-15, 1.0009765625,
                    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
            case BF16 -> new double[]{0, -0.0, 0.5, -2, 3.140625, 0x1.fep127, 0x1p-133, 0x1p-126,
                    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
            case I64 -> new double[]{0, -1, 1, -0x1p63, 0x1p62, 9007199254740991.0, -9007199254740992.0};
            case I32 -> new double[]{0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 123456};
            case U8 -> new double[]{0, 1, 127, 128, 255};
        };
        Map<String, StoredTensor> tensors = new TreeMap<>();
        tensors.put("x", new StoredTensor(dtype, new int[]{values.length}, values));
        tensors.put("x2d", new StoredTensor(dtype, new int[]{1, values.length}, values.clone()));
        tensors.put("empty", new StoredTensor(dtype, new int[]{2, 0}, new double[0]));
        byte[] bytes = SafeTensors.toBytes(tensors, Map.of());
        long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "header padded to a multiple of 8");
        assertEquals(8 + headerLen + 2L * values.length * dtype.byteSize(), bytes.length);
        SafeTensorsFile f = SafeTensors.read(bytes, "rt-" + dtype);
        assertEquals(tensors, f.tensors());
        assertTrue(f.metadata().isEmpty());
        for (int i = 0; i < values.length; i++) {
            // -0.0 must stay -0.0, NaN must stay NaN
            assertEquals(Double.doubleToLongBits(values[i]),
                    Double.doubleToLongBits(f.require("x").data()[i]), dtype + " element " + i);
        }
        assertArrayEquals(bytes, SafeTensors.toBytes(f.tensors(), f.metadata()), "rewrite is byte-identical");
    }

    @Test
    void metadataRoundTripsInOrder() throws Exception {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("zeta", "last letter first");
        meta.put("config", "{\"d_model\": 16, \"act\": \"gelu\"}");
        meta.put("", "empty key");
        meta.put("unicode \u4e2d", "\u00fc\uD83D\uDE00\u0000\u001f");
        Map<String, StoredTensor> t = Map.of("w", StoredTensor.f64(new int[]{1}, new double[]{2}));
        byte[] bytes = SafeTensors.toBytes(t, meta);
        String header = new String(bytes, 8, (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(),
                StandardCharsets.US_ASCII);
        assertTrue(header.contains("\"unicode \\u4e2d\":\"\\u00fc\\ud83d\\ude00\\u0000\\u001f\""), header);
        SafeTensorsFile f = SafeTensors.read(bytes, "meta");
        assertEquals(meta, f.metadata());
        assertEquals(List.copyOf(meta.keySet()), List.copyOf(f.metadata().keySet()));
        assertEquals(Optional.of("empty key"), f.meta(""));
        assertEquals(t, f.tensors());
    }

    @Test
    void noMetadataMeansNoMetadataKey() throws Exception {
        byte[] bytes = SafeTensors.toBytes(Map.of("a", StoredTensor.f64(new int[]{}, new double[]{1})), null);
        String header = new String(bytes, 8, bytes.length - 16, StandardCharsets.US_ASCII);
        assertEquals("{\"a\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}}   ", header);
        assertTrue(SafeTensors.read(bytes, "x").metadata().isEmpty());
        byte[] none = SafeTensors.toBytes(Map.of(), Map.of());
        assertArrayEquals(new byte[]{8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '}, none);
        assertTrue(SafeTensors.read(none, "empty").tensors().isEmpty());
    }

    @Test
    void tensorsAreOrderedByCodePoint() throws Exception {
        Map<String, StoredTensor> t = new LinkedHashMap<>();
        for (String n : new String[]{"b", "\uD83D\uDE00", "\uFB01", "a.z", "a", "B", "a.b"}) {
            t.put(n, StoredTensor.f64(new int[]{}, new double[]{n.length()}));
        }
        SafeTensorsFile f = SafeTensors.read(SafeTensors.toBytes(t, null), "order");
        // U+1F600 sorts after U+FB01 by code point (Python's order), although its UTF-16 char is smaller
        assertEquals(List.of("B", "a", "a.b", "a.z", "b", "\uFB01", "\uD83D\uDE00"), List.copyOf(f.tensors().keySet()));
    }

    @Test
    void requireNamesMissingTensorAndSource() throws Exception {
        SafeTensorsFile f = SafeTensors.read(SafeTensors.toBytes(pythonTensors(), null), "model.safetensors");
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> f.require("embed.W_E"));
        assertTrue(e.getMessage().startsWith("model.safetensors: "), e.getMessage());
        assertTrue(e.getMessage().contains("'embed.W_E'"), e.getMessage());
        assertEquals("model.safetensors", e.sourceName());
    }

    @Test
    void resultIsUnmodifiable() throws Exception {
        SafeTensorsFile f = SafeTensors.read(HexFormat.of().parseHex(PYTHON_HEX), "p");
        assertThrows(UnsupportedOperationException.class, () -> f.tensors().remove("s"));
        assertThrows(UnsupportedOperationException.class, () -> f.metadata().put("k", "v"));
    }

    @Test
    void integerTensorsRejectNonIntegralOrOutOfRangeValues() {
        Object[][] bad = {
                {DType.U8, 256.0}, {DType.U8, -1.0}, {DType.U8, 0.5}, {DType.U8, Double.NaN},
                {DType.I32, 2147483648.0}, {DType.I32, -2147483649.0}, {DType.I32, 1.25},
                {DType.I64, 0x1p63}, {DType.I64, Double.POSITIVE_INFINITY}, {DType.I64, Double.NaN}, {DType.I64, -0.5},
        };
        for (Object[] c : bad) {
            DType dt = (DType) c[0];
            double v = (Double) c[1];
            Map<String, StoredTensor> t = Map.of("ok", StoredTensor.f64(new int[]{1}, new double[]{1}),
                    "bad.tensor", new StoredTensor(dt, new int[]{2}, new double[]{0, v}));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SafeTensors.toBytes(t, null), dt + " " + v);
            assertTrue(e.getMessage().contains("bad.tensor"), e.getMessage());
            assertTrue(e.getMessage().contains(dt.name()), e.getMessage());
        }
        // the extremes that are in range are accepted
        SafeTensors.toBytes(Map.of("a", new StoredTensor(DType.I64, new int[]{1}, new double[]{-0x1p63})), null);
        SafeTensors.toBytes(Map.of("a", new StoredTensor(DType.U8, new int[]{1}, new double[]{-0.0})), null);
    }

    @Test
    void tensorNamedMetadataIsRejectedOnWrite() {
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(
                Map.of("__metadata__", StoredTensor.f64(new int[]{}, new double[]{1})), null));
    }

    @Test
    void headerMayBePaddedAndGapsAreAllowed() throws Exception {
        String json = "{\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[4,6]},"
                + "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}" + " ".repeat(37);
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bb = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(h.length).put(h).put(new byte[]{7, 0, 0, 0, 9, 10, 0, 0});
        SafeTensorsFile f = SafeTensors.read(bb.array(), "gaps");
        assertArrayEquals(new double[]{7}, f.require("a").data());
        assertArrayEquals(new double[]{9, 10}, f.require("b").data());
        assertFalse(f.tensors().containsKey("__metadata__"));
    }
}
