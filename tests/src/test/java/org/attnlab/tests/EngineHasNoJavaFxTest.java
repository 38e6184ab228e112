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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Architecture rule: the engine is pure computation (EJML), usable headless and from other
 * front ends, so neither its code nor its build may depend on JavaFX. Its classes are checked
 * by {@link ArchitectureTest} (no dependency on {@code javafx..}); this test checks what
 * ArchUnit cannot see: the engine's pom declares no OpenJFX artifact.
 */
class EngineHasNoJavaFxTest {
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
    void enginePomHasNoOpenJfxDependency() {
        List<String> hits = javaFxDependencies(engineDir().resolve("pom.xml"));
        assertTrue(hits.isEmpty(), "engine/pom.xml must not depend on OpenJFX:\n" + String.join("\n", hits));
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
