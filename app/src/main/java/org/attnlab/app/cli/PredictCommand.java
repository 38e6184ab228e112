package org.attnlab.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.attnlab.engine.tasks.Vocabulary;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.attnlab.engine.transformer.Transformer;
import org.ejml.data.DMatrixRMaj;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code predict}: each position's token, the model's prediction there and its probability. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run a checkpoint on a typed sequence and print each position's prediction.")
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "CKPT", description = "checkpoint written by train")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "TOKENS",
            description = "tokens separated by spaces, e.g. \"b = - a ; a = + 1 ;\"")
    String input;

    @Option(names = "--json", description = "one JSON array of {position, token, predicted, probability}")
    boolean json;

    @Option(names = "--dtype", paramLabel = "T", description = "precision to compute in: f32 or f64 (default: "
            + "the one the run trained in; f64 for checkpoints from before the option)")
    String dtype;

    @Override
    public Integer call() throws Exception {
        CliFiles.requireReadable(model, "checkpoint");
        TrainingCheckpoints.Loaded ck = TrainingCheckpoints.load(model);
        Vocabulary vocab = ck.task().vocabulary();
        int[] tokens = vocab.encode(input);
        int t = tokens.length, v = ck.checkpoint().config().dVocab(), nCtx = ck.checkpoint().config().nCtx();
        if (t == 0) {
            throw new IllegalArgumentException("--input has no tokens");
        }
        if (t > nCtx) {
            throw new IllegalArgumentException("--input has " + t + " tokens but the model reads at most n_ctx = "
                    + nCtx);
        }
        DMatrixRMaj logits = new Transformer(ck.checkpoint().params(), 1,
                CliFiles.precision(spec.commandLine(), dtype, ck.spec().training().precision())).forward(tokens, 1, t, null);
        PrintWriter out = spec.commandLine().getOut();
        ArrayNode arr = new ObjectMapper().createArrayNode();
        if (!json) {
            out.printf(Locale.ROOT, "%8s  %-8s %-10s %s%n", "position", "token", "predicted", "probability");
        }
        for (int i = 0; i < t; i++) {
            int off = i * v, best = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, logits.data[off + k]);
            }
            double sum = 0;
            for (int k = 0; k < v; k++) {
                sum += Math.exp(logits.data[off + k] - max);
                if (logits.data[off + k] > logits.data[off + best]) {
                    best = k;
                }
            }
            double prob = Math.exp(logits.data[off + best] - max) / sum;
            String predicted = best < vocab.size() ? vocab.token(best) : "<" + best + ">";
            if (json) {
                ObjectNode o = arr.addObject();
                o.put("position", i);
                o.put("token", vocab.token(tokens[i]));
                o.put("predicted", predicted);
                o.put("probability", prob);
            } else {
                out.printf(Locale.ROOT, "%8d  %-8s %-10s %.4f%n", i, vocab.token(tokens[i]), predicted, prob);
            }
        }
        if (json) {
            out.println(arr.toString());
        }
        out.flush();
        return 0;
    }
}
