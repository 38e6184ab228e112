package org.attnlab.app.common;

/**
 * Style classes and node ids of the window, one constant each: views set them, the theme
 * ({@code assets/themes/attnlab.css}) styles them, and UI tests look nodes up by them.
 */
public final class Styles {
    private Styles() {
    }

    // style classes
    /** A small or large attention heatmap ({@code HeatmapView}). */
    public static final String ATTENTION_HEATMAP = "attention-heatmap";
    /** The grid of every layer x head heatmap. */
    public static final String ATTENTION_GRID = "attention-grid";
    /** A heatmap in the grid that is the selected (enlarged) head. */
    public static final String SELECTED = "selected";
    /** A titled panel of the main window. */
    public static final String PANEL = "panel";
    /** A panel's title. */
    public static final String PANEL_TITLE = "panel-title";
    /** Small explanatory text under a control. */
    public static final String HINT = "hint";
    /** An inline error message (red text). */
    public static final String INLINE_ERROR = "inline-error";
    /** The status bar at the bottom. */
    public static final String STATUS_BAR = "status-bar";
    /** A figure of the status bar (step, steps/s, loss). */
    public static final String STATUS_FIGURE = "status-figure";
    /** The transport toolbar (play, step, reset, speed). */
    public static final String TRANSPORT = "transport";
    /** The Play/Pause button, which also carries {@link #PLAYING} while training. */
    public static final String PLAY_BUTTON = "play-button";
    /** Added to the play button while training runs. */
    public static final String PLAYING = "playing";
    /** The left sidebar with task, preset and model settings. */
    public static final String SIDEBAR = "sidebar";
    /** A heatmap's caption such as "L0 H1". */
    public static final String HEAD_CAPTION = "head-caption";
    /** A row/column header of the attention grid. */
    public static final String GRID_HEADER = "grid-header";
    /** A right prediction in the predictions table. */
    public static final String RIGHT = "right";
    /** A wrong prediction in the predictions table. */
    public static final String WRONG = "wrong";
    /** The colour legend of a heatmap. */
    public static final String COLOR_LEGEND = "color-legend";
    /** The readout of the hovered heatmap cell. */
    public static final String HOVER_READOUT = "hover-readout";
    /** A chart of the curves panel. */
    public static final String CURVE_CHART = "curve-chart";
    /** Marks a setting edited but not yet applied by Reset. */
    public static final String PENDING = "pending";
    /**
     * A view that uses the arrow keys while the focus is in it (the step-through); classroom mode,
     * where the arrows otherwise step the lesson, leaves them to it.
     */
    public static final String OWNS_ARROW_KEYS = "owns-arrow-keys";
    /** A bold heading inside a view (e.g. "Heads (click to ablate)"). */
    public static final String VIEW_HEADING = "view-heading";
    /** A figure or verdict set in bold inside a view (e.g. the largest recurrent - parallel difference). */
    public static final String STRONG = "strong";
    /** The scroll pane that holds a view of a tab: a white ground under the view. */
    public static final String VIEW_SCROLL = "view-scroll";
    /** A view inside the model (residual stream, positions, step-through). */
    public static final String INSIDE_VIEW = "inside-view";
    /** An intervention view (ablation, patching, history, linear attention). */
    public static final String INTERVENTION_VIEW = "intervention-view";
    /** The attention grid's note that it shows a moment of the training history, not the live model. */
    public static final String PINNED_NOTE = "pinned-note";
    /** A note about the model shown (e.g. "shown are its weights run as causal linear attention"). */
    public static final String MODEL_NOTE = "model-note";
    /** A guess of the logit lens that is the correct token (green, bold). */
    public static final String CORRECT_TOKEN = "correct-token";
    /** The set-function verdict when the outputs do permute with the input (green). */
    public static final String EQUIVARIANT = "equivariant";
    /** The set-function verdict when they do not (red). */
    public static final String NOT_EQUIVARIANT = "not-equivariant";
    /** An ablation toggle whose head is ablated (no colour of its own: a selected toggle shows the theme's accent). */
    public static final String ABLATED = "ablated";
    /** The description of the history's shown moment (A, the timeline's colour in the chart). */
    public static final String MOMENT_A = "moment-a";
    /** The description of the compared moment (B). */
    public static final String MOMENT_B = "moment-b";
    /** A row of tokens in a fixed-width font (patching's clean and corrupted inputs). */
    public static final String TOKEN_ROW = "token-row";
    /** The step-through's stage title ("5 / 19: softmax"). */
    public static final String STAGE_TITLE = "stage-title";
    /** A formula shown as its LaTeX source (JLaTeXMath could not typeset it). */
    public static final String FORMULA_SOURCE = "formula-source";
    /** The step-through's explanation of a stage. */
    public static final String STAGE_EXPLANATION = "stage-explanation";
    /** The scroll pane of the step-through's numbers. */
    public static final String NUMBERS_SCROLL = "numbers-scroll";

    // ids
    /** The step counter of the status bar. */
    public static final String STEP_LABEL = "stepLabel";
    /** Steps per second in the status bar. */
    public static final String SPEED_LABEL = "speedLabel";
    /** The last training loss in the status bar. */
    public static final String LOSS_LABEL = "lossLabel";
    /** The held-out headline metric in the status bar. */
    public static final String METRIC_LABEL = "metricLabel";
    /** The status message in the status bar. */
    public static final String MESSAGE_LABEL = "messageLabel";
    /** Train and held-out loss chart. */
    public static final String LOSS_CHART = "lossChart";
    /** Held-out headline metric chart. */
    public static final String METRIC_CHART = "metricChart";
    /** Metric breakdown bars (per chain position / per position). */
    public static final String BREAKDOWN_CHART = "breakdownChart";
    /** The attention grid. */
    public static final String ATTENTION_GRID_ID = "attentionGrid";
    /** The large heatmap of the selected head. */
    public static final String HEAD_DETAIL = "headDetail";
    /** The probe text field. */
    public static final String PROBE_FIELD = "probeField";
    /** The probe's inline error. */
    public static final String PROBE_ERROR = "probeError";
    /** The button that draws a new probe example. */
    public static final String NEW_PROBE_BUTTON = "newProbeButton";
    /** The predictions table. */
    public static final String PREDICTIONS_TABLE = "predictionsTable";
    /** Task chooser. */
    public static final String TASK_CHOICE = "taskChoice";
    /** Preset chooser. */
    public static final String PRESET_CHOICE = "presetChoice";
    /** The model settings' property sheet. */
    public static final String SETTINGS_SHEET = "settingsSheet";
    /** The training settings' property sheet. */
    public static final String TRAINING_SHEET = "trainingSheet";
    /** Inline error of the settings (e.g. d_model not divisible by n_heads). */
    public static final String SETTINGS_ERROR = "settingsError";
    /** Play/Pause. */
    public static final String PLAY_BUTTON_ID = "playButton";
    /** Step one. */
    public static final String STEP_BUTTON = "stepButton";
    /** Reset. */
    public static final String RESET_BUTTON = "resetButton";
    /** Speed slider. */
    public static final String SPEED_SLIDER = "speedSlider";
    /** Hover readout of the large heatmap. */
    public static final String HOVER_LABEL = "hoverLabel";
}
