package org.attnlab.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.attnlab.engine.compute.Precision;
import picocli.CommandLine;

/** Checks on input and output paths, so a bad one fails before any work with a message naming it. */
final class CliFiles {
    private CliFiles() {
    }

    /**
     * Checks that {@code out} can be written: its directory exists and accepts a new file (tried
     * for real), and it is not a directory, a device or another special file.
     *
     * @throws IOException naming the path and the reason
     */
    static void requireWritable(Path out) throws IOException {
        Path abs = out.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new IOException("cannot write " + out + ": it is a directory");
        }
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            throw new IOException("cannot write " + out + ": it exists and is not a regular file");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot write " + out + ": directory " + dir + " does not exist");
        }
        try {
            Path probe = Files.createTempFile(dir, ".attnlab-write-check", ".tmp");
            Files.deleteIfExists(probe);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            throw new IOException("cannot write " + out + ": directory " + dir + " does not accept new files");
        }
    }

    /**
     * Checks that {@code in} is an existing regular, readable file.
     *
     * @param what what the file should be, e.g. "checkpoint"
     * @throws IOException naming the path and the problem
     */
    static void requireReadable(Path in, String what) throws IOException {
        if (!Files.exists(in)) {
            throw new IOException("no such file: " + in);
        }
        if (Files.isDirectory(in)) {
            throw new IOException(in + ": is a directory, not a " + what);
        }
        if (!Files.isRegularFile(in)) {
            throw new IOException(in + ": is not a regular file (a " + what + " was expected)");
        }
        if (!Files.isReadable(in)) {
            throw new IOException(in + ": permission denied");
        }
    }

    /**
     * @throws IOException if {@code out} is the same file as {@code in} (writing would destroy the input)
     */
    static void requireDistinct(Path out, Path in, String inOption) throws IOException {
        if (Files.exists(out) && Files.exists(in) && Files.isSameFile(out, in)) {
            throw new IOException("--out " + out + " is the same file as " + inOption + ": refusing to overwrite it");
        }
    }

    /**
     * The precision a command computes in: {@code dtype} when given, else {@code fallback}.
     *
     * @param dtype the --dtype option's value, or null
     * @throws CommandLine.ParameterException (bad usage, exit 2) naming the option when dtype is
     *         neither f32 nor f64
     */
    static Precision precision(CommandLine cmd, String dtype, Precision fallback) {
        if (dtype == null) {
            return fallback;
        }
        try {
            return Precision.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, "--dtype must be f32 or f64 (got '" + dtype + "')");
        }
    }
}
