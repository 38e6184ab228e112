package org.attnlab.app.probe;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.attnlab.app.common.Format;
import org.attnlab.app.common.Styles;
import org.attnlab.app.training.TokenPrediction;

/** The model's prediction at each position of the probe: token, predicted token, probability, right or wrong. */
public final class PredictionsView extends VBox {

    /** @param vm the probe view model */
    public PredictionsView(ProbeViewModel vm) {
        getStyleClass().add(Styles.PANEL);
        setSpacing(6);
        setPadding(new Insets(8, 10, 8, 10));
        Label title = new Label("Predictions on the probe");
        title.getStyleClass().add(Styles.PANEL_TITLE);
        Label summary = new Label();
        summary.getStyleClass().add(Styles.HINT);
        summary.textProperty().bind(vm.summaryProperty());
        CheckBox only = new CheckBox("scored only");
        only.selectedProperty().bindBidirectional(vm.onlyScoredProperty());
        only.setTooltip(new Tooltip("Show only the positions the task scores (where a target exists)"));
        only.setFocusTraversable(false);

        TableView<TokenPrediction> table = new TableView<>(vm.predictions());
        table.setId(Styles.PREDICTIONS_TABLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("no predictions yet"));
        table.setFocusTraversable(false);
        table.getColumns().add(column("pos", 40, p -> Integer.toString(p.position())));
        table.getColumns().add(column("token", 58, TokenPrediction::token));
        table.getColumns().add(column("predicted", 86, TokenPrediction::predicted));
        table.getColumns().add(column("prob.", 64, p -> Format.percent(p.probability())));
        table.getColumns().add(column("target", 60, p -> p.scored() ? p.expected() : ""));
        TableColumn<TokenPrediction, TokenPrediction> verdict = new TableColumn<>("");
        verdict.setPrefWidth(34);
        verdict.setSortable(false);
        verdict.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        verdict.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(TokenPrediction p, boolean empty) {
                super.updateItem(p, empty);
                getStyleClass().removeAll(Styles.RIGHT, Styles.WRONG);
                if (empty || p == null || !p.scored()) {
                    setText(null);
                } else {
                    setText(p.correct() ? "\u2713" : "\u2717");
                    getStyleClass().add(p.correct() ? Styles.RIGHT : Styles.WRONG);
                }
            }
        });
        table.getColumns().add(verdict);
        VBox.setVgrow(table, Priority.ALWAYS);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox line = new HBox(8, summary, gap, only);
        line.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        getChildren().addAll(title, line, table);
    }

    private static TableColumn<TokenPrediction, String> column(String name, double width,
                                                          java.util.function.Function<TokenPrediction, String> value) {
        TableColumn<TokenPrediction, String> c = new TableColumn<>(name);
        c.setPrefWidth(width);
        c.setSortable(false);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return c;
    }
}
