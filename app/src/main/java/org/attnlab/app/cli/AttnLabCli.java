package org.attnlab.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code attnlab} command line (picocli). Errors are one clear line on stderr and a non-zero
 * exit code: 2 for bad usage, 1 for a failure while running; never a stack trace.
 */
@Command(name = "attnlab", mixinStandardHelpOptions = true, version = "Attention Lab 0.1.0",
        description = "Train tiny transformers on toy tasks and look inside them.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, DumpCommand.class,
                CommandLine.HelpCommand.class})
public final class AttnLabCli implements Runnable {
    /** Exit code for a command that failed while running (bad file, bad input). */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for bad usage (unknown option, missing argument). */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs with the process's stdout and stderr. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * Runs the command line.
     *
     * @param out standard output
     * @param err standard error
     * @return the exit code: 0 success, 1 failure, 2 bad usage
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        if (args.length > 0 && args[0].equals("bench")) {
            // the benchmarks left the product for the tools module (issue 13): say where they went
            err.println("attnlab: 'bench' is a developer tool now, not part of the program: build it with "
                    + "'mvn -B -DskipTests package' and run 'java -jar tools/target/attnlab-tools.jar bench --help'");
            err.flush();
            return EXIT_USAGE;
        }
        CommandLine cl = new CommandLine(new AttnLabCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("attnlab: " + ex.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName()
                    + " --help')");
            cmd.getErr().flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("attnlab " + cmd.getCommandName() + ": error: " + describe(ex));
            cmd.getErr().flush();
            return EXIT_FAILURE;
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("attnlab: error: out of memory: the model, batch or sequence length is too large for this "
                    + "machine (lower batch_size, n_ctx or d_model, or start java with a larger -Xmx)");
            code = EXIT_FAILURE;
        }
        out.flush();
        err.flush();
        return code;
    }

    /** One line for an exception: its message, or its type when it has none. */
    static String describe(Throwable ex) {
        if (ex instanceof java.nio.file.NoSuchFileException nsf) {
            return "no such file: " + nsf.getFile();
        }
        if (ex instanceof java.nio.file.AccessDeniedException ade) {
            return "permission denied: " + ade.getFile();
        }
        if (ex instanceof OutOfMemoryError) {
            return "out of memory (the model or batch is too large for this machine)";
        }
        String msg = ex.getMessage();
        boolean expected = ex instanceof java.io.IOException || ex instanceof IllegalArgumentException
                || ex instanceof org.attnlab.engine.train.TrainingDivergedException;
        if (expected && msg != null && !msg.isBlank()) {
            return msg.replace('\n', ' ');
        }
        // A bug, not bad input: say where, so it can be reported.
        StackTraceElement[] st = ex.getStackTrace();
        String where = st.length > 0 ? " at " + st[0].getClassName().replaceAll(".*\\.", "") + "."
                + st[0].getMethodName() + ":" + st[0].getLineNumber() : "";
        return "internal error: " + ex.getClass().getSimpleName() + (msg == null ? "" : ": " + msg.replace('\n', ' '))
                + where + " (please report this)";
    }
}
