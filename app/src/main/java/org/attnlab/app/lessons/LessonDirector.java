package org.attnlab.app.lessons;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.value.ChangeListener;
import org.attnlab.app.attention.AttentionViewModel;
import org.attnlab.app.training.ControlLocks;
import org.attnlab.app.training.ProbeResult;
import org.attnlab.app.training.TrainingViewModel;
import org.attnlab.app.window.WindowContext;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.RunSpec;
import org.attnlab.lessons.HighlightedHead;
import org.attnlab.lessons.StepSetup;

/**
 * Applies a lesson step to the window through the commands a user clicks: choose task and preset,
 * edit the settings sheet (the step's {@code set:} applied to the run spec by
 * {@link RunSpec#with}, the parser the sheet and the command line use), Reset, File &gt; Open a
 * checkpoint, pick a tab, click a head; and
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
                window.openCheckpoint(p, false);    // the lesson's file: not one of the user's recent files
            } catch (IOException e) {
                problem = e.getMessage();
            }
            return;
        }
        if (s.task() == null && s.preset() == null && s.settings().isEmpty() && s.seed() == null) {
            return;
        }
        if (s.preset() != null) {
            RunSpec preset = Presets.byName(s.preset());
            if (!preset.taskName().equals(t.taskProperty().get())) {
                t.taskProperty().set(preset.taskName());
            }
            if (t.presetProperty().get() == null || !preset.name().equals(t.presetProperty().get().name())) {
                t.presetProperty().set(t.presets().stream().filter(p -> preset.name().equals(p.name())).findFirst()
                        .orElse(preset));
            }
            t.settings().load(preset);
        } else if (s.task() != null) {
            if (!s.task().equals(t.taskProperty().get())) {
                t.taskProperty().set(s.task());
            }
            t.settings().load(t.presetProperty().get());       // a new task starts from its preset
        }
        RunSpec next;
        try {
            next = t.settings().base().with(keys(s));          // set: and seed: through the run spec's parser
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
            return;
        }
        t.settings().load(next);                               // the sheet shows what the step set
        t.reset();
        if (!t.settingsErrorProperty().get().isEmpty()) {
            problem = t.settingsErrorProperty().get();
        }
    }

    /** @return the step's {@code set:} and {@code seed:} as {@code key=value} overrides of a run spec */
    private static Map<String, String> keys(StepSetup s) {
        Map<String, String> keys = new LinkedHashMap<>(s.settings());
        if (s.seed() != null) {
            keys.put("seed", Integer.toString(s.seed()));
        }
        return keys;
    }

    /**
     * "Train it yourself": a fresh model of the step's run, then Play. For a step with a
     * checkpoint it is the checkpoint's own run spec (task and options, model, training settings,
     * curriculum; rebuilt from its preset for a checkpoint that predates stored specs) with the
     * step's {@code set:} and {@code seed:} applied (a lesson names the settings an older
     * checkpoint was made with, e.g. {@code set: lr=1e-3, batch_size=64, steps=3000}); without a
     * checkpoint it is the step's preset and settings, reset and played.
     *
     * @param s the step's effective setup
     */
    public void trainYourself(StepSetup s) {
        TrainingViewModel t = training;
        RunSpec now = t.appliedProperty().get();
        if (s.checkpoint() != null && now != null) {
            RunSpec run;
            try {
                run = now.with(keys(s));
            } catch (IllegalArgumentException e) {
                t.announce(e.getMessage());
                return;
            }
            t.reset(run);
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
