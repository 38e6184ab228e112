package org.attnlab.app.classroom;

import java.util.Objects;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

/**
 * Presenting with a projector: full screen, a font scale for the whole window (the root's
 * {@code -fx-font-size}; the themes size text in em), a high-contrast projector theme, and
 * hiding everything but the current view. Each is a property the Lessons menu and the keys toggle.
 */
public final class ClassroomMode {
    /** The projector theme, added on top of the window's theme. */
    public static final String PROJECTOR_CSS = "/assets/themes/projector.css";
    /** Root font size at scale 1 (as the window's theme sets it). */
    public static final double BASE_FONT_PX = 14;
    /** Smallest and largest font scale. */
    public static final double MIN_SCALE = 0.8;
    public static final double MAX_SCALE = 2.5;
    /** How much one Ctrl+Plus / Ctrl+Minus changes the scale (a factor). */
    public static final double STEP = 1.15;

    private final Stage stage;
    private final Scene scene;
    private final BorderPane root;
    private final ReadOnlyDoubleWrapper fontScale = new ReadOnlyDoubleWrapper(this, "fontScale", 1);
    private final BooleanProperty projector = new SimpleBooleanProperty(this, "projector");
    private final BooleanProperty panelsHidden = new SimpleBooleanProperty(this, "panelsHidden");
    private final BooleanProperty presenter = new SimpleBooleanProperty(this, "presenter");
    private Node presenterLeft;
    private Node hiddenLeft;
    private Node hiddenRight;
    private Node hiddenBottom;

    /**
     * @param stage the window
     * @param root  the window's layout (side panels are its left and right)
     */
    public ClassroomMode(Stage stage, BorderPane root) {
        this.stage = Objects.requireNonNull(stage);
        this.scene = Objects.requireNonNull(stage.getScene());
        this.root = root;
        String css = Objects.requireNonNull(ClassroomMode.class.getResource(PROJECTOR_CSS), PROJECTOR_CSS)
                .toExternalForm();
        projector.addListener((o, a, on) -> {
            if (on) {
                scene.getStylesheets().add(css);
            } else {
                scene.getStylesheets().remove(css);
            }
        });
        panelsHidden.addListener((o, a, hide) -> hidePanels(hide));
        presenter.addListener((o, a, on) -> {
            if (on) {
                presenterLeft = panelsHidden.get() ? hiddenLeft : root.getLeft();
                if (panelsHidden.get()) {
                    hiddenLeft = null;
                } else {
                    root.setLeft(null);
                }
            } else if (presenterLeft != null) {
                if (panelsHidden.get()) {
                    hiddenLeft = presenterLeft;
                } else {
                    root.setLeft(presenterLeft);
                }
                presenterLeft = null;
            }
        });
    }

    /**
     * @return whether the presenter layout is on: the setup sidebar is put away so the current
     *     view and the lesson get the width (the settings are one toggle away)
     */
    public BooleanProperty presenterProperty() {
        return presenter;
    }

    /** F11: full screen on or off. */
    public void toggleFullScreen() {
        stage.setFullScreenExitHint("");
        stage.setFullScreen(!stage.isFullScreen());
    }

    /** Ctrl+Plus. */
    public void bigger() {
        setFontScale(fontScale.get() * STEP);
    }

    /** Ctrl+Minus. */
    public void smaller() {
        setFontScale(fontScale.get() / STEP);
    }

    /** Ctrl+0. */
    public void resetFontScale() {
        setFontScale(1);
    }

    /** @param scale the font scale, clamped to [{@value #MIN_SCALE}, {@value #MAX_SCALE}] */
    public void setFontScale(double scale) {
        double s = Math.max(MIN_SCALE, Math.min(MAX_SCALE, scale));
        if (Math.abs(s - 1) < 1e-3) {
            s = 1;
        }
        fontScale.set(s);
        root.setStyle(s == 1 ? "" : String.format(java.util.Locale.ROOT, "-fx-font-size: %.1fpx;", BASE_FONT_PX * s));
    }

    private void hidePanels(boolean hide) {
        if (hide) {
            hiddenLeft = root.getLeft();
            hiddenRight = root.getRight();
            hiddenBottom = root.getBottom();
            root.setLeft(null);
            root.setRight(null);
            root.setBottom(null);
        } else {
            if (root.getLeft() == null) {
                root.setLeft(hiddenLeft);
            }
            if (root.getRight() == null) {
                root.setRight(hiddenRight);
            }
            if (root.getBottom() == null) {
                root.setBottom(hiddenBottom);
            }
            hiddenLeft = hiddenRight = hiddenBottom = null;
        }
    }

    /**
     * Puts {@code node} on the right (the lesson panel), remembering what was there; while the
     * panels are hidden it is kept for when they come back.
     *
     * @return what was on the right before
     */
    public Node setRight(Node node) {
        if (panelsHidden.get()) {
            Node old = hiddenRight;
            hiddenRight = node;
            return old;
        }
        Node old = root.getRight();
        root.setRight(node);
        return old;
    }

    /** @return what is on the right, or would be if the panels were not hidden */
    public Node right() {
        return panelsHidden.get() ? hiddenRight : root.getRight();
    }

    /** @return the font scale (1 = the theme's size) */
    public ReadOnlyDoubleProperty fontScaleProperty() {
        return fontScale.getReadOnlyProperty();
    }

    /** @return whether the high-contrast projector theme is on */
    public BooleanProperty projectorProperty() {
        return projector;
    }

    /** @return whether everything but the current view is hidden (Ctrl+H) */
    public BooleanProperty panelsHiddenProperty() {
        return panelsHidden;
    }

    /** @return the window */
    public Stage stage() {
        return stage;
    }
}
