package org.attnlab.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Architecture rule: the engine is pure computation (EJML), usable headless and from other
 * front ends, so neither its sources nor its build may depend on JavaFX.
 */
class EngineHasNoJavaFxTest {
    /** {@code import javafx...}, {@code import static javafx...}, or any fully qualified {@code javafx.} use. */
    private static final Pattern JAVAFX = Pattern.compile("\\bjavafx\\s*\\.");
    private static final Pattern OPENJFX = Pattern.compile("openjfx|javafx-", Pattern.CASE_INSENSITIVE);

    /**
     * Finds the engine module directory whether the tests run from the {@code tests} module
     * (surefire's working directory) or from the repository root.
     */
    static Path engineDir() {
        List<Path> tried = new ArrayList<>();
        for (String candidate : new String[] {"../engine", "engine"}) {
            Path p = Path.of(candidate).toAbsolutePath().normalize();
            tried.add(p);
            if (Files.isDirectory(p.resolve("src/main/java")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        return fail("cannot find the engine module (engine/src/main/java and engine/pom.xml); working directory "
                + Path.of("").toAbsolutePath() + ", tried " + tried);
    }

    /**
     * @param root a source tree
     * @return "file:line: text" for every line of a {@code .java} file under {@code root} that
     *     refers to a {@code javafx.} package (imports included)
     */
    static List<String> javaFxReferences(Path root) {
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".java")).sorted()::iterator) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (JAVAFX.matcher(lines.get(i)).find()) {
                        hits.add(root.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hits;
    }

    /** @return the lines of a pom that declare a JavaFX (OpenJFX) artifact */
    static List<String> javaFxDependencies(Path pom) {
        List<String> hits = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(pom, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (OPENJFX.matcher(lines.get(i)).find()) {
                    hits.add(pom.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hits;
    }

    @Test
    void engineSourcesDoNotReferenceJavaFx() {
        Path src = engineDir().resolve("src/main/java");
        try (Stream<Path> files = Files.walk(src)) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".java")), "no Java sources found under " + src);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> hits = javaFxReferences(src);
        assertTrue(hits.isEmpty(), "the engine must not use JavaFX:\n" + String.join("\n", hits));
    }

    @Test
    void enginePomHasNoOpenJfxDependency() {
        List<String> hits = javaFxDependencies(engineDir().resolve("pom.xml"));
        assertTrue(hits.isEmpty(), "engine/pom.xml must not depend on OpenJFX:\n" + String.join("\n", hits));
    }

    /** The scan itself must catch what it is meant to catch. */
    @Test
    void scanFindsJavaFxImportsAndQualifiedUses(@TempDir Path dir) throws IOException {
        Path pkg = Files.createDirectories(dir.resolve("org/example"));
        Files.writeString(pkg.resolve("Clean.java"), "package org.example;\n// no JavaFX here.\nclass Clean {}\n");
        assertEquals(List.of(), javaFxReferences(dir));
        Files.writeString(pkg.resolve("View.java"), "package org.example;\n\nimport javafx.scene.Node;\n\n"
                + "class View { Node n; }\n");
        Files.writeString(pkg.resolve("Qualified.java"), "package org.example;\nclass Qualified {\n"
                + "    Object o = new javafx.scene.layout.Pane();\n}\n");
        Files.writeString(pkg.resolve("Static.java"), "package org.example;\nimport static javafx.application"
                + ".Platform.runLater;\nclass Static {}\n");
        List<String> hits = javaFxReferences(dir);
        assertEquals(3, hits.size(), hits.toString());
        assertTrue(hits.stream().anyMatch(h -> h.contains("View.java:3") && h.contains("import javafx.scene.Node;")),
                hits.toString());
        assertTrue(hits.stream().anyMatch(h -> h.contains("Qualified.java:3")), hits.toString());
        assertTrue(hits.stream().anyMatch(h -> h.contains("Static.java:2")), hits.toString());
    }

    @Test
    void pomScanFindsOpenJfx(@TempDir Path dir) throws IOException {
        Path clean = dir.resolve("clean.xml");
        Files.writeString(clean, "<project><description>no JavaFX.</description><dependencies><dependency>"
                + "<groupId>org.ejml</groupId></dependency></dependencies></project>\n");
        assertEquals(List.of(), javaFxDependencies(clean));
        Path bad = dir.resolve("bad.xml");
        Files.writeString(bad, "<project>\n<dependencies>\n<dependency>\n<groupId>org.openjfx</groupId>\n"
                + "<artifactId>javafx-controls</artifactId>\n</dependency>\n</dependencies>\n</project>\n");
        assertEquals(2, javaFxDependencies(bad).size(), javaFxDependencies(bad).toString());
    }
}
