package org.attnlab.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.attnlab.app.cli.AttnLabCli;
import org.attnlab.engine.golden.Golden;
import org.attnlab.engine.io.SafeTensors;
import org.attnlab.engine.io.SafeTensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code dump} command, as an outside checker runs it: files in, expected-format file out. */
class DumpCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return AttnLabCli.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    static java.util.List<String> cases() {
        return Golden.CASES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void dumpMatchesGolden(String name, @TempDir Path dir) throws Exception {
        Path o = dir.resolve("out.safetensors");
        int code = run("dump", "--model", Golden.file(name + ".model.safetensors").toString(), "--batch",
                Golden.file(name + ".batch.safetensors").toString(), "--out", o.toString(), "--adamw",
                "0.01,0.9,0.98,1e-8,0.1");
        assertEquals(0, code, err.toString());
        assertEquals("", err.toString());
        SafeTensorsFile expected = SafeTensors.read(Golden.file(name + ".expected.safetensors"));
        Golden.assertMatches(name, expected.tensors(), SafeTensors.read(o).tensors());
    }

    @Test
    void withoutAdamwWritesOnlyCacheLossAndGradients(@TempDir Path dir) throws Exception {
        Path o = dir.resolve("out.safetensors");
        assertEquals(0, run("dump", "--model", Golden.file("alibi_causal.model.safetensors").toString(), "--batch",
                Golden.file("alibi_causal.batch.safetensors").toString(), "--out", o.toString()));
        SafeTensorsFile f = SafeTensors.read(o);
        assertTrue(f.tensors().containsKey("loss"));
        assertTrue(f.tensors().containsKey("grad.embed.W_E"));
        assertTrue(f.tensors().containsKey("cache.blocks.0.attn.hook_pattern"));
        assertFalse(f.tensors().keySet().stream().anyMatch(k -> k.startsWith("adamw")));
        assertFalse(f.tensors().containsKey("loss_after_adamw1"));
    }

    @Test
    void missingModelIsOneLineAndExitOne(@TempDir Path dir) {
        int code = run("dump", "--model", dir.resolve("nope.safetensors").toString(), "--batch",
                Golden.file("alibi_causal.batch.safetensors").toString(), "--out", dir.resolve("o").toString());
        assertEquals(1, code);
        assertOneLine("nope.safetensors");
    }

    @Test
    void truncatedModelNamesTheFile(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("cut.safetensors");
        byte[] all = Files.readAllBytes(Golden.file("alibi_causal.model.safetensors"));
        Files.write(bad, java.util.Arrays.copyOf(all, 100));
        assertEquals(1, run("dump", "--model", bad.toString(), "--batch",
                Golden.file("alibi_causal.batch.safetensors").toString(), "--out", dir.resolve("o").toString()));
        assertOneLine("cut.safetensors");
        assertTrue(err.toString().contains("header length"), err.toString());
    }

    @Test
    void batchThatDoesNotFitTheModelIsExplained(@TempDir Path dir) {
        // pre_ln_learned_causal's batch holds token ids up to 10; alibi_causal's vocabulary has 7.
        assertEquals(1, run("dump", "--model", Golden.file("alibi_causal.model.safetensors").toString(), "--batch",
                Golden.file("pre_ln_learned_causal.batch.safetensors").toString(), "--out",
                dir.resolve("o").toString()));
        assertOneLine("outside the vocabulary");
    }

    @Test
    void batchFileGivenAsModelIsRejected(@TempDir Path dir) {
        assertEquals(1, run("dump", "--model", Golden.file("alibi_causal.batch.safetensors").toString(), "--batch",
                Golden.file("alibi_causal.batch.safetensors").toString(), "--out", dir.resolve("o").toString()));
        assertOneLine("not an Attention Lab checkpoint");
    }

    @Test
    void badAdamwAndMissingOptionsAreUsageErrors(@TempDir Path dir) {
        assertEquals(1, run("dump", "--model", Golden.file("alibi_causal.model.safetensors").toString(), "--batch",
                Golden.file("alibi_causal.batch.safetensors").toString(), "--out", dir.resolve("o").toString(),
                "--adamw", "0.01,0.9"));
        assertOneLine("five numbers");
        err.getBuffer().setLength(0);
        assertEquals(2, run("dump", "--model", "x"));
        assertOneLine("--batch");
    }

    @Test
    void missingOutputDirectoryFailsBeforeWork(@TempDir Path dir) {
        assertEquals(1, run("dump", "--model", Golden.file("alibi_causal.model.safetensors").toString(), "--batch",
                Golden.file("alibi_causal.batch.safetensors").toString(), "--out",
                dir.resolve("no/such/dir/o.safetensors").toString()));
        assertOneLine("does not exist");
    }

    private void assertOneLine(String mustContain) {
        String e = err.toString().strip();
        assertFalse(e.isEmpty(), "expected an error on stderr");
        assertEquals(1, e.lines().count(), "error must be one line: " + e);
        assertFalse(e.contains("Exception") && e.contains("\tat "), "no stack trace: " + e);
        assertTrue(e.contains(mustContain), "error should mention '" + mustContain + "': " + e);
    }
}
