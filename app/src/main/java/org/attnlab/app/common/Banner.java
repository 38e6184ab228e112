package org.attnlab.app.common;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** A one-line message with buttons, shown across the window below the transport bar. */
public final class Banner {
    private Banner() {
    }

    /**
     * @param id      the banner's id; its label gets {@code id + "Message"}
     * @param text    the message (wraps if long)
     * @param buttons what the user can do
     * @return the banner node (style class {@code session-banner})
     */
    public static Node of(String id, String text, Button... buttons) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.setId(id + "Message");
        l.setMinHeight(Region.USE_PREF_SIZE);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox.setHgrow(l, Priority.SOMETIMES);
        HBox box = new HBox(8, l, grow);
        box.getChildren().addAll(buttons);
        box.setAlignment(Pos.CENTER_LEFT);
        box.setPadding(new Insets(6, 12, 6, 12));
        box.getStyleClass().add("session-banner");
        box.setId(id);
        return box;
    }

    /** @return a button with that text and id that runs {@code action} */
    public static Button button(String text, String id, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setMinWidth(Region.USE_PREF_SIZE);
        b.setOnAction(e -> action.run());
        return b;
    }
}
