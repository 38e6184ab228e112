package org.attnlab.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.attnlab.app.cli.AttnLabCli;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks are developer tools ({@code java -jar tools/target/attnlab-tools.jar bench}):
 * the product's command line has no {@code bench} (the architecture rule
 * {@code theProductDependsOnNoTool} keeps the code out; this keeps the command out).
 */
class ToolsOutOfTheProductTest {
    @Test
    void attnlabHasNoBenchCommand() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(AttnLabCli.EXIT_USAGE, AttnLabCli.run(new PrintWriter(out), new PrintWriter(err), "bench",
                "--config", "tiny"));
        assertEquals(List.of("attnlab: 'bench' is a developer tool now, not part of the program: build it with "
                + "'mvn -B -DskipTests package' and run 'java -jar tools/target/attnlab-tools.jar bench --help'"),
                err.toString().lines().toList(), "one line saying where it went");
        StringWriter help = new StringWriter();
        assertEquals(0, AttnLabCli.run(new PrintWriter(help), new PrintWriter(new StringWriter()), "--help"));
        assertTrue(help.toString().contains("  train "), help.toString());
        assertFalse(help.toString().contains("bench"), help.toString());
    }
}
