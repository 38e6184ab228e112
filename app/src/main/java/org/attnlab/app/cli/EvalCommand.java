package org.attnlab.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.attnlab.engine.train.Evaluation;
import org.attnlab.engine.train.Evaluator;
import org.attnlab.engine.train.Trainer;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.attnlab.engine.transformer.Transformer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eval}: the task's metric table of a checkpoint on the held-out batch. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint on its task's held-out data and print the metric table.")
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "CKPT", description = "checkpoint written by train")
    Path model;

    @Option(names = "--json", description = "one JSON object: {task, step, metrics}")
    boolean json;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256", description = "held-out sequences (default: 256)")
    int batchSize;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the held-out sequences (default: the one "
            + "training evaluates on; the lessons' figures use 12345 with --batch-size 512)")
    Long seed;

    @Override
    public Integer call() throws Exception {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1");
        }
        if (batchSize > 4096) {
            throw new IllegalArgumentException("--batch-size must be at most 4096 (got " + batchSize + ")");
        }
        CliFiles.requireReadable(model, "checkpoint");
        TrainingCheckpoints.Loaded ck = TrainingCheckpoints.load(model);
        Evaluation e = Evaluator.evaluate(ck.task(), new Transformer(ck.checkpoint().params()),
                ck.task().evalBatch(batchSize, seed == null ? Trainer.EVAL_SEED : seed), ck.step());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println("{\"task\":\"" + ck.task().name() + "\",\"step\":" + ck.step() + ",\"metrics\":"
                    + TrainingCheckpoints.metricsJson(e.metrics()) + "}");
        } else {
            out.printf(Locale.ROOT, "task %s, step %d, held-out loss %.4f%n", ck.task().name(), ck.step(), e.loss());
            for (Map.Entry<String, double[]> m : e.metrics().values().entrySet()) {
                StringBuilder sb = new StringBuilder();
                for (double x : m.getValue()) {
                    sb.append(sb.length() == 0 ? "" : " ").append(Double.isNaN(x) ? "-" : String.format(Locale.ROOT,
                            "%.4f", x));
                }
                out.printf(Locale.ROOT, "  %-32s %s%n", m.getKey(), sb);
            }
        }
        out.flush();
        return 0;
    }
}
