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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Architecture rules of the window (issue 13): the features (training tab, the views inside the
 * model, the interventions, the lessons with classroom mode) reach each other and the window only
 * through the composition root ({@code org.attnlab.app.AttnLabWindow}, in the root package): no
 * feature package and no shared package refers to the root package ({@code MainView},
 * {@code MainViewModel}, ...) or to another feature's package; and the views style themselves
 * with style classes, not inline {@code setStyle} (one computed font size excepted).
 */
class WindowCompositionTest {
    private static final String APP = "org.attnlab.app";
    /** Feature packages and the other packages each may use besides the shared ones. */
    private static final Map<String, Set<String>> FEATURES = Map.of(
            "inside", Set.of(), "interventions", Set.of(), "lessons", Set.of("classroom"), "classroom", Set.of());
    /** Packages every part of the window may use; they use no feature and not the root. */
    private static final Set<String> SHARED = Set.of("common", "training", "attention", "probe", "session", "window");
    /** {@code org.attnlab.app.X} where X is a package (lower case) or a root class (upper case). */
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.attnlab\\.app\\.([A-Za-z_][A-Za-z0-9_]*)");

    static Path appSources() {
        for (String candidate : new String[] {"../app", "app"}) {
            Path p = Path.of(candidate).toAbsolutePath().normalize().resolve("src/main/java/org/attnlab/app");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return fail("cannot find app/src/main/java/org/attnlab/app from " + Path.of("").toAbsolutePath());
    }

    /**
     * @param packageDir a package's directory (its files only, not sub-packages)
     * @return "File.java:line: what" for each reference to {@code org.attnlab.app.<name>} that {@code allowed}
     *     does not allow ({@code name} is the package, or the class of the root package)
     */
    static List<String> forbiddenReferences(Path packageDir, Set<String> allowed) {
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.list(packageDir)) {
            for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".java")).sorted()::iterator) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = REFERENCE.matcher(lines.get(i));
                    while (m.find()) {
                        if (!allowed.contains(m.group(1))) {
                            hits.add(f.getFileName() + ":" + (i + 1) + ": " + APP + "." + m.group(1));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hits;
    }

    @Test
    void featuresUseNeitherTheWindowNorEachOther() {
        Path app = appSources();
        List<String> hits = new ArrayList<>();
        for (var f : FEATURES.entrySet()) {
            Set<String> allowed = new TreeSet<>(SHARED);
            allowed.add(f.getKey());
            allowed.addAll(f.getValue());
            Path dir = app.resolve(f.getKey());
            assertTrue(Files.isDirectory(dir), "feature package " + f.getKey() + " is missing");
            forbiddenReferences(dir, allowed).forEach(h -> hits.add(f.getKey() + "/" + h));
        }
        assertEquals(List.of(), hits, "a feature reaches the window's frame or another feature directly");
    }

    @Test
    void sharedPackagesUseNoFeatureAndNotTheRoot() {
        Path app = appSources();
        List<String> hits = new ArrayList<>();
        for (String p : SHARED) {
            forbiddenReferences(app.resolve(p), SHARED).forEach(h -> hits.add(p + "/" + h));
        }
        assertEquals(List.of(), hits, "a shared package depends on a feature or on the composition root");
    }

    @Test
    void viewsUseStyleClassesNotInlineStyles() throws IOException {
        List<String> hits = new ArrayList<>();
        Path app = appSources();
        try (Stream<Path> files = Files.walk(app)) {
            for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".java")).sorted()::iterator) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).contains("setStyle(")) {
                        hits.add(app.relativize(f).toString().replace('\\', '/'));
                    }
                }
            }
        }
        // the one left: classroom mode's font scale, a computed size that no stylesheet can hold
        assertEquals(List.of("classroom/ClassroomMode.java"), hits);
    }

    @Test
    void theScanFindsWhatItLooksFor(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("A.java"), "package org.attnlab.app.inside;\nimport org.attnlab.app.MainView;\n"
                + "import org.attnlab.app.common.Styles;\nclass A { org.attnlab.app.lessons.LessonsFeature f; }\n");
        assertEquals(List.of("A.java:2: org.attnlab.app.MainView", "A.java:4: org.attnlab.app.lessons"),
                forbiddenReferences(dir, Set.of("common", "inside")));
    }
}
