package org.attnlab.engine.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.attnlab.engine.model.ConfigJson;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL, no shutdown hooks) while it saves checkpoints over the same file
 * leaves a complete checkpoint there: the previous one or the new one, never a torn mix,
 * because {@link Checkpoint#save} writes a temporary file, forces it to disk and moves it
 * over the target atomically.
 */
class KilledSaveTest {
    private static final int KILLS = 12;

    /** The child: saves a checkpoint of a ~1 MB model over {@code args[0]} again and again, printing each version. */
    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        TransformerConfig config = ConfigJson.parse(
                "{\"d_model\":64,\"n_heads\":4,\"n_layers\":2,\"d_mlp\":256,\"n_ctx\":32,\"d_vocab\":32}");
        Parameters params = new Parameters(config);
        for (long version = 1; ; version++) {
            for (Param p : params.all()) {            // every value encodes the version: a torn file shows
                java.util.Arrays.fill(p.value().data, 0, p.size(), version);
            }
            Checkpoint.save(target, params, Map.of("version", Long.toString(version)), null);
            System.out.println("saved " + version);
            System.out.flush();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aKilledSaveLeavesTheLastCompleteCheckpoint(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("model.safetensors");
        Random rnd = new Random(7);
        long lastSeen = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), KilledSaveTest.class.getName(), target.toString())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            long saved = 0;
            int waitFor = 2 + rnd.nextInt(4);
            for (int i = 0; i < waitFor; i++) {          // let it save a few times, then kill it mid-stream
                String line = out.readLine();
                if (line == null || !line.startsWith("saved ")) {
                    fail("the child failed: " + line);
                }
                saved = Long.parseLong(line.substring(6));
            }
            Thread.sleep(rnd.nextInt(15));
            child.toHandle().destroyForcibly();            // SIGKILL: no shutdown hook, no finally (streams stay open)
            child.waitFor(10, TimeUnit.SECONDS);
            // the child may have run ahead of our reading: what it printed before it died is still in
            // the pipe, and it prints a version only once that version's save has completed
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("saved ")) {
                    saved = Long.parseLong(line.substring(6));
                }
            }

            Checkpoint ck = Checkpoint.load(target);       // must be complete and consistent
            long version = Long.parseLong(ck.metadata().get("version"));
            // the last version it reported, or the next one if the kill came between its move and its print
            assertTrue(version == saved || version == saved + 1, "version " + version + " after save " + saved);
            for (Param p : ck.params().all()) {
                for (int i = 0; i < p.size(); i++) {
                    if (p.value().data[i] != version) {
                        fail("kill " + kill + ": " + p.name() + "[" + i + "] = " + p.value().data[i]
                                + " in a file of version " + version + ": a torn write");
                    }
                }
            }
            lastSeen = version;
        }
        assertTrue(lastSeen > 0);
        try (Stream<Path> files = Files.list(dir)) {       // temporary files of killed saves may stay; never the target torn
            assertTrue(files.anyMatch(target::equals));
        }
    }
}
