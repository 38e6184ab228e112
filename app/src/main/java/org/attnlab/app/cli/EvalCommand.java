package org.attnlab.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.attnlab.engine.train.Evaluation;
import org.attnlab.engine.train.Evaluator;
import org.attnlab.engine.train.RunSpec;
import org.attnlab.engine.train.Trainer;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.attnlab.engine.transformer.Transformer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eval}: the task's metric table of a checkpoint on the held-out batch, and whether it
 * reaches the target of the run the checkpoint stores ({@link RunSpec#target()}).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint on its task's held-out data and print the metric table.")
final class EvalCommand implements Callable<Integer> {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "CKPT", description = "checkpoint written by train")
    Path model;

    @Option(names = "--json", description = "one JSON object: {task, step, metrics, target}")
    boolean json;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256", description = "held-out sequences (default: 256)")
    int batchSize;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the held-out sequences (default: the one "
            + "training evaluates on; the lessons' figures use 12345 with --batch-size 512)")
    Long seed;

    @Option(names = "--dtype", paramLabel = "T", description = "precision to compute in: f32 or f64 (default: "
            + "the one the run trained in; f64 for checkpoints from before the option)")
    String dtype;

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
        Evaluation e = Evaluator.evaluate(ck.task(), new Transformer(ck.checkpoint().params(), 1,
                        CliFiles.precision(spec.commandLine(), dtype, ck.spec().training().precision())),
                ck.task().evalBatch(batchSize, seed == null ? Trainer.EVAL_SEED : seed), ck.step());
        PrintWriter out = spec.commandLine().getOut();
        RunSpec.Target target = ck.spec().target();
        if (json) {
            com.fasterxml.jackson.databind.node.ObjectNode o = JSON.createObjectNode();
            o.put("task", ck.task().name());
            o.put("step", ck.step());
            o.set("metrics", JSON.readTree(TrainingCheckpoints.metricsJson(e.metrics())));
            com.fasterxml.jackson.databind.node.ObjectNode t = o.putObject("target");
            t.put("metric", target.metric());
            t.put("value", target.value());
            double measured = target.valueOf(e.metrics());
            if (Double.isFinite(measured)) {
                t.put("measured", measured);
            } else {
                t.putNull("measured");
            }
            t.put("reached", target.reachedBy(e.metrics()));
            out.println(o.toString());
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
            out.println(TrainCommand.targetLine(target, e.metrics()));
        }
        out.flush();
        return 0;
    }
}
