package org.attnlab.app.probe;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.attnlab.app.common.Icons;
import org.attnlab.app.common.Styles;

/** The probe example: a text field (Enter uses it), a button for a new random example, and the inline error. */
public final class ProbeView extends VBox {

    /** @param vm the probe view model */
    public ProbeView(ProbeViewModel vm) {
        setSpacing(4);
        Label title = new Label("Probe");
        title.getStyleClass().add(Styles.PANEL_TITLE);
        TextField field = new TextField();
        field.setId(Styles.PROBE_FIELD);
        field.setPromptText("tokens separated by spaces, then Enter");
        field.textProperty().bindBidirectional(vm.textProperty());
        field.setOnAction(e -> vm.submit());
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(vm.vocabularyProperty());
        tip.setWrapText(true);
        tip.setMaxWidth(420);
        field.setTooltip(tip);
        HBox.setHgrow(field, Priority.ALWAYS);
        Button use = new Button("Use");
        use.setOnAction(e -> vm.submit());
        use.setTooltip(new Tooltip("Run the model on the typed tokens (Enter)"));
        Button fresh = new Button("New example", Icons.icon(Icons.DICE));
        fresh.setId(Styles.NEW_PROBE_BUTTON);
        fresh.setOnAction(e -> vm.regenerate());
        fresh.setTooltip(new Tooltip("Draw another example from the task"));
        HBox row = new HBox(8, title, field, use, fresh);
        for (javafx.scene.control.Control c : new javafx.scene.control.Control[] {title, use, fresh}) {
            c.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);   // the field gives way to large type, not these
        }
        field.setMinWidth(80);
        row.setAlignment(Pos.CENTER_LEFT);
        Label error = new Label();
        error.setId(Styles.PROBE_ERROR);
        error.getStyleClass().add(Styles.INLINE_ERROR);
        error.textProperty().bind(vm.errorProperty());
        error.managedProperty().bind(error.textProperty().isNotEmpty());
        error.visibleProperty().bind(error.managedProperty());
        vm.errorProperty().addListener((o, a, b) -> field.pseudoClassStateChanged(
                javafx.css.PseudoClass.getPseudoClass("danger"), !b.isEmpty()));
        getChildren().addAll(row, error);
    }
}
