package org.attnlab.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on output paths, so a bad one fails before any work with a message naming it. */
final class CliFiles {
    private CliFiles() {
    }

    /**
     * @throws IOException naming the path when its directory does not exist or is not writable,
     *     or the path is a directory
     */
    static void requireWritable(Path out) throws IOException {
        Path abs = out.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new IOException("cannot write " + out + ": it is a directory");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot write " + out + ": directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("cannot write " + out + ": directory " + dir + " is not writable");
        }
    }
}
