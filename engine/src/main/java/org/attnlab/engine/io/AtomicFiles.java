package org.attnlab.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Writes a whole file so that a crash, a full disk or a killed process never leaves it torn:
 * the bytes go to a temporary file in the same directory ({@code .name.<random>.tmp}), which is
 * flushed and forced to disk and then moved over the target ({@code ATOMIC_MOVE} with
 * {@code REPLACE_EXISTING}, or only {@code REPLACE_EXISTING} where the file system cannot move
 * atomically). Checkpoints, training histories and the autosaved session are written this way.
 */
public final class AtomicFiles {
    private static final RandomGenerator TEMP_NAMES = new SecureRandom();

    private AtomicFiles() {
    }

    /**
     * @param path  the file to create or replace
     * @param bytes its whole content
     * @throws IOException if writing, forcing or moving fails; the temporary file is then deleted
     *     and an existing file at {@code path} is left untouched
     */
    public static void write(Path path, byte[] bytes) throws IOException {
        Objects.requireNonNull(path, "path");
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null) {
            throw new IOException(path + ": cannot write to a file system root");
        }
        String base = target.getFileName().toString();
        Path tmp = null;
        for (int attempt = 0; tmp == null; attempt++) {
            Path candidate = dir.resolve("." + base + "." + Long.toHexString(TEMP_NAMES.nextLong()) + ".tmp");
            try {
                Files.createFile(candidate);
                tmp = candidate;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 16) {
                    throw e;
                }
            }
        }
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (Throwable t) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException | RuntimeException suppressed) {
                t.addSuppressed(suppressed);
            }
            throw t;
        }
        // best effort: make the rename itself durable (works on Linux/macOS, not on Windows)
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // directory sync is not supported everywhere; the data itself is already forced
        }
    }
}
