package org.attnlab.app.interventions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import org.attnlab.app.common.Styles;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.attention.AttentionKernels;
import org.attnlab.engine.attention.LinearAttentionRecurrence;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;

/**
 * Causal linear attention as a recurrent network (Katharopoulos et al. 2020): step through the
 * probe one token at a time and watch the state S_t = sum phi(k) v^T (E x E) and the normalizer
 * u_t = sum phi(k) (the paper's z_t) grow, the recurrent output phi(q_t)^T S_t / phi(q_t)^T u_t
 * next to the engine's parallel output (hook_z), and the memory each form needs per head. A
 * softmax model is shown as the same weights run with causal linear attention. The recurrence is
 * run in the background by the {@link LinearAttentionViewModel}.
 */
public final class LinearAttentionView extends InterventionPane {
    private final ChoiceBox<Integer> layer = new ChoiceBox<>(), head = new ChoiceBox<>();
    private final Slider position = new Slider(0, 0, 0);
    private final Label note = new Label(), positionLabel = new Label(), maxDiff = new Label(), memory = new Label();
    private final ValueGrid state = new ValueGrid(), normalizer = new ValueGrid(), outputs = new ValueGrid();
    private final Canvas memoryChart = new Canvas(360, 170);
    private final LinearAttentionViewModel vm = new LinearAttentionViewModel();
    private Parameters model;
    private int[] tokens;
    private List<String> tokenText = List.of();
    private Object key;
    private boolean filling;
    private Runnable followed;
    private long shownRun = -1;

    /** @param snapshots the window's snapshots */
    public LinearAttentionView(ObservableValue<TrainingSnapshot> snapshots) {
        super(snapshots, "Linear attention as a recurrence", "With phi(x) = elu(x) + 1, causal linear attention "
                + "needs no attention matrix: a running state S_t = \u03a3 phi(k_j) v_j\u1d40 and u_t = \u03a3 phi(k_j) give "
                + "z_t = phi(q_t)\u1d40 S_t / phi(q_t)\u1d40 u_t, an RNN with constant memory (Katharopoulos et al. 2020, "
                + "\"Transformers are RNNs\").");
        setId("linearView");
        layer.setId("linearLayer");
        head.setId("linearHead");
        position.setId("linearPosition");
        maxDiff.setId("linearMaxDiff");
        note.setId("linearNote");
        state.setId("linearState");
        normalizer.setId("linearNormalizer");
        outputs.setId("linearOutputs");
        state.setMaxCell(34);
        normalizer.setMaxCell(34);
        outputs.setMaxCell(34);
        positionLabel.setMinWidth(110);
        note.setWrapText(true);
        note.getStyleClass().add(Styles.MODEL_NOTE);
        position.setBlockIncrement(1);
        position.setMajorTickUnit(1);
        position.setSnapToTicks(true);
        position.setMinorTickCount(0);
        HBox.setHgrow(position, Priority.ALWAYS);
        position.setMaxWidth(Double.MAX_VALUE);
        layer.valueProperty().addListener((o, a, b) -> recompute());
        head.valueProperty().addListener((o, a, b) -> recompute());
        position.valueProperty().addListener((o, a, b) -> showStep());
        HBox controls = new HBox(10, new Label("Layer"), layer, new Label("head"), head, new Label("position t"), position,
                positionLabel);
        controls.setAlignment(Pos.CENTER_LEFT);
        maxDiff.getStyleClass().add(Styles.STRONG);
        VBox left = new VBox(4, heading("State S_t (rows: key features, columns: value components)"), state,
                heading("Normalizer u_t = \u03a3 phi(k_j)"), normalizer);
        VBox right = new VBox(4, heading("Output z_t at t: recurrent vs parallel"), outputs, maxDiff,
                heading("Numbers kept per head to produce the next output"), memoryChart, memory);
        getChildren().addAll(note, controls, left, right);
        vm.traceProperty().addListener((o, a, t) -> showStep());
        vm.errorProperty().addListener((o, a, e) -> showError(e));
    }

    /** @return the view's model */
    public LinearAttentionViewModel viewModel() {
        return vm;
    }

    /** @return the trace shown, or null */
    public LinearAttentionRecurrence.Trace trace() {
        return vm.traceProperty().get();
    }

    /** @return the position shown */
    public int position() {
        return (int) Math.round(position.getValue());
    }

    /** Shows head (l, h) at position t. */
    public void select(int l, int h, int t) {
        layer.setValue(l);
        head.setValue(h);
        position.setValue(t);
        showStep();
    }

    /**
     * Shows the head selected elsewhere (the attention grid, a lesson's highlight) whenever that
     * selection changes and the model has that head.
     *
     * @param selectedLayer the selected layer
     * @param selectedHead  the selected head
     */
    public void follow(javafx.beans.value.ObservableIntegerValue selectedLayer,
                       javafx.beans.value.ObservableIntegerValue selectedHead) {
        Runnable apply = () -> {
            int l = selectedLayer.get(), h = selectedHead.get();
            if (layer.getItems().contains(l) && head.getItems().contains(h)) {
                layer.setValue(l);
                head.setValue(h);
            }
        };
        selectedLayer.addListener((o, a, b) -> apply.run());
        selectedHead.addListener((o, a, b) -> apply.run());
        followed = apply;
        apply.run();
    }

    /** @return the state heatmap */
    public ValueGrid stateGrid() {
        return state;
    }

    /** @return the outputs heatmap (row 0 recurrent, row 1 parallel) */
    public ValueGrid outputGrid() {
        return outputs;
    }

    @Override
    protected void refresh(TrainingSnapshot s) {
        if (s.probe() == null || s.probe().model() == null) {
            return;
        }
        Object k = List.of(s.runId(), s.probe().step(), s.probe().probeId());
        if (k.equals(key)) {
            return;
        }
        key = k;
        Parameters p = s.probe().model();
        TransformerConfig c = p.config();
        try {
            model = LinearAttentionRecurrence.asCausalLinear(p);
        } catch (IllegalArgumentException refused) {     // the linear kernel refuses the configuration (ALiBi)
            model = null;
            vm.clear();
            note.setText("This model has no linear-attention form (" + refused.getMessage() + "). "
                    + "Choose another positional encoding and press Reset.");
            return;
        }
        note.setText(AttentionKernels.of(c).recurrence(c).orElse(null) == LinearAttentionRecurrence.INSTANCE ? "This model uses causal linear attention: what you "
                + "see is exactly what it computes." : "This model uses " + c.attentionType().type() + " "
                + c.attentionDir().json()
                + " attention; shown are its weights run as causal linear attention (same W_Q, W_K, W_V), "
                + "to see the recurrence. (The engine supports attention_type = linear for training.)");
        tokens = s.probe().tokenIds();
        tokenText = s.probe().tokens();
        boolean newModel = s.runId() != shownRun;       // a reset or an opened checkpoint: take the selection again
        shownRun = s.runId();
        filling = true;
        fillChoices(layer, c.nLayers());
        fillChoices(head, c.nHeads());
        boolean end = position() >= position.getMax();
        position.setMax(tokens.length - 1);
        if (end || position() > tokens.length - 1) {
            position.setValue(tokens.length - 1);
        }
        if (followed != null && newModel) {
            followed.run();
        }
        filling = false;
        recompute();
    }

    private static void fillChoices(ChoiceBox<Integer> box, int n) {
        if (box.getItems().size() != n) {
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                items.add(i);
            }
            box.getItems().setAll(items);
        }
        if (box.getValue() == null || box.getValue() >= n) {
            box.setValue(0);
        }
    }

    private void recompute() {
        if (filling || model == null || layer.getValue() == null || head.getValue() == null) {
            return;
        }
        vm.run(model, tokens, layer.getValue(), head.getValue());
    }

    private void showStep() {
        LinearAttentionRecurrence.Trace trace = vm.traceProperty().get();
        if (trace == null) {
            return;
        }
        int t = Math.min(position(), trace.steps().size() - 1), e = trace.dHead();
        LinearAttentionRecurrence.Step st = trace.steps().get(t);
        positionLabel.setText(String.format(Locale.ROOT, "t = %d ('%s')", t, tokenText.get(t)));
        List<String> idx = new ArrayList<>();
        for (int i = 0; i < e; i++) {
            idx.add(Integer.toString(i));
        }
        state.setData(st.state(), e, e, idx, idx, maxAbs(st.state()), "%.2f");
        normalizer.setData(st.normalizer(), 1, e, List.of("u_t"), idx, maxAbs(st.normalizer()), "%.2f");
        double[] both = new double[2 * e];
        System.arraycopy(st.output(), 0, both, 0, e);
        System.arraycopy(trace.parallel(), t * e, both, e, e);
        outputs.setData(both, 2, e, List.of("recurrent", "parallel"), idx, maxAbs(both), "%.3f");
        double d = 0;
        for (int i = 0; i < e; i++) {
            d = Math.max(d, Math.abs(st.output()[i] - trace.parallel()[t * e + i]));
        }
        maxDiff.setText(String.format(Locale.ROOT, "max |recurrent - parallel| at t = %d: %.1e (over all positions: %.1e)",
                t, d, trace.maxAbsDifference()));
        drawMemory(t + 1, e, tokens.length);
    }

    private static double maxAbs(double[] a) {
        double m = 1e-12;
        for (double x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private void drawMemory(int tokensRead, int e, int total) {
        GraphicsContext g = memoryChart.getGraphicsContext2D();
        double w = memoryChart.getWidth(), h = memoryChart.getHeight(), l = 48, r = 10, top = 10, b = 28;
        g.clearRect(0, 0, w, h);
        long rnn = LinearAttentionRecurrence.recurrentStateSize(e), kvMax = LinearAttentionRecurrence.kvCacheSize(total, e);
        double yMax = Math.max(rnn, kvMax) * 1.1;
        g.setStroke(Color.web("#94a3b8"));
        g.strokeRect(l, top, w - l - r, h - top - b);
        java.util.function.DoubleUnaryOperator x = n -> l + n / total * (w - l - r);
        java.util.function.DoubleUnaryOperator y = v -> top + (1 - v / yMax) * (h - top - b);
        g.setLineWidth(2);
        g.setStroke(Color.web("#dc2626"));
        g.strokeLine(x.applyAsDouble(0), y.applyAsDouble(0), x.applyAsDouble(total), y.applyAsDouble(kvMax));
        g.setStroke(Color.web("#2563eb"));
        g.strokeLine(x.applyAsDouble(0), y.applyAsDouble(rnn), x.applyAsDouble(total), y.applyAsDouble(rnn));
        g.setStroke(Color.web("#f59e0b"));
        g.strokeLine(x.applyAsDouble(tokensRead), top, x.applyAsDouble(tokensRead), h - b);
        g.setLineWidth(1);
        g.setFont(Font.font("System", 11));
        g.setFill(Color.web("#334155"));
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(Long.toString((long) yMax), l - 4, top);
        g.fillText("0", l - 4, h - b);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        g.fillText("tokens read (1 to " + total + ")", l + (w - l - r) / 2, h - b + 6);
        memory.setText(String.format(Locale.ROOT, "After %d tokens: recurrent state %d numbers (E\u00b2 + E, blue, constant); "
                        + "a softmax KV cache %d numbers (2 t E, red, growing)", tokensRead, rnn,
                LinearAttentionRecurrence.kvCacheSize(tokensRead, e)));
        memory.setWrapText(true);
        memory.setMaxWidth(w);
    }
}
