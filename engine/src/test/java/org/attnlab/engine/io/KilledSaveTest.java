package org.attnlab.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.attnlab.engine.model.ConfigJson;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL, no shutdown hooks) while it saves checkpoints over the same file
 * leaves a complete checkpoint there: the previous one or the new one, never a torn mix,
 * because {@link Checkpoint#save} writes a temporary file, forces it to disk and moves it
 * over the target atomically ({@link AtomicFiles}).
 *
 * <p>The child prints {@code begin N} before and {@code saved N <nanoseconds>} after each save of
 * version N. After each kill the test reads everything the child printed (a pipe keeps what a
 * dead writer wrote), so the last version begun and the last saved are known exactly: the file
 * must be a complete checkpoint of one of the two. A kill lands mid-save when the last
 * {@code begin} has no {@code saved}; it landed mid-write, before the move, when the save's
 * temporary file is left behind, and then the file must still hold the previous version. The
 * test kills at a random moment within a save (the child reports how long saves take), and
 * asserts that kills did land mid-save and mid-write, so the property is actually exercised.
 */
@Tag("slow")
class KilledSaveTest {
    /** Kills at least this many children, ... */
    private static final int MIN_KILLS = 12;
    /** ... and more, up to this many, until one kill landed mid-write. */
    private static final int MAX_KILLS = 40;

    /**
     * The child: saves a checkpoint of a ~0.8 MB model over {@code args[0]} again and again, as
     * versions {@code args[1]}, {@code args[1] + 1}, ..., every value of version N being N.
     */
    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        long first = Long.parseLong(args[1]);
        TransformerConfig config = ConfigJson.parse(
                "{\"d_model\":64,\"n_heads\":4,\"n_layers\":2,\"d_mlp\":256,\"n_ctx\":32,\"d_vocab\":32}");
        Parameters params = new Parameters(config);
        for (long version = first; ; version++) {
            for (Param p : params.all()) {            // every value encodes the version: a torn file shows
                java.util.Arrays.fill(p.value().data, 0, p.size(), version);
            }
            System.out.print("begin " + version + "\n"); // one write each: a line is whole or absent
            System.out.flush();
            long t0 = System.nanoTime();
            Checkpoint.save(target, params, Map.of("version", Long.toString(version)), null);
            System.out.print("saved " + version + " " + (System.nanoTime() - t0) + "\n");
            System.out.flush();
        }
    }

    /** What one child printed: the last version begun and saved, and its save durations. */
    private static final class Log {
        long lastBegun = -1;
        long lastSaved = -1;
        long saves;
        long saveNanos;

        /** Reads one line; @return false at the end of the output */
        boolean read(BufferedReader out, Path stderr) throws IOException {
            String line = out.readLine();
            if (line == null) {
                return false;
            }
            String[] w = line.split(" ");
            if (w.length == 2 && w[0].equals("begin")) {
                long v = Long.parseLong(w[1]);
                assertTrue(lastBegun < 0 || v == lastBegun + 1, "begin " + v + " after begin " + lastBegun);
                lastBegun = v;
            } else if (w.length == 3 && w[0].equals("saved")) {
                long v = Long.parseLong(w[1]);
                assertEquals(lastBegun, v, "saved " + v + " after begin " + lastBegun);
                lastSaved = v;
                saves++;
                saveNanos += Long.parseLong(w[2]);
            } else {
                fail("the child printed '" + line + "'; its stderr: " + Files.readString(stderr));
            }
            return true;
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aKilledSaveLeavesTheLastCompleteCheckpoint(@TempDir Path dir, @TempDir Path logs) throws Exception {
        Path target = dir.resolve("model.safetensors");
        Path stderr = logs.resolve("child.err");     // not in dir, whose every other file is a save's leftover
        SplittableRandom rnd = new SplittableRandom(7);
        long next = 1;
        long meanSaveNanos = 5_000_000;
        int kills = 0, midSave = 0, midWrite = 0;
        while (kills < MIN_KILLS || (midWrite == 0 && kills < MAX_KILLS)) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), KilledSaveTest.class.getName(), target.toString(),
                    Long.toString(next))
                    .redirectError(stderr.toFile()).start();
            Log log = new Log();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                int warmSaves = 1 + rnd.nextInt(3);        // a few complete saves of this child first
                while (log.saves < warmSaves) {
                    if (!log.read(out, stderr)) {
                        fail("the child ended after " + log.saves + " saves; its stderr: " + Files.readString(stderr));
                    }
                }
                meanSaveNanos = log.saveNanos / log.saves;
                while (log.lastBegun == log.lastSaved) {    // then the start of a save, ...
                    if (!log.read(out, stderr)) {
                        fail("the child ended; its stderr: " + Files.readString(stderr));
                    }
                }
                LockSupport.parkNanos(rnd.nextLong(meanSaveNanos + 1)); // ... a random moment within it, ...
                child.toHandle().destroyForcibly();         // ... and SIGKILL: no shutdown hook, no finally
                                                            // (Process.destroyForcibly would also close our end of the pipe)
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child did not end");
                while (log.read(out, stderr)) {             // everything it printed before it died
                    // read on
                }
            }
            kills++;

            List<Path> temps;
            try (Stream<Path> files = Files.list(dir)) {
                temps = files.filter(p -> !p.equals(target)).toList();
            }
            boolean landedMidSave = log.lastBegun > log.lastSaved;
            boolean landedMidWrite = !temps.isEmpty();      // the save's temporary file, never moved
            midSave += landedMidSave ? 1 : 0;
            midWrite += landedMidWrite ? 1 : 0;

            Checkpoint ck = Checkpoint.load(target);        // must be complete and consistent
            long version = Long.parseLong(ck.metadata().get("version"));
            String where = "kill " + kills + " (last begun " + log.lastBegun + ", last saved " + log.lastSaved
                    + (landedMidWrite ? ", a temporary file left" : "") + "): file of version " + version;
            assertTrue(version == log.lastSaved || version == log.lastBegun, where);
            if (landedMidWrite) {
                assertTrue(landedMidSave, where + ": a temporary file but no save under way");
                assertEquals(log.lastSaved, version, where + ": the move had not happened");
            }
            for (Param p : ck.params().all()) {
                for (int i = 0; i < p.size(); i++) {
                    if (p.value().data[i] != version) {
                        fail(where + ": " + p.name() + "[" + i + "] = " + p.value().data[i] + ", a torn write");
                    }
                }
            }
            for (Path t : temps) {                          // so the next kill's leftovers are its own
                Files.delete(t);
            }
            next = log.lastBegun + 1;                       // versions never repeat across children
        }
        System.out.printf("KilledSaveTest: %d kills, %d mid-save, %d mid-write (a save took %.1f ms)%n",
                kills, midSave, midWrite, meanSaveNanos / 1e6);
        assertTrue(midSave >= 1, "no kill landed between a 'begin' and its 'saved' in " + kills + " kills");
        assertTrue(midWrite >= 1, "no kill landed while the temporary file was written in " + kills
                + " kills (" + midSave + " mid-save)");
    }
}
