package org.attnlab.lessons;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lessons shipped in {@code assets/lessons/}: the manifest {@code lessons/index.txt} lists
 * the lesson files in course order (one a line, {@code #} comments), each file is parsed on its
 * own, and a file that fails to parse (or names a checkpoint that is not there) becomes a
 * {@link LessonFormatException} in {@link #problems()} while the others load.
 *
 * @param lessons  the lessons that loaded, in manifest order
 * @param problems one per lesson file that did not (its message names the file and line)
 */
public record LessonLibrary(List<Lesson> lessons, List<LessonFormatException> problems) {
    /** The manifest, relative to the assets root. */
    public static final String INDEX = "lessons/index.txt";

    /** Where lesson files and their checkpoints are read from. */
    public interface Source {
        /**
         * @param path relative to the assets root, e.g. {@code lessons/01-attention.md}
         * @return the bytes, or empty if there is no such file
         * @throws IOException if it exists but cannot be read
         */
        Optional<byte[]> read(String path) throws IOException;

        /** @return whether {@code path} (relative to the assets root) exists */
        boolean exists(String path);
    }

    /** Copies the lists. */
    public LessonLibrary {
        lessons = List.copyOf(lessons);
        problems = List.copyOf(problems);
    }

    /**
     * @param loader a class loader that has the assets folder under {@code /assets} (the app's jar)
     * @return a source reading {@code /assets/<path>} from the class path
     */
    public static Source classpath(ClassLoader loader) {
        return new Source() {
            @Override
            public Optional<byte[]> read(String path) throws IOException {
                try (InputStream in = loader.getResourceAsStream("assets/" + path)) {
                    return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
                }
            }

            @Override
            public boolean exists(String path) {
                URL u = loader.getResource("assets/" + path);
                return u != null;
            }
        };
    }

    /**
     * @param root an assets folder on disk (e.g. the source tree's {@code assets/})
     * @return a source reading files under it
     */
    public static Source directory(Path root) {
        return new Source() {
            @Override
            public Optional<byte[]> read(String path) throws IOException {
                Path p = root.resolve(path);
                return Files.isRegularFile(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
            }

            @Override
            public boolean exists(String path) {
                return Files.isRegularFile(root.resolve(path));
            }
        };
    }

    /**
     * Loads every lesson the manifest lists.
     *
     * @param source where to read from
     * @return the lessons that loaded and the problems of those that did not; a missing or
     *     unreadable manifest is one problem naming {@value #INDEX}
     */
    public static LessonLibrary load(Source source) {
        List<Lesson> lessons = new ArrayList<>();
        List<LessonFormatException> problems = new ArrayList<>();
        List<String> files;
        try {
            Optional<byte[]> index = source.read(INDEX);
            if (index.isEmpty()) {
                return new LessonLibrary(List.of(), List.of(new LessonFormatException("index.txt", 0,
                        "no lesson manifest (" + INDEX + ") among the assets")));
            }
            files = new String(index.get(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
        } catch (IOException e) {
            return new LessonLibrary(List.of(), List.of(new LessonFormatException("index.txt", 0,
                    "cannot read the lesson manifest: " + e.getMessage())));
        }
        for (String f : files) {
            try {
                lessons.add(loadOne(source, f));
            } catch (LessonFormatException e) {
                problems.add(e);
            }
        }
        return new LessonLibrary(lessons, problems);
    }

    /**
     * @param source where to read from
     * @param file   the lesson file's name inside {@code lessons/}
     * @return the lesson
     * @throws LessonFormatException if the file is missing, unreadable or malformed, or a step
     *     names a checkpoint that is not among the assets (naming the step's line)
     */
    public static Lesson loadOne(Source source, String file) throws LessonFormatException {
        Optional<byte[]> bytes;
        try {
            bytes = source.read("lessons/" + file);
        } catch (IOException | UncheckedIOException e) {
            throw new LessonFormatException(file, 0, "cannot read: " + e.getMessage());
        }
        if (bytes.isEmpty()) {
            throw new LessonFormatException(file, 0, "listed in " + INDEX + " but not found");
        }
        Lesson lesson = LessonParser.parse(file, new String(bytes.get(), StandardCharsets.UTF_8));
        for (Step s : lesson.steps()) {
            String ckpt = s.own().checkpoint();
            if (ckpt != null && !source.exists(ckpt)) {
                throw new LessonFormatException(file, s.line(), "step '" + s.title() + "': checkpoint '" + ckpt
                        + "' is not among the assets");
            }
        }
        return lesson;
    }

    /** @return the lesson with that id, if it loaded */
    public Optional<Lesson> byId(String id) {
        return lessons.stream().filter(l -> l.id().equals(id)).findFirst();
    }
}
