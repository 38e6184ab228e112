package org.attnlab.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Mutated inputs must give either a result or a SafeTensorsException, nothing else, and never hang. */
class SafeTensorsFuzzTest {

    private static final long SEED = 0x5afe7e4505L;
    private static final int MUTATIONS = 20_000;
    private static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "\\", "-", "0", "1", "9", "e", ".",
            "null", "true", "\"__metadata__\"", "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"F64\"", "\"BF16\"",
            "\"U8\"", "99999999999999999999", "-1", "2147483648", "9223372036854775808", "1e999", "\\u0000", "\u00e9",
            " ", "\n", "[[[[[[[[", "{\"a\":"};

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void mutatedFilesNeverEscapeWithAnotherException() {
        byte[][] bases = {
                SafeTensors.toBytes(SafeTensorsRoundTripTest.pythonTensors(), SafeTensorsRoundTripTest.pythonMetadata()),
                HexFormat.of().parseHex(SafeTensorsRoundTripTest.GOLDEN_BATCH_HEX),
                smallFile(),
        };
        Random rnd = new Random(SEED);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] base = bases[rnd.nextInt(bases.length)];
            int kind = rnd.nextInt(9);
            byte[] input = mutate(base, kind, rnd);
            try {
                SafeTensorsFile f = SafeTensors.read(input, "fuzz-" + i);
                accepted++;
                checkConsistent(f, i);
            } catch (SafeTensorsException e) {
                rejected++;
                assertTrue(e.getMessage().startsWith("fuzz-" + i + ": "), e.getMessage());
                assertTrue(e.getMessage().indexOf('\n') < 0 && e.getMessage().indexOf('\r') < 0,
                        "one-line message: " + e.getMessage());
            } catch (Throwable t) {
                fail("mutation " + i + " (kind " + kind + ", seed " + SEED + ") threw " + t, t);
            }
        }
        // the mutations must exercise both outcomes, or the test proves little
        System.out.println("safetensors fuzz: " + accepted + " accepted, " + rejected + " rejected");
        assertTrue(accepted > 100, "accepted " + accepted);
        assertTrue(rejected > MUTATIONS / 2, "rejected " + rejected);
    }

    private static void checkConsistent(SafeTensorsFile f, int i) {
        for (Map.Entry<String, StoredTensor> e : f.tensors().entrySet()) {
            long n = 1;
            for (int d : e.getValue().shape()) {
                assertTrue(d >= 0);
                n *= d;
            }
            assertEquals(n, e.getValue().data().length, e.getKey());
        }
        // anything accepted can be written and read back to the same content, unless an I64 value
        // beyond 2^63 - 1024 was widened to 2^63, which is out of range for writing
        byte[] again;
        try {
            again = SafeTensors.toBytes(f.tensors(), f.metadata());
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("I64"), "mutation " + i + ": " + e.getMessage());
            return;
        }
        try {
            SafeTensorsFile back = SafeTensors.read(again, "again");
            assertEquals(f, back, "mutation " + i);
            assertArrayEquals(again, SafeTensors.toBytes(back.tensors(), back.metadata()));
        } catch (SafeTensorsException e) {
            fail("mutation " + i + ": rewritten file is unreadable: " + e.getMessage());
        }
    }

    private static byte[] smallFile() {
        Map<String, StoredTensor> t = new LinkedHashMap<>();
        t.put("a", new StoredTensor(DType.U8, new int[]{2}, new double[]{1, 2}));
        t.put("b", new StoredTensor(DType.F16, new int[]{1, 2}, new double[]{0.5, -1}));
        t.put("c", new StoredTensor(DType.I32, new int[]{}, new double[]{7}));
        return SafeTensors.toBytes(t, Map.of("k", "v"));
    }

    /** One mutation of {@code base} of the given kind (0..8); used by the checkpoint fuzz test too. */
    static byte[] mutate(byte[] base, int kind, Random rnd) {
        byte[] b = base.clone();
        long headerLen = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int hEnd = (int) (8 + headerLen);
        switch (kind) {
            case 0 -> { // bit flips anywhere
                int flips = 1 + rnd.nextInt(8);
                for (int k = 0; k < flips; k++) {
                    int p = rnd.nextInt(b.length);
                    b[p] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> { // bit flips in the header only
                int flips = 1 + rnd.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    int p = 8 + rnd.nextInt(hEnd - 8);
                    b[p] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 2 -> { // truncation
                return Arrays.copyOf(b, rnd.nextInt(b.length));
            }
            case 3 -> { // header length changed: past the end, huge, negative, or slightly off
                long len = switch (rnd.nextInt(5)) {
                    case 0 -> b.length - 8 + 1 + rnd.nextInt(1000);
                    case 1 -> rnd.nextLong();
                    case 2 -> Long.MAX_VALUE - rnd.nextInt(3);
                    case 3 -> headerLen + rnd.nextInt(33) - 16;
                    default -> rnd.nextInt(b.length);
                };
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, len);
            }
            case 4 -> { // random bytes in the header
                int n = 1 + rnd.nextInt(6);
                for (int k = 0; k < n; k++) {
                    b[8 + rnd.nextInt(hEnd - 8)] = (byte) rnd.nextInt(256);
                }
            }
            case 5 -> { // random printable ASCII in the header (keeps it UTF-8, breaks JSON more subtly)
                int n = 1 + rnd.nextInt(3);
                for (int k = 0; k < n; k++) {
                    b[8 + rnd.nextInt(hEnd - 8)] = (byte) (0x20 + rnd.nextInt(0x5f));
                }
            }
            case 6 -> { // swapped or shifted data_offsets
                return rewriteOffsets(b, hEnd, rnd);
            }
            case 7 -> { // replace a header span with a JSON-ish token, fixing up the length
                String h = new String(b, 8, hEnd - 8, StandardCharsets.ISO_8859_1);
                int from = rnd.nextInt(h.length());
                int to = Math.min(h.length(), from + rnd.nextInt(12));
                String tok = TOKENS[rnd.nextInt(TOKENS.length)];
                return withHeader(b, hEnd, (h.substring(0, from) + tok + h.substring(to)).getBytes(StandardCharsets.UTF_8));
            }
            default -> { // completely random file, sometimes with a plausible header length
                byte[] r = new byte[rnd.nextInt(64)];
                rnd.nextBytes(r);
                if (r.length >= 8 && rnd.nextBoolean()) {
                    ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN).putLong(0, rnd.nextInt(r.length));
                }
                return r;
            }
        }
        return b;
    }

    private static final Pattern OFFSETS = Pattern.compile("\"data_offsets\":\\[(\\d+),(\\d+)]");

    private static byte[] rewriteOffsets(byte[] b, int hEnd, Random rnd) {
        String h = new String(b, 8, hEnd - 8, StandardCharsets.UTF_8);
        Matcher m = OFFSETS.matcher(h);
        StringBuilder sb = new StringBuilder();
        String[] firstSeen = null;
        while (m.find()) {
            String x = m.group(1);
            String y = m.group(2);
            String replacement = m.group();
            if (rnd.nextInt(3) == 0) {
                replacement = switch (rnd.nextInt(4)) {
                    case 0 -> "\"data_offsets\":[" + y + "," + x + "]";
                    case 1 -> "\"data_offsets\":[" + (Long.parseLong(x) + rnd.nextInt(5) - 2) + "," + y + "]";
                    case 2 -> "\"data_offsets\":[" + x + "," + (Long.parseLong(y) + rnd.nextInt(5) - 2) + "]";
                    default -> firstSeen == null ? replacement : "\"data_offsets\":[" + firstSeen[0] + "," + firstSeen[1] + "]";
                };
            }
            if (firstSeen == null) {
                firstSeen = new String[]{x, y};
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return withHeader(b, hEnd, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] withHeader(byte[] b, int hEnd, byte[] header) {
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + (b.length - hEnd)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header).put(b, hEnd, b.length - hEnd);
        return out.array();
    }
}
