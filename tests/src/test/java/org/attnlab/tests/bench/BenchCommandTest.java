package org.attnlab.tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.attnlab.app.cli.AttnLabCli;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The {@code bench} command prints the figures {@code bench/compare.sh} reads, as positive
 * numbers, and rejects a config it does not know as bad usage.
 */
class BenchCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return AttnLabCli.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    private static double value(String text, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + "=([0-9.]+)$").matcher(text);
        assertTrue(m.find(), "no " + key + "= line in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    @Tag("slow")
    void printsStepsAndTokensPerSecond() {
        assertEquals(0, run("bench", "--config", "tiny", "--threads", "2", "--seconds", "0.2"), err.toString());
        String text = out.toString();
        assertTrue(value(text, "steps_per_s") > 0, text);
        assertTrue(value(text, "eval_tokens_per_s") > 0, text);
        assertTrue(value(text, "train_gflop_per_s") > 0, text);
        assertTrue(text.contains("config=tiny d_model=32 n_layers=1 n_heads=2 n_ctx=16 batch=16 threads=2"), text);
    }

    @Test
    void unknownConfigIsBadUsage() {
        assertEquals(2, run("bench", "--config", "huge"));
        assertTrue(err.toString().contains("classroom-S"), err.toString());
        assertEquals(2, run("bench"));
    }
}
