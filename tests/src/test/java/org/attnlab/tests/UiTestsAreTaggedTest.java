package org.attnlab.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The {@code quick} profile ({@code mvn -Pquick verify}) promises to open no window: it excludes
 * the tests tagged {@code ui}. This keeps the promise: every test class of this module whose
 * bytecode (its own or a nested class's) refers to JavaFX or TestFX carries {@code @Tag("ui")}.
 */
class UiTestsAreTaggedTest {

    @Test
    void everyTestClassThatUsesJavaFxIsTaggedUi() throws Exception {
        Path root = Path.of(UiTestsAreTaggedTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> usingFx = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                if (refersToJavaFx(f)) {
                    String name = root.relativize(f).toString().replace(java.io.File.separatorChar, '.');
                    name = name.substring(0, name.length() - ".class".length());
                    int nested = name.indexOf('$');
                    usingFx.add(nested < 0 ? name : name.substring(0, nested));
                }
            }
        }
        List<String> tests = new ArrayList<>();
        List<String> untagged = new ArrayList<>();
        for (String name : usingFx) {
            Class<?> c = Class.forName(name, false, UiTestsAreTaggedTest.class.getClassLoader());
            if (c == UiTestsAreTaggedTest.class || !hasTests(c)) { // (this one only names the packages)
                continue;                                  // or a helper (Ui, Fit), not a test class
            }
            tests.add(c.getSimpleName());
            if (Arrays.stream(c.getAnnotationsByType(Tag.class)).noneMatch(t -> t.value().equals("ui"))) {
                untagged.add(c.getName());
            }
        }
        assertTrue(tests.contains("TrainingWindowTest"), "the scan found the JavaFX tests: " + tests);
        assertEquals(List.of(), untagged, "JavaFX test classes without @Tag(\"ui\")");
    }

    private static boolean refersToJavaFx(Path classFile) throws IOException {
        String constants = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
        return constants.contains("javafx/") || constants.contains("org/testfx/");
    }

    private static boolean hasTests(Class<?> c) {
        for (Method m : c.getDeclaredMethods()) {
            for (var a : m.getAnnotations()) {
                String type = a.annotationType().getName();
                if (type.equals("org.junit.jupiter.api.Test") || type.startsWith("org.junit.jupiter.params.")) {
                    return true;
                }
            }
        }
        return false;
    }
}
