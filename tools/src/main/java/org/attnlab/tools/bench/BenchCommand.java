package org.attnlab.tools.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.attnlab.engine.compute.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code java -jar attnlab-tools.jar bench}: training steps per second and evaluation tokens per
 * second of the engine on a fixed random batch, timed like the PyTorch peer's
 * {@code bench_torch.py} (see {@code bench/compare.sh} for the side-by-side run). A developer
 * tool, not part of the product: it was {@code attnlab.jar bench} and prints exactly what that
 * printed. Errors are one line on stderr: exit 2 for bad usage, 1 for a failure.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time full training steps (forward, loss, backward, AdamW) and forward-only evaluation on "
                + "random tokens. Prints steps_per_s=X and eval_tokens_per_s=Y (and the matrix-multiply GFLOP/s "
                + "and bytes allocated per step).%n"
                + "Configs (vocabulary 32, d_mlp = 4 d_model, causal, pre-LN, learned positions, gelu_new):%n"
                + "  tiny         d_model 32, 1 layer, 2 heads, n_ctx 16, batch 16%n"
                + "  classroom-S  d_model 64, 2 layers, 4 heads, n_ctx 32, batch 32%n"
                + "  medium       d_model 128, 4 layers, 8 heads, n_ctx 64, batch 32%n"
                + "  lego6        the lego6 preset's model: d_model 64, 6 layers sharing one block, 4 heads, d_mlp 128,%n"
                + "               rotary, bidirectional, n_ctx 30, batch 256")
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "NAME",
            description = "tiny, classroom-S, medium or lego6 (required unless --kernels)")
    String config;

    @Option(names = "--kernels", description = "instead, compare the engine's matrix-multiply kernels with EJML's "
            + "on the MLP products of one chunk (a quarter batch) of the config (default classroom-S), in GFLOP/s "
            + "of CPU time")
    boolean kernels;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "threads the engine uses (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "3",
            description = "seconds to time training and evaluation, each after a warm-up as long (default: "
                    + "${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--dtype", paramLabel = "T", defaultValue = "f32",
            description = "precision of the engine: f32 or f64 (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    /**
     * Runs {@code bench} with {@code args}.
     *
     * @return 0 after printing the figures, 1 if the benchmark failed, 2 for bad usage
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("attnlab-tools bench: " + ex.getMessage() + " (see 'bench --help')");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            err.println("attnlab-tools bench: error: " + ex);
            return 1;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        if (config == null && !kernels) {
            throw new ParameterException(spec.commandLine(), "missing --config=NAME (or --kernels)");
        }
        TrainingBenchmark.Preset preset;
        try {
            preset = TrainingBenchmark.preset(config == null ? "classroom-S" : config);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--config: " + e.getMessage());
        }
        if (threads < 1 || threads > 256) {
            throw new ParameterException(spec.commandLine(), "--threads must be between 1 and 256 (got " + threads + ")");
        }
        if (!(seconds > 0) || seconds > 3600) {
            throw new ParameterException(spec.commandLine(),
                    String.format(Locale.ROOT, "--seconds must be in (0, 3600] (got %s)", seconds));
        }
        if (kernels) {
            int rows = Math.max(1, preset.batch() / 4) * preset.nCtx();
            spec.commandLine().getOut().print(KernelBenchmark.format(KernelBenchmark.run(rows, preset.dModel(),
                    seconds)));
            spec.commandLine().getOut().flush();
            return 0;
        }
        Precision precision;
        try {
            precision = Precision.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--dtype: " + e.getMessage());
        }
        TrainingBenchmark.Result r = TrainingBenchmark.run(preset, threads, seconds, seed, precision);
        spec.commandLine().getOut().print(TrainingBenchmark.format(preset, threads, r));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
