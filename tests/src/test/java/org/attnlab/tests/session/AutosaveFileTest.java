package org.attnlab.tests.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.attnlab.app.session.Autosave;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autosaved session file: written atomically and read back identical; any malformed,
 * truncated or mutated file gives one IOException naming the file, nothing else.
 */
class AutosaveFileTest {
    private static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "-1", "1e999", "null", "true",
            "\"x\"", "2147483648", "\"probe\"", "\"step\"", "\"saved_at\"", "\"version\"", " ", "\\u0000"};

    private static Autosave.Session session() {
        return new Autosave.Session(Instant.parse("2026-11-30T12:00:00Z"), "lego", "lego6", 1234,
                new int[] {3, 1, 4, 1, 5}, "Residual stream");
    }

    @Test
    void aSessionRoundTrips(@TempDir Path dir) throws IOException {
        Autosave store = new Autosave(dir);
        store.prepare();
        assertTrue(store.read().isEmpty(), "nothing saved yet");
        Files.writeString(store.checkpoint(), "stands for a checkpoint");
        store.write(session());
        Autosave.Session back = store.read().orElseThrow();
        assertEquals(session().savedAt(), back.savedAt());
        assertEquals("lego", back.task());
        assertEquals("lego6", back.preset());
        assertEquals(1234, back.step());
        assertArrayEquals(new int[] {3, 1, 4, 1, 5}, back.probe());
        assertEquals("Residual stream", back.view());
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
        store.discard();
        assertTrue(store.read().isEmpty());
    }

    @Test
    void aSessionWhoseCheckpointIsGoneIsNamed(@TempDir Path dir) throws IOException {
        Autosave store = new Autosave(dir);
        store.prepare();
        store.write(session());
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, store::read);
        assertTrue(e.getMessage().contains("session.json") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @Tag("slow")
    void mutatedSessionFilesGiveOnlyAnIOExceptionNamingTheFile(@TempDir Path dir) throws IOException {
        Autosave store = new Autosave(dir);
        store.prepare();
        Files.writeString(store.checkpoint(), "stands for a checkpoint");
        store.write(session());
        byte[] base = Files.readAllBytes(store.sessionFile());
        Random rnd = new Random(42);
        int accepted = 0, rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b = base.clone();
            switch (rnd.nextInt(4)) {
                case 0 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));             // truncated
                case 1 -> {                                                                  // bit flips
                    for (int k = 0, n = 1 + rnd.nextInt(4); k < n; k++) {
                        b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                case 2 -> {                                                                  // a token spliced in
                    String s = new String(b, StandardCharsets.ISO_8859_1);
                    int from = rnd.nextInt(s.length());
                    int to = Math.min(s.length(), from + rnd.nextInt(8));
                    b = (s.substring(0, from) + TOKENS[rnd.nextInt(TOKENS.length)] + s.substring(to))
                            .getBytes(StandardCharsets.ISO_8859_1);
                }
                default -> {                                                                 // random bytes
                    b = new byte[rnd.nextInt(200)];
                    rnd.nextBytes(b);
                }
            }
            Files.write(store.sessionFile(), b);
            try {
                store.read();
                accepted++;
            } catch (IOException e) {
                rejected++;
                assertTrue(e.getMessage().startsWith(store.sessionFile().toString() + ": "), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            } catch (Throwable t) {
                fail("mutation " + i + " threw " + t, t);
            }
        }
        assertTrue(accepted > 100 && rejected > 10_000, accepted + " accepted, " + rejected + " rejected");
    }
}
