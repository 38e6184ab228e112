package org.attnlab.app.window;

import java.util.Locale;
import java.util.Objects;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Node;

/**
 * A view a feature shows as a tab below the probe. The window binds {@code showing} to the tab's
 * selection: a view draws (and its view model computes) only while it is on screen.
 *
 * @param name    the tab's label, also how lessons and the autosave name the view ("Step-through")
 * @param content the view
 * @param showing true while the tab is selected (bound by the window; read it, do not set it)
 */
public record ViewTab(String name, Node content, BooleanProperty showing) {
    /** @throws NullPointerException if an argument is null */
    public ViewTab {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(showing, "showing");
    }

    /** @return a tab of that name and content with a fresh {@code showing} property */
    public static ViewTab of(String name, Node content) {
        return new ViewTab(name, content, new SimpleBooleanProperty(content, "showing"));
    }

    /** @return the tab's node id: {@code "view-"} and the name in lower case with dashes ({@code view-step-through}) */
    public String id() {
        return idOf(name);
    }

    /** @return the node id of the tab named {@code name} */
    public static String idOf(String name) {
        return "view-" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
