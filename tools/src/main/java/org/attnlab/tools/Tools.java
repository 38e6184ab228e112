package org.attnlab.tools;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.attnlab.tools.bench.BenchCommand;

/**
 * The entry point of {@code tools/target/attnlab-tools.jar}: {@code java -jar attnlab-tools.jar
 * <tool> [arguments]} runs one developer tool; with no tool (or {@code help}) it lists them.
 * The tools measure the product and are not part of it (issue 13: tools out of the product).
 */
public final class Tools {

    /** A tool's {@code main}. */
    @FunctionalInterface
    interface Entry {
        /** @return the tool's exit code (0 for success) */
        int run(String[] args, PrintStream out, PrintStream err) throws Exception;
    }

    /**
     * One tool.
     *
     * @param name    the first argument that selects it
     * @param summary one line for the list
     * @param entry   runs it with the remaining arguments
     */
    record Tool(String name, String summary, Entry entry) {
    }

    /** Every tool, in the order listed. */
    static final List<Tool> TOOLS = List.of(
            new Tool("jmh", "JMH benchmarks of the engine (TrainingStepBenchmark: a full training step on tiny, "
                    + "classroom-S, medium); JMH's own options follow, e.g. -l to list, "
                    + "-p config=tiny -p threads=2, -h for all", (args, out, err) -> {
                        org.openjdk.jmh.Main.main(args);
                        return 0;
                    }),
            new Tool("bench", "training steps and evaluation tokens per second of the engine on a random batch "
                    + "(--config tiny|classroom-S|medium, --threads N), or its matrix-multiply kernels against EJML's "
                    + "(--kernels); --help for all", (args, out, err) -> BenchCommand.run(
                            new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true),
                            new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true), args)),
            new Tool("float32", "regenerates the engine's float32 fast path (F32*.java in engine/.../compute) from "
                    + "its float64 templates; --check reports stale twins", (args, out, err) ->
                            org.attnlab.tools.codegen.Float32Twins.run(args, out, err)));

    private Tools() {
    }

    /** Runs the tool named by {@code args[0]}; exits 2 on an unknown tool. */
    public static void main(String[] args) throws Exception {
        int relaunched = org.attnlab.engine.compute.Simd.relaunchWithVectorApi(Tools.class, args);
        if (relaunched >= 0) {                          // ran in a JVM with the Vector API kernels
            System.exit(relaunched);
        }
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * @return 0 after listing the tools, the tool's exit code after running one, 2 if
     *     {@code args[0]} names no tool (one line on {@code err})
     * @throws Exception whatever the tool throws
     */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("-h") || args[0].equals("--help")) {
            out.println("usage: java -jar attnlab-tools.jar <tool> [arguments]");
            for (Tool t : TOOLS) {
                out.printf("  %-6s %s%n", t.name(), t.summary());
            }
            return 0;
        }
        for (Tool t : TOOLS) {
            if (t.name().equals(args[0])) {
                return t.entry().run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
            }
        }
        err.println("attnlab-tools: unknown tool '" + args[0] + "' (tools: "
                + TOOLS.stream().map(Tool::name).toList() + ")");
        return 2;
    }
}
