package org.attnlab.tools.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The float32 twins of the engine are what {@link Float32Twins} makes of the float64 templates
 * (so a change to a template without running the tool fails the build), and the substitution
 * rules do what its Javadoc says.
 */
class Float32TwinsTest {
    private static final Path ENGINE_SRC = Path.of("../engine/src/main/java");

    @Test
    void committedTwinsAreUpToDate() throws Exception {
        Map<String, String> twins = Float32Twins.generateAll(ENGINE_SRC);
        assertEquals(Float32Twins.TEMPLATES.size(), twins.size());
        for (Map.Entry<String, String> e : twins.entrySet()) {
            Path f = ENGINE_SRC.resolve(Float32Twins.PACKAGE_DIR).resolve(e.getKey());
            assertTrue(Files.exists(f), f + " missing: run java -jar tools/target/attnlab-tools.jar float32");
            assertEquals(e.getValue(), Files.readString(f, StandardCharsets.UTF_8),
                    f + " is stale: run java -jar tools/target/attnlab-tools.jar float32");
        }
    }

    @Test
    void checkModeReportsAStaleTwin(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path pkg = dir.resolve(Float32Twins.PACKAGE_DIR);
        Files.createDirectories(pkg);
        for (String t : Float32Twins.TEMPLATES) {
            Files.copy(ENGINE_SRC.resolve(Float32Twins.PACKAGE_DIR).resolve(t + ".java"), pkg.resolve(t + ".java"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(1, Float32Twins.run(new String[] {"--check", dir.toString()}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("stale: "), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, Float32Twins.run(new String[] {dir.toString()}, o, e));
        assertEquals(0, Float32Twins.run(new String[] {"--check", dir.toString()}, o, e));
        assertTrue(Files.exists(pkg.resolve("F32Shard.java")));
    }

    @Test
    void typesLiteralsAndMathAreRewritten() {
        assertEquals("float x = 1.0f / (float) Math.sqrt(v + 1e-5f); // 1.0 stays in comments",
                Float32Twins.substituteTypes("double x = 1.0 / Math.sqrt(v + 1e-5); // 1.0 stays in comments"));
        assertEquals("FMatrixRMaj m; FloatVector v; int n = 3;",
                Float32Twins.substituteTypes("DMatrixRMaj m; DoubleVector v; int n = 3;"));
        assertEquals("s = \"2.5 double\" + 2.5f;", Float32Twins.substituteTypes("s = \"2.5 double\" + 2.5;"));
        assertEquals("a.b(2)", Float32Twins.substituteTypes("a.b(2)"));
    }

    @Test
    void keepAndF32MarkersAndClassNames() {
        String src = "package p;\n\nclass LayerNorm {\n    Linear lin;\n    double total = 0; //@keep\n"
                + "    double[] rows(double x) { //@f32: float[] rows(float x, int n) {\n}\n";
        String out = Float32Twins.generate("LayerNorm", src);
        assertTrue(out.startsWith("// GENERATED from LayerNorm.java"), out);
        assertTrue(out.contains("class F32LayerNorm {"), out);
        assertTrue(out.contains("F32Linear lin;"), out);
        assertTrue(out.contains("    double total = 0;\n"), out);
        assertTrue(out.contains("    float[] rows(float x, int n) {\n"), out);
        assertEquals("F32Shard", Float32Twins.twinName("F64Shard"));
    }
}
