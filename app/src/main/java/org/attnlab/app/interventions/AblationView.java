package org.attnlab.app.interventions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.util.StringConverter;
import org.attnlab.app.common.Styles;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.intervene.HeadAblation;
import org.attnlab.engine.intervene.HeadAblation.Head;
import org.attnlab.engine.intervene.HeadAblation.Mode;
import org.attnlab.engine.train.Trainer;

/**
 * Head ablation: click heads to zero- or mean-ablate them together; the held-out loss and the
 * task's headline metric with and without them show at once, and follow training while it
 * runs. Below, the whole-model table: the metric drop when each head alone is ablated (click a
 * cell to toggle that head). Everything is computed in the background on the snapshot's
 * parameter copy, over {@value #MAX_BATCH} held-out sequences drawn with the metric curve's seed
 * ({@link Trainer#EVAL_SEED});
 * mean ablation replaces a head's z by its mean over that batch at the same position. The
 * selection, the batch and the jobs are the {@link AblationViewModel}'s; this view binds and draws.
 */
public final class AblationView extends InterventionPane {
    /**
     * Held-out sequences the ablations run on (drawn with the metric curve's seed). A
     * forward pass keeps every activation of its batch (LEGO's 4-layer preset: about 1 MB per
     * sequence), and the table runs one per head, next to training: 64 keeps that to tens of MB
     * and a fraction of a core, with the metric still resolved to a fraction of a percent.
     */
    public static final int MAX_BATCH = 64;

    private final AblationViewModel vm = new AblationViewModel();
    private final ChoiceBox<Mode> mode = new ChoiceBox<>();
    private final GridPane heads = new GridPane();
    private final Label intactLoss = value("ablationIntactLoss"), ablatedLoss = value("ablationAblatedLoss"),
            intactMetric = value("ablationIntactMetric"), ablatedMetric = value("ablationAblatedMetric"),
            lossChange = value("ablationLossChange"), metricChange = value("ablationMetricChange");
    private final Label metricName = new Label("metric");
    private final ValueGrid table = new ValueGrid();
    private final Label tableCaption = new Label();
    private ToggleButton[][] toggles = new ToggleButton[0][0];

    /** @param snapshots the window's snapshots */
    public AblationView(ObservableValue<TrainingSnapshot> snapshots) {
        super(snapshots, "Head ablation", "Click heads to knock them out: zero ablation sets their output z to 0, "
                + "mean ablation to its average over the held-out batch at each position. Loss and metric are on "
                + "the held-out batch; they follow training while it runs.");
        setId("ablationView");
        mode.getItems().addAll(Mode.ZERO, Mode.MEAN);
        mode.setConverter(new StringConverter<>() {
            @Override
            public String toString(Mode m) {
                return m == Mode.MEAN ? "Mean ablation" : "Zero ablation";
            }

            @Override
            public Mode fromString(String s) {
                return "Mean ablation".equals(s) ? Mode.MEAN : Mode.ZERO;
            }
        });
        mode.valueProperty().bindBidirectional(vm.modeProperty());
        mode.setId("ablationMode");
        Button clear = new Button("Clear");
        clear.setId("ablationClear");
        clear.setOnAction(e -> vm.clear());
        HBox controls = new HBox(10, new Label("Mode"), mode, clear);
        controls.setAlignment(Pos.CENTER_LEFT);
        heads.setHgap(4);
        heads.setVgap(4);
        heads.setId("ablationHeads");
        GridPane readout = new GridPane();
        readout.setHgap(18);
        readout.setVgap(4);
        readout.addRow(0, new Label(""), heading("intact"), heading("ablated"), heading("change"));
        readout.addRow(1, new Label("held-out loss"), intactLoss, ablatedLoss, lossChange);
        readout.addRow(2, metricName, intactMetric, ablatedMetric, metricChange);
        table.setId("ablationTable");
        table.setMaxCell(72);
        table.setMaxWidth(Region.USE_PREF_SIZE);
        table.setOnCellClicked((l, h) -> vm.toggle(new Head(l, h)));
        tableCaption.setWrapText(true);
        getChildren().addAll(controls, heading("Heads (click to ablate)"), heads, readout,
                heading("Metric drop when each head alone is ablated"), tableCaption, table);
        vm.layersProperty().addListener((o, a, b) -> buildToggles());
        vm.headsProperty().addListener((o, a, b) -> buildToggles());
        vm.selectedHeads().addListener((ListChangeListener<Head>) c -> syncToggles());
        vm.comparisonProperty().addListener((o, a, c) -> {
            if (c != null) {
                showComparison(c);
            } else {
                clearComparison();
            }
        });
        vm.tableProperty().addListener((o, a, t) -> {
            if (t != null) {
                showTable(t);
            } else {
                // a new run: nothing of the old model stays on screen while the new table computes
                table.setData(new double[0], 0, 0, List.of(), List.of(), 1, "%+.3f");
                tableCaption.setText("Computing the table for this model\u2026");
            }
        });
        vm.errorProperty().addListener((o, a, e) -> showError(e));
    }

    private static Label value(String id) {
        Label l = new Label("\u2014");
        l.setId(id);
        l.setMinWidth(70);
        return l;
    }

    /** @return the view's model */
    public AblationViewModel viewModel() {
        return vm;
    }

    /** @return the heads ablated together, in the order clicked */
    public List<Head> selectedHeads() {
        return List.copyOf(vm.selectedHeads());
    }

    /** @return the comparison shown, or null */
    public HeadAblation.Comparison comparison() {
        return vm.comparisonProperty().get();
    }

    /** @return the whole-model table shown, or null */
    public HeadAblation.Table table() {
        return vm.tableProperty().get() == null ? null : vm.tableProperty().get().table();
    }

    /** @return the table's heatmap */
    public ValueGrid tableGrid() {
        return table;
    }

    /** @return the mode selected */
    public Mode mode() {
        return vm.modeProperty().get();
    }

    /** Selects zero or mean ablation. */
    public void setMode(Mode m) {
        vm.modeProperty().set(m);
    }

    /** Ablates head {@code h} if it is not, else restores it. */
    public void toggle(Head h) {
        vm.toggle(h);
    }

    /** @return whether the results shown belong to the newest snapshot, selection and mode */
    public boolean upToDate() {
        return vm.upToDate();
    }

    @Override
    protected void refresh(TrainingSnapshot s) {
        vm.update(s);
    }

    private void buildToggles() {
        int layers = vm.layersProperty().get(), nh = vm.headsProperty().get();
        if (toggles.length == layers && (layers == 0 || toggles[0].length == nh)) {
            return;
        }
        heads.getChildren().clear();
        toggles = new ToggleButton[layers][nh];
        for (int l = 0; l < layers; l++) {
            heads.add(new Label("layer " + l), 0, l);
            for (int h = 0; h < nh; h++) {
                Head hd = new Head(l, h);
                ToggleButton b = new ToggleButton("H" + h);
                b.setId("ablate-L" + l + "H" + h);
                b.setFocusTraversable(false);
                b.setOnAction(e -> vm.toggle(hd));
                toggles[l][h] = b;
                heads.add(b, h + 1, l);
            }
        }
        syncToggles();
    }

    private void syncToggles() {
        boolean[] marks = new boolean[toggles.length * (toggles.length == 0 ? 0 : toggles[0].length)];
        for (int l = 0; l < toggles.length; l++) {
            for (int h = 0; h < toggles[l].length; h++) {
                boolean on = vm.selectedHeads().contains(new Head(l, h));
                toggles[l][h].setSelected(on);
                toggles[l][h].getStyleClass().remove(Styles.ABLATED);
                if (on) {
                    toggles[l][h].getStyleClass().add(Styles.ABLATED);
                }
                marks[l * toggles[l].length + h] = on;
            }
        }
        if (table.rows() * table.cols() == marks.length) {
            table.setMarked(marks);
        }
    }

    private void showComparison(HeadAblation.Comparison c) {
        String name = c.intact().metrics().headlineName();
        metricName.setText("held-out " + name);
        intactLoss.setText(fmt(c.intact().loss()));
        ablatedLoss.setText(fmt(c.ablated().loss()));
        lossChange.setText(signed(c.lossIncrease()));
        intactMetric.setText(fmt(c.intact().metrics().headline()));
        ablatedMetric.setText(fmt(c.ablated().metrics().headline()));
        metricChange.setText(signed(-c.metricDrop()));
    }

    private void clearComparison() {
        for (Label l : new Label[] {intactLoss, ablatedLoss, lossChange, intactMetric, ablatedMetric, metricChange}) {
            l.setText("\u2014");
        }
    }

    private void showTable(AblationViewModel.TableResult r) {
        HeadAblation.Table t = r.table();
        double[][] drop = t.metricDrop();
        int layers = drop.length, nh = layers == 0 ? 0 : drop[0].length;
        double[] flat = new double[layers * nh];
        double max = 0.05;
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < nh; h++) {
                flat[l * nh + h] = drop[l][h];
                max = Math.max(max, Math.abs(drop[l][h]));
            }
        }
        List<String> rows = new ArrayList<>(), cols = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            rows.add("layer " + l);
        }
        for (int h = 0; h < nh; h++) {
            cols.add("head " + h);
        }
        table.setData(flat, layers, nh, rows, cols, max, "%+.3f");
        syncToggles();
        tableCaption.setText(String.format(Locale.ROOT, "Step %,d \u00b7 %s over %d held-out sequences \u00b7 intact %s "
                        + "= %s \u00b7 blue: the metric falls without the head (it helps), red: it rises \u00b7 outlined: "
                        + "ablated above", r.step(), r.mode() == Mode.MEAN ? "mean ablation" : "zero ablation", r.batch(),
                t.intact().metrics().headlineName(), fmt(t.intact().metrics().headline())));
    }

    private static String fmt(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }

    private static String signed(double x) {
        return String.format(Locale.ROOT, "%+.4f", x);
    }
}
