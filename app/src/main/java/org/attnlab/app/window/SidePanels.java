package org.attnlab.app.window;

import java.util.Objects;
import javafx.beans.property.ObjectProperty;
import javafx.scene.Node;

/**
 * The window's side panels, for a feature that rearranges them (classroom mode hides them or puts
 * the lesson beside the view): what is on the left (the setup sidebar), on the right (the selected
 * head and the predictions) and at the bottom (the status bar). Setting one to null removes it.
 *
 * @param left   the left panel
 * @param right  the right panel
 * @param bottom the bottom panel
 */
public record SidePanels(ObjectProperty<Node> left, ObjectProperty<Node> right, ObjectProperty<Node> bottom) {
    /** @throws NullPointerException if an argument is null */
    public SidePanels {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        Objects.requireNonNull(bottom, "bottom");
    }
}
