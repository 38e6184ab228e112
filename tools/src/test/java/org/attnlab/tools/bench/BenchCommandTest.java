package org.attnlab.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The {@code bench} tool prints the figures {@code bench/compare.sh} reads, as positive
 * numbers, and rejects a config it does not know as bad usage.
 */
class BenchCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return BenchCommand.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    private static double value(String text, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + "=([0-9.]+)$").matcher(text);
        assertTrue(m.find(), "no " + key + "= line in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    @Tag("slow")
    void printsStepsAndTokensPerSecond() {
        assertEquals(0, run("--config", "tiny", "--threads", "2", "--seconds", "0.2"), err.toString());
        String text = out.toString();
        assertTrue(value(text, "steps_per_s") > 0, text);
        assertTrue(value(text, "eval_tokens_per_s") > 0, text);
        assertTrue(value(text, "train_gflop_per_s") > 0, text);
        assertTrue(text.contains("config=tiny d_model=32 n_layers=1 n_heads=2 n_ctx=16 batch=16 threads=2"), text);
    }

    @Test
    void unknownConfigIsBadUsage() {
        assertEquals(2, run("--config", "huge"));
        assertEquals(List.of("attnlab-tools bench: --config: unknown config 'huge' (expected one of [tiny, "
                + "classroom-S, medium, lego6]) (see 'bench --help')"), err.toString().lines().toList());
        assertEquals(2, run());
        assertTrue(err.toString().contains("missing --config=NAME (or --kernels)"), err.toString());
    }

    @Test
    void kernelsPrintsTheTableOfTheThreeProducts() {
        assertEquals(0, run("--kernels", "--config", "tiny", "--seconds", "0.04"), err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals(List.of("| product | EJML GFLOP/s | engine GFLOP/s | speed-up |", "|---|---:|---:|---:|"),
                lines.subList(0, 2));
        assertEquals(8, lines.size(), out.toString());
        assertTrue(lines.get(2).startsWith("| Y = X W (64x32)(32x128) | "), lines.get(2));
        assertTrue(lines.get(4).startsWith("| dX += dY W^T (64x128)(128x32) | "), lines.get(4));
        for (String l : lines.subList(2, 8)) {
            String[] cells = l.split("\\|");
            assertTrue(Double.parseDouble(cells[2].trim()) > 0 && Double.parseDouble(cells[3].trim()) > 0, l);
        }
    }
}
