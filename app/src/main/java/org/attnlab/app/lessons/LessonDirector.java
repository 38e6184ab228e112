package org.attnlab.app.lessons;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.value.ChangeListener;
import org.attnlab.app.attention.AttentionViewModel;
import org.attnlab.app.training.ControlLocks;
import org.attnlab.app.training.ModelSettings;
import org.attnlab.app.training.ProbeResult;
import org.attnlab.app.training.RunSetup;
import org.attnlab.app.training.TrainingViewModel;
import org.attnlab.app.window.WindowContext;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.TrainingSettings;
import org.attnlab.lessons.HighlightedHead;
import org.attnlab.lessons.StepSetup;

/**
 * Applies a lesson step to the window through the commands a user clicks: choose task and preset,
 * edit the settings sheet, Reset, File &gt; Open a checkpoint, pick a tab, click a head; and
 * locks the controls the step names ({@link ControlLocks}: the controls bind their disable state
 * to them, while the step is shown). A step whose model is the one already applied does not
 * reload it (Next keeps the training state).
 */
public final class LessonDirector {
    private final WindowContext window;
    private final TrainingViewModel training;
    private final AttentionViewModel attention;
    private StepSetup applied;
    private HighlightedHead pendingHighlight;
    private String problem = "";

    /** @param window the window: its training commands, the attention grid, its views by name */
    public LessonDirector(WindowContext window) {
        this.window = window;
        this.training = window.training();
        this.attention = window.attention();
        ChangeListener<ProbeResult> highlighter = (o, a, p) -> {
            HighlightedHead h = pendingHighlight;
            if (h != null && p != null && h.layer() < p.layers() && h.head() < p.heads()) {
                attention.select(h.layer(), h.head());
                pendingHighlight = null;
            }
        };
        attention.probeProperty().addListener(highlighter);
    }

    /**
     * Sets the window up as {@code s} says (JavaFX thread).
     *
     * @param s the step's effective setup
     * @return "" or what could not be applied (e.g. a setting the sheet refused), one line
     */
    public String apply(StepSetup s) {
        problem = "";
        unlock();
        if (!s.sameModel(applied)) {
            applyModel(s);
            applied = s;
        }
        if (s.view() != null) {
            window.selectView(s.view());
        }
        if (s.highlight() != null) {
            pendingHighlight = s.highlight();
            ProbeResult p = attention.probeProperty().get();
            if (p != null && s.highlight().layer() < p.layers() && s.highlight().head() < p.heads()) {
                attention.select(s.highlight().layer(), s.highlight().head());
            }
        }
        lock(s.locks());
        return problem;
    }

    private void applyModel(StepSetup s) {
        TrainingViewModel t = training;      // the commands a user clicks
        t.pause();
        if (s.checkpoint() != null) {
            try {
                Path p = LessonAssets.checkpoint(s.checkpoint());
                window.openCheckpoint(p);
            } catch (IOException e) {
                problem = e.getMessage();
            }
            return;
        }
        if (s.task() == null && s.preset() == null && s.settings().isEmpty() && s.seed() == null) {
            return;
        }
        if (s.preset() != null) {
            var preset = Presets.byName(s.preset());
            if (!preset.taskName().equals(t.taskProperty().get())) {
                t.taskProperty().set(preset.taskName());
            }
            if (t.presetProperty().get() == null || !t.presetProperty().get().name().equals(preset.name())) {
                t.presetProperty().set(t.presets().stream().filter(p -> p.name().equals(preset.name())).findFirst()
                        .orElse(preset));
            }
            t.settings().load(RunSetup.of(preset));
        } else if (s.task() != null && !s.task().equals(t.taskProperty().get())) {
            t.taskProperty().set(s.task());
        }
        ModelSettings m = t.settings();
        s.settings().forEach((k, v) -> set(m, k, v));
        if (s.seed() != null) {
            m.seedProperty().set(s.seed());
        }
        t.reset();
        if (!t.settingsErrorProperty().get().isEmpty()) {
            problem = t.settingsErrorProperty().get();
        }
    }

    private static void set(ModelSettings m, String key, String v) {
        switch (key) {
            case "n_layers" -> m.nLayersProperty().set(Integer.parseInt(v));
            case "n_heads" -> m.nHeadsProperty().set(Integer.parseInt(v));
            case "d_model" -> m.dModelProperty().set(Integer.parseInt(v));
            case "positional_embedding_type" -> m.positionalProperty().set(v);
            case "attention_dir" -> m.attentionDirProperty().set(v);
            case "ln_placement" -> m.layerNormProperty().set(v);
            case "attn_only" -> m.attnOnlyProperty().set(Boolean.parseBoolean(v));
            case "lr" -> m.learningRateProperty().set(Double.parseDouble(v));
            case "batch_size" -> m.batchSizeProperty().set(Integer.parseInt(v));
            case "steps" -> m.stepsProperty().set(Integer.parseInt(v));
            default -> throw new IllegalArgumentException("unknown setting '" + key + "'");
        }
    }

    /**
     * "Train it yourself": a fresh model of the step's task, configuration and seed (the one its
     * checkpoint was trained from: the same task options, e.g. LEGO's number of variables, and the
     * training settings the step sets with {@code set:} lr, batch_size and steps), then Play. Without a checkpoint it is the step's preset and settings, reset and played.
     *
     * @param s the step's effective setup
     */
    public void trainYourself(StepSetup s) {
        TrainingViewModel t = training;
        RunSetup now = t.appliedProperty().get();
        if (s.checkpoint() != null && now != null) {
            TrainingSettings ts = now.settings();
            if (s.seed() != null) {
                ts = ts.withSeed(s.seed());
            }
            // a checkpoint keeps no training settings: the step names the ones it was made with
            // (else the preset's of today would be used, e.g. lego6's 3000 steps of 256 sequences)
            for (var e : s.settings().entrySet()) {
                switch (e.getKey()) {
                    case "lr" -> ts = ts.withAdamw(new AdamW.Settings(Double.parseDouble(e.getValue()),
                            ts.adamw().beta1(), ts.adamw().beta2(), ts.adamw().eps(), ts.adamw().weightDecay()));
                    case "batch_size" -> ts = ts.withBatchSize(Integer.parseInt(e.getValue()));
                    case "steps" -> ts = ts.withSteps(Integer.parseInt(e.getValue()));
                    default -> { }             // model settings: the checkpoint's own model is retrained
                }
            }
            t.reset(new RunSetup(now.presetName(), now.task(), now.config(), ts));
            applied = null;                 // the next step's checkpoint opens again
        } else {
            applied = null;
            applyModel(s);
            applied = s;
        }
        t.play();
    }

    private void lock(List<String> names) {
        List<ControlLocks.Control> controls = new ArrayList<>();
        for (String n : names) {
            controls.add(ControlLocks.Control.byLessonName(n).orElseThrow(() -> new IllegalArgumentException(
                    "cannot lock '" + n + "'")));
        }
        training.locks().lockOnly(controls);
    }

    /** Gives back the controls the last step locked. */
    public void unlock() {
        training.locks().unlockAll();
    }

    /** @return whether the current step locks {@code name} (one of {@link StepSetup#LOCKABLE}) */
    public boolean isLocked(String name) {
        return ControlLocks.Control.byLessonName(name).map(training.locks()::isLocked).orElse(false);
    }

    /** Forgets the applied model: the next {@link #apply} sets it up again (e.g. after the lessons were closed). */
    public void forget() {
        applied = null;
    }
}
