package org.attnlab.app.lessons;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The lessons' checkpoints live inside the program (under {@code /assets}); opening one goes
 * through the same command as File &gt; Open, which reads a file, so each is copied once to a
 * folder of its own under the temporary directory.
 */
public final class LessonAssets {
    private LessonAssets() {
    }

    /**
     * @param relative a checkpoint's path relative to {@code assets/}
     * @return a file with its bytes (copied if missing or of another size)
     * @throws IOException if the resource is missing or cannot be copied
     */
    public static Path checkpoint(String relative) throws IOException {
        String resource = "/assets/" + relative;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "attnlab-lessons-" + System.getProperty("user.name",
                "user"));
        Path out = dir.resolve(Path.of(relative).getFileName().toString());
        try (InputStream in = LessonAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the lesson checkpoint " + relative + " is not in the program's assets");
            }
            byte[] bytes = in.readAllBytes();
            if (!Files.isRegularFile(out) || Files.size(out) != bytes.length
                    || !java.util.Arrays.equals(Files.readAllBytes(out), bytes)) {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, "ckpt", ".part");
                Files.write(tmp, bytes);
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return out;
    }
}
