package org.attnlab.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.attnlab.engine.model.AttentionTypes;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.tasks.TaskOption;
import org.attnlab.engine.tasks.TaskType;
import org.attnlab.engine.tasks.Tasks;
import org.attnlab.engine.train.Evaluation;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.RunSpec;
import org.attnlab.engine.train.Trainer;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.attnlab.engine.train.TrainingDivergedException;
import org.attnlab.engine.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code train}: trains a run headless with a live progress bar and writes a checkpoint
 * atomically (with the run's spec in it). The run is a preset ({@code --preset}, or the task's
 * default for {@code --task}) or the run a checkpoint stores ({@code --from}), changed by
 * {@code --set}, {@code --steps} and {@code --seed} through {@link RunSpec#with}. Ctrl+C stops at
 * the next step and still saves. Its help lists the tasks and each one's options from the task
 * registry ({@link Tasks}).
 */
@Command(name = "train", mixinStandardHelpOptions = true)
final class TrainCommand implements Callable<Integer> {
    CommandSpec spec;

    /** Picocli hands the command its spec when it builds the command line: the help is written then. */
    @Spec
    void spec(CommandSpec spec) {
        this.spec = spec;
        spec.usageMessage().description("Train a transformer on a toy task and save a checkpoint.",
                "Tasks: " + String.join(", ", Tasks.names()) + ".");
        spec.usageMessage().footer(taskOptionsHelp().toArray(String[]::new));
    }

    /**
     * @return the footer of {@code train --help}: each task's name and title, then its options
     *     with defaults and descriptions, wrapped within 80 columns
     */
    static List<String> taskOptionsHelp() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("");
        lines.add("Task options (--set KEY=VALUE; defaults in brackets):");
        for (TaskType type : Tasks.types()) {
            List<String> names = type.names();
            for (String name : names) {
                String also = name.equals(names.get(names.size() - 1)) && !type.aliases().isEmpty()
                        ? " (also " + String.join(", ", type.aliases()) + ")" : "";
                lines.add(String.format(Locale.ROOT, "  %-10s %s%s", name, Tasks.displayName(name), also));
                for (TaskOption o : Tasks.options(name)) {
                    wrap(String.format(Locale.ROOT, "      %-18s ", o.key() + " [" + o.defaultValue() + "]"),
                            o.description(), lines);
                }
            }
        }
        lines.replaceAll(l -> l.replace("%", "%%"));   // picocli formats help text with String.format
        return lines;
    }

    /** Picocli's default usage width. */
    private static final int HELP_WIDTH = 80;

    /** Adds {@code head + text} to {@code lines}, wrapping the text under itself within {@link #HELP_WIDTH}. */
    private static void wrap(String head, String text, List<String> lines) {
        StringBuilder line = new StringBuilder(head);
        for (String word : text.split(" ")) {
            if (line.length() + word.length() > HELP_WIDTH && line.length() > head.length()) {
                lines.add(line.toString().stripTrailing());
                line = new StringBuilder(" ".repeat(head.length()));
            }
            line.append(word).append(' ');
        }
        lines.add(line.toString().stripTrailing());
    }

    @Option(names = "--task", paramLabel = "TASK", description = "task to train (default: the preset's)")
    String task;

    @Option(names = "--preset", paramLabel = "PRESET", description = "recipe: ${COMPLETION-CANDIDATES}",
            completionCandidates = PresetNames.class)
    String preset;

    @Option(names = "--from", paramLabel = "CKPT", description = "continue the run a checkpoint stores (its task, "
            + "model, training settings, curriculum and target); --steps, --seed and --set of training keys change "
            + "it")
    Path from;

    @Option(names = "--steps", paramLabel = "N", description = "optimizer steps (default: the preset's)")
    Integer steps;

    @Option(names = "--seed", paramLabel = "S", description = "seed for initialization and data (default: 1)")
    Long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a model key (n_layers, d_model, positional_embedding_type, weight_sharing, ...), "
                    + "a training key (lr, batch_size, steps, warmup, grad_clip, weight_decay, eval_every, "
                    + "min_lr_fraction, seed, dtype, init, ...) or a task option (n_var, T, ...); repeatable")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--out", required = true, paramLabel = "CKPT", description = "checkpoint to write (.safetensors)")
    Path out;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Option(names = "--stop-at-target", description = "stop at the first evaluation that reaches the run's target "
            + "(e.g. LEGO: every chain position >= 99%%)")
    boolean stopAtTarget;

    @Option(names = "--no-optimizer", description = "save the weights only, without the AdamW state (a third of "
            + "the size); eval, predict, dump and the window use it the same, continuing training from it starts "
            + "a fresh optimizer")
    boolean noOptimizer;

    /** Names of presets for help. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Presets.all().stream().map(RunSpec::name).iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        CliFiles.requireWritable(out);
        Map<String, String> keys = new LinkedHashMap<>(overrides);
        if (steps != null) keys.put("steps", steps.toString());
        if (seed != null) keys.put("seed", seed.toString());
        TrainingCheckpoints.Loaded continued = from == null ? null : openRun();
        RunSpec run = (continued != null ? continued.spec() : resolvePreset()).with(keys);
        TrainingSettings s = run.training();
        Trainer trainer;
        if (continued != null) {
            if (!run.sameTask(continued.spec()) || !run.config().equals(continued.spec().config())) {
                throw new IllegalArgumentException("--from continues the checkpoint's own task and model: --set "
                        + "can change training keys only (" + String.join(", ", RunSpec.TRAINING_KEYS) + ")");
            }
            if (steps != null && s.steps() <= continued.step()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--steps " + s.steps()
                        + ": the checkpoint is at step " + continued.step() + " already; with --from, --steps is the "
                        + "step to train to (give more than " + continued.step() + ")");
            }
            trainer = continued.resume(run);
        } else {
            long activations = (long) s.batchSize() * run.config().nCtx() * (run.config().dMlp()
                    + (long) run.config().nHeads() * run.config().nCtx()) * run.config().nLayers();
            if (activations > 200_000_000L) {
                throw new IllegalArgumentException("batch_size " + s.batchSize() + " x n_ctx " + run.config().nCtx()
                        + " is too large for this model to train in memory; lower batch_size or n_ctx");
            }
            trainer = new Trainer(run);                 // with the run's curriculum, if any
        }
        PrintWriter err = spec.commandLine().getErr();
        ProgressBar bar = new ProgressBar(err, trainer.stepCount(), s.steps(), !quiet, System.console() != null);
        trainer.addListener(bar);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean reached = new AtomicBoolean();
        RunSpec.Target target = run.target();
        String unmeasurable = target.unmeasurableOn(run.config());
        if (stopAtTarget && unmeasurable != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--stop-at-target: the run's target "
                    + target.metric() + " can never be reached: " + unmeasurable);
        }
        if (stopAtTarget) {
            trainer.addListener(new org.attnlab.engine.train.TrainingListener() {
                @Override
                public void onEvaluation(long step, org.attnlab.engine.tasks.Metrics metrics, double loss) {
                    if (target.reachedBy(metrics)) {
                        reached.set(true);
                    }
                }
            });
        }
        CountDownLatch saved = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                saved.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "attnlab-save-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (!quiet) err.println(announce(run, trainer, continued));
            err.flush();
            long t0 = System.nanoTime();
            long taken;
            try {
                taken = trainer.run(() -> stop.get() || reached.get());
            } catch (TrainingDivergedException e) {
                bar.finish();
                try {
                    trainer.evaluate();                                     // is the last model still usable?
                } catch (TrainingDivergedException unusable) {
                    throw new TrainingDivergedException(e.step(), e.getMessage() + " Nothing was saved: the model at "
                            + "step " + trainer.stepCount() + " is already unusable (its held-out loss is not finite or far too large).");
                }
                TrainingCheckpoints.save(out, trainer, null, !noOptimizer);      // the last good model
                throw new TrainingDivergedException(e.step(), e.getMessage() + " The model at step "
                        + trainer.stepCount() + " was saved to " + out + ".");
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            Evaluation e = trainer.evaluate();
            bar.finish();
            TrainingCheckpoints.save(out, trainer, null, !noOptimizer);
            PrintWriter o = spec.commandLine().getOut();
            o.printf(java.util.Locale.ROOT, "%s after %d steps in %.1f s (%.0f steps/s): %s = %.4f, held-out loss %.4f%n",
                    stop.get() ? "stopped" : reached.get() ? "reached target" : "done", trainer.stepCount(), secs,
                    taken / secs, e.metrics().headlineName(), e.metrics().headline(), e.loss());
            o.println(targetLine(target, e.metrics()));
            o.println("saved " + out + (noOptimizer ? " (weights only, no optimizer state: training on from it "
                    + "starts a fresh optimizer)" : ""));
            o.flush();
            return 0;
        } finally {
            saved.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down: the hook is running and will finish
            }
        }
    }

    /** @return e.g. {@code target: accuracy reached, 1.0000 (needs >= 0.9900)} (train and eval print it) */
    static String targetLine(RunSpec.Target target, org.attnlab.engine.tasks.Metrics metrics) {
        if (Double.isNaN(target.valueOf(metrics)) && !metrics.names().contains(target.metric())) {
            return String.format(java.util.Locale.ROOT, "target: %s cannot be measured on this model (its evaluation "
                    + "has no such metric)", target.metric());
        }
        return String.format(java.util.Locale.ROOT, "target: %s %s %.4f (needs >= %.4f)", target.metric(),
                target.reachedBy(metrics) ? "reached," : "NOT reached,", target.valueOf(metrics), target.value());
    }

    /** @return the first line of a run: what is trained, how big, how long */
    private String announce(RunSpec run, Trainer trainer, TrainingCheckpoints.Loaded continued) {
        TrainingSettings s = run.training();
        String what = (continued != null ? "continuing " + run.taskName() + " from step " + continued.step()
                + " of " + from : "training " + run.taskName());
        return what + " (" + describe(run.config()) + (run.config().weightSharing()
                ? ", one block shared by all layers" : "") + ", " + trainer.params().count() + " parameters) "
                + (continued != null ? "to step " + s.steps() : "for " + s.steps() + " steps") + ", seed " + s.seed()
                + (run.curriculum().isEmpty() ? "" : "; curriculum " + stages(run))
                + (continued != null && continued.weightsOnly() ? "; with a fresh optimizer (the checkpoint holds "
                + "the weights only)" : "");
    }

    private TrainingCheckpoints.Loaded openRun() throws java.io.IOException {
        if (task != null || preset != null) {
            throw new IllegalArgumentException("--from continues the run the checkpoint stores: leave out --task and "
                    + "--preset");
        }
        CliFiles.requireReadable(from, "checkpoint");
        return TrainingCheckpoints.load(from);
    }

    private RunSpec resolvePreset() {
        if (preset != null) {
            RunSpec p = Presets.byName(preset);
            if (task != null && !task.equals(p.taskName())) {
                throw new IllegalArgumentException("preset " + preset + " is for task " + p.taskName()
                        + ", not " + task);
            }
            return p;
        }
        if (task == null) {
            throw new IllegalArgumentException("give --task, --preset or --from (tasks: " + String.join(", ",
                    Tasks.names()) + ")");
        }
        return Presets.forTask(task);
    }

    /** @return e.g. {@code n_var=3 until mastered (at most to step 1200), n_var=4 to step 900} */
    private static String stages(RunSpec p) {
        List<String> out = new java.util.ArrayList<>();
        for (org.attnlab.engine.train.Curriculum.Stage st : p.curriculum()) {
            Map<String, String> o = new LinkedHashMap<>(st.options());
            o.keySet().removeIf(k -> o.get(k).equals(p.taskOptions().get(k))
                    || (k.equals("n_train") && o.get(k).equals(st.options().get("n_var"))));   // n_train = n_var: said once
            out.add(o.toString().replaceAll("[{}]", "") + (st.untilMastered() ? " until mastered (at most to step "
                    + st.untilStep() + ")" : " to step " + st.untilStep()));
        }
        return String.join(", ", out);
    }

    static String describe(TransformerConfig c) {
        return plural(c.nLayers(), "layer") + ", " + plural(c.nHeads(), "head") + ", d_model " + c.dModel() + ", "
                + c.positionalEmbeddingType().json() + " positions, " + c.attentionDir().json()
                + (c.attentionType().type().equals(AttentionTypes.DEFAULT) ? "" : ", " + c.attentionType().type()
                + " attention")
                + (c.attnOnly() ? ", attention-only" : "");
    }

    /** @return "1 layer", "2 layers" */
    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
