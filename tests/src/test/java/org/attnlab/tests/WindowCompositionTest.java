package org.attnlab.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the window's architecture rules cannot see in the bytecode ({@link ArchitectureTest}
 * checks the packages and the calls to {@code setStyle}): inline CSS in the app's sources. The
 * views style themselves with style classes and the stylesheets of {@code assets/themes}, so no
 * source holds a {@code setStyle(} call or a JavaFX CSS property ({@code "-fx-...}) in a string,
 * however it reaches a node (one computed font size excepted).
 */
class WindowCompositionTest {
    /** {@code setStyle(}, or a string literal that starts with a JavaFX CSS property. */
    private static final Pattern INLINE_STYLE = Pattern.compile("setStyle\\(|\"\\s*-fx-");

    static Path appSources() {
        for (String candidate : new String[] {"../app", "app"}) {
            Path p = Path.of(candidate).toAbsolutePath().normalize().resolve("src/main/java/org/attnlab/app");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return fail("cannot find app/src/main/java/org/attnlab/app from " + Path.of("").toAbsolutePath());
    }

    /** @return the files under {@code root} (relative, with '/') that style a node inline */
    static List<String> inlineStyles(Path root) {
        TreeSet<String> hits = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".java")).sorted()::iterator) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (INLINE_STYLE.matcher(line).find()) {
                        hits.add(root.relativize(f).toString().replace('\\', '/'));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(hits);
    }

    @Test
    void viewsUseStyleClassesNotInlineStyles() {
        // the one left: classroom mode's font scale, a computed size that no stylesheet can hold
        assertEquals(List.of("classroom/ClassroomMode.java"), inlineStyles(appSources()));
    }

    @Test
    void theScanFindsWhatItLooksFor(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("inside"));
        Files.writeString(dir.resolve("inside/A.java"), "class A { void f(Label l) { l.setStyle(\"\"); } }\n");
        Files.writeString(dir.resolve("B.java"), "class B { static final String RED = \"-fx-text-fill: red;\"; }\n");
        Files.writeString(dir.resolve("C.java"), "/** uses the style class, not -fx-text-fill */ class C { }\n");
        assertEquals(List.of("B.java", "inside/A.java"), inlineStyles(dir));
    }
}
