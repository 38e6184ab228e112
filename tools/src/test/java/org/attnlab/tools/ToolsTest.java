package org.attnlab.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dispatcher of attnlab-tools.jar, and that the JMH benchmarks were generated into the jar. */
class ToolsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return Tools.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void noArgumentsListsTheTools() throws Exception {
        assertEquals(0, run());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("usage: java -jar attnlab-tools.jar <tool>"), text);
        assertTrue(text.contains("  jmh "), text);
        assertTrue(text.contains("  bench "), text);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownToolIsOneLineAndExitTwo() throws Exception {
        assertEquals(2, run("soak"));
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("attnlab-tools: unknown tool 'soak' (tools: [jmh, bench, float32])"), lines);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void benchIsATool() throws Exception {
        assertEquals(2, run("bench", "--config", "huge"), "the tool's exit code");
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("attnlab-tools bench: --config: unknown config"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(0, run("bench", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("classroom-S  d_model 64, 2 layers"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jmhsAnnotationProcessorListedTheBenchmark() throws Exception {
        try (var in = ToolsTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertTrue(in != null, "META-INF/BenchmarkList was not generated");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(list.contains("org.attnlab.tools.jmh.jmh_generated.TrainingStepBenchmark_trainingStep_jmhTest"), list);
        }
    }
}
