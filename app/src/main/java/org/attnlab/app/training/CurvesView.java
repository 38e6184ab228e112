package org.attnlab.app.training;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.util.StringConverter;
import org.attnlab.app.common.Styles;

/**
 * The curves: training and held-out loss, the held-out headline metric, and the task's metric
 * breakdown (e.g. LEGO accuracy per chain position) as bars. Curves arrive downsampled (at most
 * a few hundred points) and at most a few times a second.
 */
public final class CurvesView extends HBox {
    private static final java.text.NumberFormat STEPS = java.text.NumberFormat.getIntegerInstance(java.util.Locale.US);
    private final XYChart.Series<Number, Number> train = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> heldOut = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> metric = new XYChart.Series<>();
    private final XYChart.Series<String, Number> bars = new XYChart.Series<>();
    private final LineChart<Number, Number> metricChart;
    private final BarChart<String, Number> breakdownChart;
    private final NumberAxis metricAxis;

    /** @param vm the training view model */
    public CurvesView(TrainingViewModel vm) {
        setSpacing(8);
        train.setName("train");
        heldOut.setName("held-out");

        LineChart<Number, Number> loss = new LineChart<>(stepAxis(), new NumberAxis());
        loss.setId(Styles.LOSS_CHART);
        loss.setTitle("Loss");
        loss.getYAxis().setLabel("cross-entropy");
        loss.getData().addAll(List.of(train, heldOut));
        style(loss);

        metricAxis = new NumberAxis(0, 1, 0.25);
        metricAxis.setTickLabelFormatter(percent());
        metricChart = new LineChart<>(stepAxis(), metricAxis);
        metricChart.setId(Styles.METRIC_CHART);
        metricChart.getData().add(metric);
        metricChart.setLegendVisible(false);
        metricChart.setCreateSymbols(true);
        style(metricChart);

        CategoryAxis positions = new CategoryAxis();
        NumberAxis fraction = new NumberAxis(0, 1, 0.25);
        fraction.setTickLabelFormatter(percent());
        breakdownChart = new BarChart<>(positions, fraction);
        breakdownChart.setId(Styles.BREAKDOWN_CHART);
        breakdownChart.getData().add(bars);
        breakdownChart.setLegendVisible(false);
        breakdownChart.setCategoryGap(2);
        breakdownChart.setBarGap(0);
        fraction.setLabel("accuracy");
        style(breakdownChart);

        getChildren().addAll(loss, metricChart, breakdownChart);
        for (var chart : List.of(loss, metricChart, breakdownChart)) {
            HBox.setHgrow(chart, Priority.ALWAYS);
            chart.setPrefWidth(300);
            chart.setMinWidth(110);
        }

        vm.status().trainLossCurveProperty().addListener((o, a, c) -> fill(train, c));
        vm.status().evalLossCurveProperty().addListener((o, a, c) -> fill(heldOut, c));
        vm.status().metricCurveProperty().addListener((o, a, c) -> fillMetric(c));
        vm.metricNameProperty().addListener((o, a, n) -> metricChart.setTitle("Held-out " + readable(n)));
        metricChart.setTitle("Held-out " + readable(vm.metricNameProperty().get()));
        vm.status().breakdownProperty().addListener((o, a, b) -> fillBars(vm.status().breakdownNameProperty().get(), b));
        fillBars(null, null);
    }

    private static NumberAxis stepAxis() {
        NumberAxis x = new NumberAxis();
        x.setLabel("step");
        x.setForceZeroInRange(true);
        x.setMinorTickVisible(false);
        x.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number n) {
                double v = n.doubleValue();
                return v == Math.rint(v) ? STEPS.format((long) v) : "";
            }

            @Override
            public Number fromString(String s) {
                return Double.parseDouble(s.replace(",", ""));
            }
        });
        return x;
    }

    private static void style(XYChart<?, ?> chart) {
        chart.getStyleClass().add(Styles.CURVE_CHART);
        chart.setAnimated(false);
        if (chart instanceof LineChart<?, ?> line && chart.getId().equals(Styles.LOSS_CHART)) {
            line.setCreateSymbols(false);
        }
    }

    private static String readable(String name) {
        return name == null ? "metric" : name.replace('_', ' ');
    }

    private static StringConverter<Number> percent() {
        return new StringConverter<>() {
            @Override
            public String toString(Number n) {
                return Math.round(n.doubleValue() * 100) + "%";
            }

            @Override
            public Number fromString(String s) {
                return Double.parseDouble(s.replace("%", "")) / 100;
            }
        };
    }

    private static void fill(XYChart.Series<Number, Number> series, Curve c) {
        List<XYChart.Data<Number, Number>> points = new ArrayList<>(c.size());
        for (int i = 0; i < c.size(); i++) {
            points.add(new XYChart.Data<>(c.x()[i], c.y()[i]));
        }
        series.getData().setAll(points);
        if (series.getNode() != null) {
            // JavaFX 21 keeps drawing the old line of a cleared series (JDK-8283675, fixed in 22)
            series.getNode().setVisible(!points.isEmpty());
        }
    }

    private void fillMetric(Curve c) {
        boolean unit = true;
        for (double y : c.y()) {
            unit &= y >= 0 && y <= 1;
        }
        metricAxis.setAutoRanging(!unit);
        fill(metric, c);
    }

    private void fillBars(String name, double[] values) {
        if (values == null) {
            bars.getData().clear();
            breakdownChart.setTitle("By position");
            return;
        }
        boolean chain = name != null && name.contains("chain");
        java.util.regex.Matcher layer = java.util.regex.Pattern.compile("(.*)\\.L(\\d+)")
                .matcher(name == null ? "" : name);
        if (layer.matches()) {           // a score per head of one layer, e.g. induction_score.L1
            breakdownChart.setTitle("By head, layer " + layer.group(2));
            breakdownChart.getXAxis().setLabel("head");
            ((NumberAxis) breakdownChart.getYAxis()).setLabel(layer.group(1).replace('_', ' '));
        } else {
            breakdownChart.setTitle(chain ? "By chain position" : "By position");
            breakdownChart.getXAxis().setLabel(chain ? "chain position" : "position");
            ((NumberAxis) breakdownChart.getYAxis()).setLabel(name == null ? "" : name.replace("_per_chain_position", "")
                    .replace("_per_position", "").replace('_', ' '));
        }
        if (bars.getData().size() != values.length) {
            List<XYChart.Data<String, Number>> points = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                points.add(new XYChart.Data<>(Integer.toString(i), orZero(values[i])));
            }
            bars.getData().setAll(points);
        } else {
            for (int i = 0; i < values.length; i++) {
                bars.getData().get(i).setYValue(orZero(values[i]));
            }
        }
    }

    private static double orZero(double x) {
        return Double.isFinite(x) ? x : 0;
    }
}
