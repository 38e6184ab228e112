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
import org.attnlab.engine.model.ConfigJson;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.TaskOption;
import org.attnlab.engine.tasks.TaskType;
import org.attnlab.engine.tasks.Tasks;
import org.attnlab.engine.train.Evaluation;
import org.attnlab.engine.train.Preset;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.Trainer;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.attnlab.engine.train.TrainingDivergedException;
import org.attnlab.engine.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code train}: trains a preset headless with a live progress bar and writes a checkpoint
 * atomically. Ctrl+C stops at the next step and still saves. Its help lists the tasks and each
 * one's options from the task registry ({@link Tasks}).
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

    @Option(names = "--steps", paramLabel = "N", description = "optimizer steps (default: the preset's)")
    Integer steps;

    @Option(names = "--seed", paramLabel = "S", description = "seed for initialization and data (default: 1)")
    Long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a model key (n_layers, d_model, positional_embedding_type, ...), a training key "
                    + "(lr, batch_size, warmup, grad_clip, weight_decay, eval_every, min_lr_fraction) or a task "
                    + "option (n_var, T, ...); repeatable")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--out", required = true, paramLabel = "CKPT", description = "checkpoint to write (.safetensors)")
    Path out;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Option(names = "--stop-at-target", description = "stop at the first evaluation that reaches the preset's target "
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
            return Presets.all().stream().map(Preset::name).iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        CliFiles.requireWritable(out);
        Preset p = resolvePreset();
        TrainingSettings base = p.training();
        if (steps != null) base = base.withSteps(steps);
        if (seed != null) base = base.withSeed(seed);
        RunSetup run = RunSetup.apply(p, base, overrides);
        TrainingSettings s = run.settings();
        long activations = (long) s.batchSize() * run.config().nCtx() * (run.config().dMlp()
                + (long) run.config().nHeads() * run.config().nCtx()) * run.config().nLayers();
        if (activations > 200_000_000L) {
            throw new IllegalArgumentException("batch_size " + s.batchSize() + " x n_ctx " + run.config().nCtx()
                    + " is too large for this model to train in memory; lower batch_size or n_ctx");
        }
        Trainer trainer = new Trainer(run.task(), run.config(), s);
        boolean recipe = p.configure(trainer);         // the preset's curriculum, if any
        PrintWriter err = spec.commandLine().getErr();
        ProgressBar bar = new ProgressBar(err, s.steps(), !quiet, System.console() != null);
        trainer.addListener(bar);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean reached = new AtomicBoolean();
        if (stopAtTarget) {
            trainer.addListener(new org.attnlab.engine.train.TrainingListener() {
                @Override
                public void onEvaluation(long step, org.attnlab.engine.tasks.Metrics metrics, double loss) {
                    if (p.reached(metrics)) {
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
            if (!quiet) err.println("training " + trainer.task().name() + " (" + describe(run.config())
                    + (run.config().weightSharing() ? ", one block shared by all layers" : "") + ", "
                    + trainer.params().count() + " parameters) for " + s.steps() + " steps, seed " + s.seed()
                    + (recipe && !p.curriculum().isEmpty() ? "; curriculum " + stages(p) : ""));
            err.flush();
            long t0 = System.nanoTime();
            try {
                trainer.run(() -> stop.get() || reached.get());
            } catch (TrainingDivergedException e) {
                bar.finish();
                try {
                    trainer.evaluate();                                     // is the last model still usable?
                } catch (TrainingDivergedException unusable) {
                    throw new TrainingDivergedException(e.step(), e.getMessage() + " Nothing was saved: the model at "
                            + "step " + trainer.stepCount() + " is already unusable (its held-out loss is not finite or far too large).");
                }
                TrainingCheckpoints.save(out, trainer, p.name(), null, !noOptimizer);      // the last good model
                throw new TrainingDivergedException(e.step(), e.getMessage() + " The model at step "
                        + trainer.stepCount() + " was saved to " + out + ".");
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            Evaluation e = trainer.evaluate();
            bar.finish();
            TrainingCheckpoints.save(out, trainer, p.name(), null, !noOptimizer);
            PrintWriter o = spec.commandLine().getOut();
            o.printf(java.util.Locale.ROOT, "%s after %d steps in %.1f s (%.0f steps/s): %s = %.4f, held-out loss %.4f%n",
                    stop.get() ? "stopped" : reached.get() ? "reached target" : "done", trainer.stepCount(), secs,
                    trainer.stepCount() / secs, e.metrics().headlineName(), e.metrics().headline(), e.loss());
            o.printf(java.util.Locale.ROOT, "target: %s %s %.4f (needs >= %.4f)%n", p.targetMetric(),
                    p.reached(e.metrics()) ? "reached," : "NOT reached,", p.targetValue(e.metrics()), p.target());
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

    private Preset resolvePreset() {
        if (preset != null) {
            Preset p = Presets.byName(preset);
            if (task != null && !task.equals(p.taskName())) {
                throw new IllegalArgumentException("preset " + preset + " is for task " + p.taskName()
                        + ", not " + task);
            }
            return p;
        }
        if (task == null) {
            throw new IllegalArgumentException("give --task or --preset (tasks: " + String.join(", ", Tasks.names())
                    + ")");
        }
        return Presets.forTask(task);
    }

    /** @return e.g. {@code n_var=3 to step 500, n_var=4 to step 900} */
    private static String stages(Preset p) {
        List<String> out = new java.util.ArrayList<>();
        for (org.attnlab.engine.train.Curriculum.Stage st : p.curriculum()) {
            Map<String, String> o = new LinkedHashMap<>(st.options());
            o.keySet().removeIf(k -> o.get(k).equals(p.taskOptions().get(k)) || k.equals("n_train"));
            out.add(o.toString().replaceAll("[{}]", "") + " to step " + st.untilStep());
        }
        return String.join(", ", out);
    }

    static String describe(TransformerConfig c) {
        return c.nLayers() + " layers, " + c.nHeads() + " heads, d_model " + c.dModel() + ", "
                + c.positionalEmbeddingType().json() + " positions, " + c.attentionDir().json()
                + (c.attnOnly() ? ", attention-only" : "");
    }

    /**
     * A preset with {@code --set} overrides applied.
     *
     * @param task     the task
     * @param config   the model configuration (d_vocab and n_ctx follow a changed task)
     * @param settings the training settings
     */
    record RunSetup(Task task, TransformerConfig config, TrainingSettings settings) {
        private static final List<String> TRAINING_KEYS = List.of("lr", "batch_size", "warmup", "grad_clip",
                "weight_decay", "eval_every", "min_lr_fraction", "beta1", "beta2", "eval_batch");

        static RunSetup apply(Preset p, TrainingSettings base, Map<String, String> overrides) {
            Map<String, String> taskOptions = new LinkedHashMap<>(p.taskOptions());
            TransformerConfig c = p.config();
            TrainingSettings s = base;
            Map<String, String> configOverrides = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : overrides.entrySet()) {
                String k = e.getKey(), v = e.getValue();
                if (TRAINING_KEYS.contains(k)) {
                    s = withTraining(s, k, v);
                } else if (c.toMap().containsKey(k)) {
                    configOverrides.put(k, v);
                } else {
                    taskOptions.put(k, v);     // Tasks.byName names an unknown option
                }
            }
            Task t;
            try {
                t = Tasks.byName(p.taskName(), taskOptions);
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("unknown option")) {
                    throw new IllegalArgumentException(e.getMessage() + "; model keys: " + String.join(", ",
                            c.toMap().keySet()) + "; training keys: " + String.join(", ", TRAINING_KEYS));
                }
                throw e;
            }
            if (!taskOptions.equals(p.taskOptions())) {
                // the preset's weight sharing, like its curriculum, belongs to its own task: another
                // version of the task gets the preset's model without it (unless weight_sharing is set)
                c = c.toBuilder().dVocab(Math.max(c.dVocab(), t.vocabulary().size()))
                        .nCtx(Math.max(c.nCtx(), t.seqLen())).weightSharing(false).build();
            }
            if (!configOverrides.isEmpty()) {
                c = ConfigJson.with(c, configOverrides);
            }
            return new RunSetup(t, c, s);
        }

        private static TrainingSettings withTraining(TrainingSettings s, String key, String value) {
            double x;
            try {
                x = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": '" + value + "' is not a number");
            }
            AdamW.Settings a = s.adamw();
            int i = (int) x;
            if (!key.equals("lr") && !key.equals("grad_clip") && !key.equals("weight_decay")
                    && !key.equals("min_lr_fraction") && !key.startsWith("beta") && x != i) {
                throw new IllegalArgumentException(key + " must be an integer (got " + value + ")");
            }
            return switch (key) {
                case "lr" -> s.withAdamw(new AdamW.Settings(x, a.beta1(), a.beta2(), a.eps(), a.weightDecay()));
                case "beta1" -> s.withAdamw(new AdamW.Settings(a.lr(), x, a.beta2(), a.eps(), a.weightDecay()));
                case "beta2" -> s.withAdamw(new AdamW.Settings(a.lr(), a.beta1(), x, a.eps(), a.weightDecay()));
                case "weight_decay" -> s.withAdamw(new AdamW.Settings(a.lr(), a.beta1(), a.beta2(), a.eps(), x));
                case "batch_size" -> s.withBatchSize(i);
                case "warmup" -> s.withWarmupSteps(i);
                case "grad_clip" -> s.withGradClip(x);
                case "eval_every" -> s.withEvalEvery(i);
                case "eval_batch" -> s.withEvalBatchSize(i);
                case "min_lr_fraction" -> s.withMinLrFraction(x);
                default -> throw new IllegalStateException(key);
            };
        }
    }
}
