package org.attnlab.lessons;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a lesson step sets up in the window. Every field is optional (null or empty: leave as
 * is). Steps inherit: {@link #then} lays a later step's setup over an earlier one's.
 *
 * @param task       the task's name (e.g. {@code flipflop})
 * @param preset     the preset's name (e.g. {@code flipflop16})
 * @param settings   model and training settings as in the window's sheet ({@code n_layers=1}, ...), in order:
 *                   {@code key=value} overrides the window applies to the run spec ({@code RunSpec.with})
 * @param seed       the seed, or null
 * @param checkpoint a checkpoint to open, relative to {@code assets/} (e.g. {@code lessons/checkpoints/x.safetensors})
 * @param view       the view (tab) to show, e.g. {@code Step-through}
 * @param highlight  the head to select, or null
 * @param locks      controls the reader cannot change during the step (see {@link #LOCKABLE})
 */
public record StepSetup(String task, String preset, Map<String, String> settings, Integer seed, String checkpoint,
                        String view, HighlightedHead highlight, List<String> locks) {
    /** Keys of {@code set:}: the settings of the window's model and training sheets. */
    public static final List<String> SETTINGS = List.of("n_layers", "n_heads", "d_model",
            "positional_embedding_type", "attention_dir", "ln_placement", "attn_only", "lr", "batch_size", "steps");
    /** Controls a step can lock. */
    public static final List<String> LOCKABLE = List.of("task", "preset", "model", "training", "play", "step",
            "reset");
    /** Views (tabs) of the window a step can show. */
    public static final List<String> VIEWS = List.of("Training", "Residual stream", "Positions", "Step-through",
            "Ablation", "Patching", "History", "Linear attention");
    /** Nothing set. */
    public static final StepSetup NONE = new StepSetup(null, null, Map.of(), null, null, null, null, List.of());

    /** Copies the settings and locks (unmodifiable). */
    public StepSetup {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        locks = List.copyOf(locks);
    }

    /**
     * @param later the next step's own setup
     * @return this setup with {@code later}'s fields laid over it; a new task, preset or
     *     checkpoint starts the model afresh (earlier settings, seed and checkpoint are dropped);
     *     locks are the later step's alone
     */
    public StepSetup then(StepSetup later) {
        boolean fresh = later.task != null || later.preset != null || later.checkpoint != null;
        Map<String, String> s = new LinkedHashMap<>(fresh ? Map.of() : settings);
        s.putAll(later.settings);
        return new StepSetup(later.task != null ? later.task : fresh ? null : task,
                later.preset != null ? later.preset : fresh ? null : preset, s,
                later.seed != null ? later.seed : fresh ? null : seed,
                later.checkpoint != null ? later.checkpoint : fresh ? null : checkpoint,
                later.view != null ? later.view : view,
                later.highlight != null ? later.highlight : highlight, later.locks);
    }

    /** @return whether the two set up the same model (task, preset, settings, seed, checkpoint) */
    public boolean sameModel(StepSetup o) {
        return o != null && java.util.Objects.equals(task, o.task) && java.util.Objects.equals(preset, o.preset)
                && settings.equals(o.settings) && java.util.Objects.equals(seed, o.seed)
                && java.util.Objects.equals(checkpoint, o.checkpoint);
    }
}
