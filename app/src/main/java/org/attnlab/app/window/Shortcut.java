package org.attnlab.app.window;

import java.util.Objects;
import java.util.function.Predicate;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;

/**
 * A key a feature answers: when a pressed key matches {@code when}, {@code action} runs and the
 * key goes no further (not to later features, not to the focused control). The window tries the
 * shortcuts on the scene, after the views' own key filters (the step-through's arrow keys while
 * it has the focus).
 *
 * @param when   whether this shortcut takes the key (JavaFX thread)
 * @param action what the key does
 */
public record Shortcut(Predicate<KeyEvent> when, Runnable action) {
    /** @throws NullPointerException if an argument is null */
    public Shortcut {
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(action, "action");
    }

    /**
     * @return a key pressed without Ctrl/Cmd or Alt (Shift allowed), not while the user is typing in
     *     a text field: the training keys Space, Right, R
     */
    public static Shortcut plain(KeyCode key, Runnable action) {
        return new Shortcut(e -> e.getCode() == key && !e.isShortcutDown() && !e.isAltDown() && !typing(e), action);
    }

    /** @return whether the key goes to a text field (the focus owner, the key's target, takes text) */
    public static boolean typing(KeyEvent e) {
        return e.getTarget() instanceof TextInputControl;
    }
}
