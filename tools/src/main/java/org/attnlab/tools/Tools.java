package org.attnlab.tools;

import java.io.PrintStream;
import java.util.List;

/**
 * The entry point of {@code tools/target/attnlab-tools.jar}: {@code java -jar attnlab-tools.jar
 * <tool> [arguments]} runs one developer tool; with no tool (or {@code help}) it lists them.
 * The tools measure the product and are not part of it (issue 13: tools out of the product).
 */
public final class Tools {

    /** A tool's {@code main}. */
    @FunctionalInterface
    interface Entry {
        void run(String[] args) throws Exception;
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
                    + "-p config=tiny -p threads=2, -h for all", org.openjdk.jmh.Main::main));

    private Tools() {
    }

    /** Runs the tool named by {@code args[0]}; exits 2 on an unknown tool. */
    public static void main(String[] args) throws Exception {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * @return 0 after listing the tools or running one, 2 if {@code args[0]} names no tool (one
     *     line on {@code err})
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
                t.entry().run(java.util.Arrays.copyOfRange(args, 1, args.length));
                return 0;
            }
        }
        err.println("attnlab-tools: unknown tool '" + args[0] + "' (tools: "
                + TOOLS.stream().map(Tool::name).toList() + ")");
        return 2;
    }
}
