package org.attnlab.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.attnlab.engine.compute.Precision;
import org.attnlab.engine.io.ExpectedDump;
import org.attnlab.engine.optim.AdamW;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dump}: runs a model on a batch and writes every activation, the loss, every gradient and
 * optionally two AdamW steps, in the expected format of engine.md, so the engine can be checked
 * against any outside reference.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Write every activation (cache.*), the loss, every gradient (grad.*) and, with --adamw, "
                + "two AdamW steps (adamw1.*, adamw2.*, loss_after_adamw1) of MODEL on BATCH, as F64 safetensors.")
final class DumpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "checkpoint (*.safetensors)")
    Path model;

    @Option(names = "--batch", required = true, paramLabel = "BATCH",
            description = "batch file: tokens, targets, loss_mask [B,T]")
    Path batch;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "file to write")
    Path out;

    @Option(names = "--adamw", paramLabel = "lr,beta1,beta2,eps,weight_decay",
            description = "also take two AdamW steps with these settings, e.g. 0.01,0.9,0.98,1e-8,0.1")
    String adamw;

    @Option(names = "--dtype", paramLabel = "T", defaultValue = "f64",
            description = "precision to compute in: f64 (the reference, default) or f32 (the float32 engine; "
                    + "parameters rounded to float32 first); the file is F64 either way")
    String dtype;

    @Override
    public Integer call() throws Exception {
        AdamW.Settings settings = adamw == null ? null : AdamW.Settings.parse(adamw);
        Precision precision = CliFiles.precision(spec.commandLine(), dtype, Precision.F64);
        CliFiles.requireReadable(model, "checkpoint");
        CliFiles.requireReadable(batch, "batch file");
        CliFiles.requireWritable(out);
        CliFiles.requireDistinct(out, model, "--model");
        CliFiles.requireDistinct(out, batch, "--batch");
        ExpectedDump.dump(model, batch, out, settings, precision);
        return 0;
    }
}
