package org.attnlab.tests.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** With no arguments the program opens the window; without a display it says so in one line and exits 1. */
@Tag("ui")
class NoDisplayTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void noArgumentsAndNoDisplayIsOneLineAndExitOne() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "org.attnlab.app.Main");
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), "stderr: " + err);
        List<String> lines = err.lines().toList();
        assertEquals(1, lines.size(), "one line: " + err);
        assertTrue(lines.get(0).startsWith("attnlab: no display"), err);
        assertEquals("", out);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void anUnreachableDisplayIsOneLineAndExitOneNotAStackTrace() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "org.attnlab.app.Main");
        pb.environment().put("DISPLAY", ":97");          // no X server listens there
        pb.environment().remove("WAYLAND_DISPLAY");
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), "stderr: " + err);
        List<String> lines = err.lines().toList();
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Exception in")), err);
        assertTrue(lines.get(lines.size() - 1).startsWith("attnlab: cannot open the window: Unable to open DISPLAY"),
                err);
    }
}
