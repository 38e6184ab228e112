package org.attnlab.app.interventions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.attnlab.app.attention.AttentionViewModel;
import org.attnlab.app.common.Styles;
import org.attnlab.app.training.ProbeResult;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.tasks.Vocabulary;
import org.attnlab.engine.train.TrainingHistory;

/**
 * The training history: a timeline slider scrubs through the recorded moments; the probe's
 * attention at that moment, its losses and metric, and a cursor on the curves show it; a second
 * slider picks a moment to compare side by side; red markers flag phase changes (sharp loss drops
 * after a plateau). "Show in the attention grid" pins the moment in the Training tab's grid and
 * large head view. "Follow training" keeps the timeline at the newest moment.
 */
public final class HistoryView extends InterventionPane {
    /** Least relative drop of the interval-mean loss marked as a phase change. */
    static final double PHASE_DROP = 0.1;

    private final AttentionViewModel attention;
    private final Slider sliderA = new Slider(0, 0, 0), sliderB = new Slider(0, 0, 0);
    private final CheckBox follow = new CheckBox("Follow training"), compare = new CheckBox("Compare with"),
            pin = new CheckBox("Show in the attention grid (Training tab)");
    private final Label infoA = new Label(), infoB = new Label(), summary = new Label();
    private final MomentGrid gridA = new MomentGrid("historyGridA"), gridB = new MomentGrid("historyGridB");
    private final HistoryChart chart = new HistoryChart();
    private List<TrainingHistory.Moment> moments = List.of();
    private List<Integer> phases = List.of();
    private Vocabulary vocab;
    private boolean adjusting;

    /**
     * @param snapshots the window's snapshots
     * @param attention the Training tab's attention grid, to pin a moment in
     */
    public HistoryView(ObservableValue<TrainingSnapshot> snapshots, AttentionViewModel attention) {
        super(snapshots, "Training history", "Every few steps the window records the probe's attention, the losses and "
                + "the metric (the interval doubles as the run grows, so memory stays bounded). Drag the timeline or "
                + "click the curves to go back in time; saved with the checkpoint.");
        this.attention = attention;
        setId("historyView");
        sliderA.setId("historySlider");
        sliderB.setId("historySliderB");
        follow.setId("historyFollow");
        compare.setId("historyCompare");
        pin.setId("historyPin");
        infoA.setId("historyInfoA");
        infoB.setId("historyInfoB");
        summary.setId("historySummary");
        follow.setSelected(true);
        for (Slider s : List.of(sliderA, sliderB)) {
            s.setBlockIncrement(1);
            s.setMajorTickUnit(1);
            s.setSnapToTicks(true);
            s.setMinorTickCount(0);
            HBox.setHgrow(s, Priority.ALWAYS);
            s.setMaxWidth(Double.MAX_VALUE);
            s.valueProperty().addListener((o, a, b) -> {
                if (!adjusting) {
                    if (s == sliderA && (int) Math.round(b.doubleValue()) != moments.size() - 1) {
                        follow.setSelected(false);
                    }
                    showMoments();
                }
            });
        }
        follow.selectedProperty().addListener((o, a, on) -> {
            if (on) {
                select(moments.size() - 1);
            }
        });
        compare.selectedProperty().addListener((o, a, on) -> showMoments());
        pin.selectedProperty().addListener((o, a, on) -> showMoments());
        chart.setOnPick(this::select);
        HBox timeline = new HBox(10, new Label("Moment"), sliderA, follow);
        timeline.setAlignment(Pos.CENTER_LEFT);
        HBox other = new HBox(10, compare, sliderB);
        other.setAlignment(Pos.CENTER_LEFT);
        sliderB.disableProperty().bind(compare.selectedProperty().not());
        gridB.visibleProperty().bind(compare.selectedProperty());
        gridB.managedProperty().bind(compare.selectedProperty());
        infoB.visibleProperty().bind(compare.selectedProperty());
        infoB.managedProperty().bind(compare.selectedProperty());
        FlowPane grids = new FlowPane(28, 10, gridA, gridB);
        infoA.setWrapText(true);
        infoB.setWrapText(true);
        infoA.getStyleClass().add(Styles.MOMENT_A);
        infoB.getStyleClass().add(Styles.MOMENT_B);
        getChildren().addAll(summary, timeline, other, pin, chart, infoA, infoB, grids);
    }

    /** Shows moment {@code i} (clamped) and stops following training unless it is the newest. */
    public void select(int i) {
        if (moments.isEmpty()) {
            return;
        }
        int k = Math.max(0, Math.min(moments.size() - 1, i));
        sliderA.setValue(k);
        showMoments();
    }

    /** Compares with moment {@code i}. */
    public void compareWith(int i) {
        compare.setSelected(true);
        sliderB.setValue(Math.max(0, Math.min(moments.size() - 1, i)));
        showMoments();
    }

    /** @return the moments on the timeline */
    public List<TrainingHistory.Moment> moments() {
        return moments;
    }

    /** @return the index of the moment shown */
    public int selectedIndex() {
        return (int) Math.round(sliderA.getValue());
    }

    /** @return the indices marked as phase changes */
    public List<Integer> phaseChanges() {
        return phases;
    }

    /** @return the heatmap of head (l, h) at the moment shown (B: the compared one) */
    public org.attnlab.app.attention.HeatmapView heatmap(boolean compared, int l, int h) {
        return (compared ? gridB : gridA).heatmap(l, h);
    }

    @Override
    protected void refresh(TrainingSnapshot s) {
        List<TrainingHistory.Moment> m = s.history() == null ? List.of() : s.history();
        vocab = s.setup().task().vocabulary();
        if (m == moments) {
            return;
        }
        long stepA = moments.isEmpty() ? -1 : moments.get(selectedIndex()).step();
        long stepB = moments.isEmpty() ? -1 : moments.get((int) Math.round(sliderB.getValue())).step();
        moments = m;
        phases = Collections.unmodifiableList(new ArrayList<>(TrainingHistory.phaseChanges(m, PHASE_DROP)));
        adjusting = true;
        sliderA.setMax(Math.max(0, m.size() - 1));
        sliderB.setMax(Math.max(0, m.size() - 1));
        sliderA.setValue(follow.isSelected() ? m.size() - 1 : nearest(stepA));
        sliderB.setValue(nearest(stepB));
        adjusting = false;
        showMoments();
    }

    /** @return the index of the moment closest to {@code step} (0 if none) */
    private int nearest(long step) {
        int best = 0;
        for (int i = 0; i < moments.size(); i++) {
            if (Math.abs(moments.get(i).step() - step) < Math.abs(moments.get(best).step() - step)) {
                best = i;
            }
        }
        return best;
    }

    private void showMoments() {
        int a = selectedIndex(), b = (int) Math.round(sliderB.getValue());
        boolean any = !moments.isEmpty() && vocab != null;
        TrainingHistory.Moment ma = any ? moments.get(Math.min(a, moments.size() - 1)) : null;
        TrainingHistory.Moment mb = any ? moments.get(Math.min(b, moments.size() - 1)) : null;
        chart.show(moments, phases, any ? a : -1, any && compare.isSelected() ? b : -1);
        long k = interval();
        summary.setText(any ? String.format(Locale.ROOT, "%d moments from step %,d to %,d, one every %s now; %d "
                        + "phase change%s marked", moments.size(), moments.get(0).step(),
                moments.get(moments.size() - 1).step(), k == 1 ? "step" : String.format(Locale.ROOT, "%,d steps", k),
                phases.size(), phases.size() == 1 ? "" : "s")
                : "Nothing recorded yet.");
        infoA.setText(describe("Shown", ma));
        infoB.setText(describe("Compared", mb));
        if (any) {
            gridA.show(ma, "Step " + String.format(Locale.ROOT, "%,d", ma.step()), vocab);
            if (compare.isSelected()) {
                gridB.show(mb, "Step " + String.format(Locale.ROOT, "%,d", mb.step()), vocab);
            }
        }
        attention.pin(pin.isSelected() && ma != null ? probeResult(ma) : null);
    }

    private long interval() {
        return moments.size() < 2 ? 0 : moments.get(moments.size() - 1).step() - moments.get(moments.size() - 2).step();
    }

    private String describe(String what, TrainingHistory.Moment m) {
        if (m == null) {
            return "";
        }
        boolean phase = phases.contains(moments.indexOf(m));
        return String.format(Locale.ROOT, "%s: step %,d \u00b7 training loss %.4f (mean of %d steps) \u00b7 held-out loss "
                        + "%s \u00b7 held-out %s %s%s%s", what, m.step(), m.trainLoss(), m.lossCount(), num(m.evalLoss()),
                moments.isEmpty() ? "metric" : metricName(), num(m.metric()), m.params() != null ? " \u00b7 parameters kept" : "",
                phase ? " \u00b7 PHASE CHANGE" : "");
    }

    private String metricName() {
        TrainingSnapshot s = snapshots.getValue();
        return s == null || s.metricName() == null ? "metric" : s.metricName();
    }

    private static String num(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.4f", x) : "\u2014";
    }

    private ProbeResult probeResult(TrainingHistory.Moment m) {
        List<String> tokens = new ArrayList<>();
        for (int id : m.tokens()) {
            tokens.add(id < vocab.size() ? vocab.token(id) : "<" + id + ">");
        }
        double[][][] p = new double[m.layers()][m.heads()][];
        for (int l = 0; l < m.layers(); l++) {
            for (int h = 0; h < m.heads(); h++) {
                p[l][h] = m.pattern(l, h);
            }
        }
        int[] none = new int[m.length()];
        java.util.Arrays.fill(none, -1);
        return new ProbeResult(-m.step() - 1, m.step(), List.copyOf(tokens), p, List.of(), m.tokens(), none, m.params());
    }
}
