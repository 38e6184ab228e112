package org.attnlab.app.interventions;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.attnlab.app.common.Styles;
import org.attnlab.app.training.TrainingSnapshot;

/**
 * What the intervention views share: a title, a hint, an error line, the window's snapshots, and
 * refreshing only while the view's tab is showing (a view that becomes visible catches up at once).
 */
abstract class InterventionPane extends VBox {
    protected final ObservableValue<TrainingSnapshot> snapshots;
    protected final Label title = new Label();
    protected final Label hint = new Label();
    protected final Label error = new Label();
    private final BooleanProperty showing = new SimpleBooleanProperty(this, "showing");

    InterventionPane(ObservableValue<TrainingSnapshot> snapshots, String titleText, String hintText) {
        this.snapshots = snapshots;
        getStyleClass().add(Styles.INTERVENTION_VIEW);
        setSpacing(8);
        setPadding(new Insets(8, 10, 8, 10));
        title.setText(titleText);
        title.getStyleClass().add(Styles.PANEL_TITLE);
        hint.setText(hintText);
        hint.getStyleClass().add(Styles.HINT);
        hint.setWrapText(true);
        hint.setMinHeight(Region.USE_PREF_SIZE);
        error.getStyleClass().add(Styles.INLINE_ERROR);
        error.setWrapText(true);
        error.setManaged(false);
        error.setVisible(false);
        getChildren().addAll(title, hint, error);
        snapshots.addListener((o, a, s) -> {
            if (showing.get() && s != null) {
                refresh(s);
            }
        });
        showing.addListener((o, a, on) -> {
            if (on && snapshots.getValue() != null) {
                refresh(snapshots.getValue());
            }
        });
    }

    /** @return whether the view is on screen (bound to its tab's selection) */
    BooleanProperty showingProperty() {
        return showing;
    }

    /** Shows or clears (null) a one-line problem. */
    protected void showError(String message) {
        error.setText(message == null ? "" : message);
        error.setManaged(message != null);
        error.setVisible(message != null);
    }

    /** Recomputes for the newest snapshot if it changed what the view shows (JavaFX thread, while showing). */
    protected abstract void refresh(TrainingSnapshot s);

    /** Recomputes for the newest snapshot now (after a control changed). */
    protected void refreshNow() {
        TrainingSnapshot s = snapshots.getValue();
        if (showing.get() && s != null) {
            refresh(s);
        }
    }

    /** @return a bold heading */
    static Label heading(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(Styles.VIEW_HEADING);
        return l;
    }
}
