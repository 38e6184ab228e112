package org.attnlab.app.window;

/**
 * A part of the window that adds views (tabs), menus and keyboard shortcuts: the training tab, the
 * views inside the model, the interventions, the lessons and classroom mode. A feature knows the
 * window only through the {@link WindowContext} it is given, never the window's layout, and no
 * other feature: the composition root ({@code AttnLabWindow}) lists the features in order and is
 * the one place that knows them all.
 *
 * <p>Order: tabs and menus appear in the order the features are listed, each feature's in the
 * order it gives them. Keys go to the features listed <em>last</em> first, so a feature layered
 * over the window (lessons, whose classroom mode steps the lesson with the arrow keys) can claim a
 * key before the training keys beneath it (where Right takes a training step).
 */
public interface Feature {
    /**
     * Builds the feature's view models and views against the window. Called once per window, on
     * the JavaFX thread, after the window's frame (menu bar, transport, sidebar, status bar) and
     * scene exist and before the window is shown.
     *
     * @param window what the feature may use of the window
     * @return the tabs, menus and shortcuts it adds
     */
    Contribution install(WindowContext window);

    /**
     * The window closes: stop what the feature started (JavaFX thread). Called once, in reverse
     * order of installation, after the frame timer stopped; the training thread is still there.
     */
    default void close() {
    }
}
