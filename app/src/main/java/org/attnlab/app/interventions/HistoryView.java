package org.attnlab.app.interventions;

import java.util.List;
import java.util.Locale;
import javafx.beans.InvalidationListener;
import javafx.beans.property.ReadOnlyIntegerProperty;
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
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.train.TrainingHistory;

/**
 * The training history: a timeline slider scrubs through the recorded moments; the probe's
 * attention at that moment, its losses and metric, and a cursor on the curves show it; a second
 * slider picks a moment to compare side by side; red markers flag phase changes (sharp loss drops
 * after a plateau). "Show in the attention grid" pins the moment in the Training tab's grid and
 * large head view. "Follow training" keeps the timeline at the newest moment. The state is the
 * {@link HistoryViewModel}'s; this view binds and draws.
 */
public final class HistoryView extends InterventionPane {
    private final HistoryViewModel vm;
    private final Slider sliderA = new Slider(0, 0, 0), sliderB = new Slider(0, 0, 0);
    private final CheckBox follow = new CheckBox("Follow training"), compare = new CheckBox("Compare with"),
            pin = new CheckBox("Show in the attention grid (Training tab)");
    private final Label infoA = new Label(), infoB = new Label(), summary = new Label();
    private final MomentGrid gridA = new MomentGrid("historyGridA"), gridB = new MomentGrid("historyGridB");
    private final HistoryChart chart = new HistoryChart();
    private boolean adjusting;

    /**
     * @param snapshots the window's snapshots
     * @param attention the Training tab's attention grid, to pin a moment in
     */
    public HistoryView(ObservableValue<TrainingSnapshot> snapshots, AttentionViewModel attention) {
        super(snapshots, "Training history", "Every few steps the window records the probe's attention, the losses and "
                + "the metric (the interval doubles as the run grows, so memory stays bounded). Drag the timeline or "
                + "click the curves to go back in time; saved with the checkpoint.");
        vm = new HistoryViewModel(attention);
        setId("historyView");
        sliderA.setId("historySlider");
        sliderB.setId("historySliderB");
        follow.setId("historyFollow");
        compare.setId("historyCompare");
        pin.setId("historyPin");
        infoA.setId("historyInfoA");
        infoB.setId("historyInfoB");
        summary.setId("historySummary");
        follow.selectedProperty().bindBidirectional(vm.followProperty());
        compare.selectedProperty().bindBidirectional(vm.compareProperty());
        pin.selectedProperty().bindBidirectional(vm.pinProperty());
        for (Slider s : List.of(sliderA, sliderB)) {
            s.setBlockIncrement(1);
            s.setMajorTickUnit(1);
            s.setSnapToTicks(true);
            s.setMinorTickCount(0);
            HBox.setHgrow(s, Priority.ALWAYS);
            s.setMaxWidth(Double.MAX_VALUE);
        }
        sliderA.valueProperty().addListener((o, a, b) -> {
            if (!adjusting) {
                vm.select((int) Math.round(b.doubleValue()));
            }
        });
        sliderB.valueProperty().addListener((o, a, b) -> {
            if (!adjusting) {
                vm.compareWith((int) Math.round(b.doubleValue()));
            }
        });
        InvalidationListener redraw = o -> showMoments();
        vm.timelineProperty().addListener(redraw);
        vm.shownProperty().addListener(redraw);
        vm.comparedProperty().addListener(redraw);
        vm.compareProperty().addListener(redraw);
        chart.setOnPick(vm::select);
        summary.textProperty().bind(vm.summaryProperty());
        infoA.textProperty().bind(vm.shownTextProperty());
        infoB.textProperty().bind(vm.comparedTextProperty());
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

    /** @return the view's model */
    public HistoryViewModel viewModel() {
        return vm;
    }

    /** Shows moment {@code i} (clamped) and stops following training unless it is the newest. */
    public void select(int i) {
        vm.select(i);
    }

    /** Compares with moment {@code i}. */
    public void compareWith(int i) {
        vm.compareWith(i);
    }

    /** @return the moments on the timeline */
    public List<TrainingHistory.Moment> moments() {
        return vm.timelineProperty().get().moments();
    }

    /** @return the index of the moment shown */
    public int selectedIndex() {
        return vm.shownProperty().get();
    }

    /** @return the indices marked as phase changes */
    public List<Integer> phaseChanges() {
        return vm.timelineProperty().get().phases();
    }

    /** @return the heatmap of head (l, h) at the moment shown (B: the compared one) */
    public org.attnlab.app.attention.HeatmapView heatmap(boolean compared, int l, int h) {
        return (compared ? gridB : gridA).heatmap(l, h);
    }

    @Override
    protected void refresh(TrainingSnapshot s) {
        vm.update(s);
    }

    private void showMoments() {
        HistoryViewModel.Timeline t = vm.timelineProperty().get();
        List<TrainingHistory.Moment> moments = t.moments();
        int a = vm.shownProperty().get(), b = vm.comparedProperty().get();
        adjusting = true;
        sliderA.setMax(Math.max(0, moments.size() - 1));
        sliderB.setMax(Math.max(0, moments.size() - 1));
        set(sliderA, vm.shownProperty());
        set(sliderB, vm.comparedProperty());
        adjusting = false;
        boolean any = !moments.isEmpty() && t.vocab() != null;
        TrainingHistory.Moment ma = vm.shownMoment(), mb = vm.comparedMoment();
        chart.show(moments, t.phases(), any ? a : -1, any && vm.compareProperty().get() ? b : -1);
        if (any) {
            gridA.show(ma, "Step " + String.format(Locale.ROOT, "%,d", ma.step()), t.vocab());
            if (vm.compareProperty().get()) {
                gridB.show(mb, "Step " + String.format(Locale.ROOT, "%,d", mb.step()), t.vocab());
            }
        }
    }

    private static void set(Slider s, ReadOnlyIntegerProperty index) {
        if ((int) Math.round(s.getValue()) != index.get()) {
            s.setValue(index.get());
        }
    }
}
