package org.attnlab.app.classroom;

import java.util.Objects;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.attnlab.app.common.CanvasStyle;
import org.attnlab.app.window.SidePanels;

/**
 * Presenting with a projector: full screen, a font scale for the whole window (the root's
 * {@code -fx-font-size}; the themes size text in em, canvases follow {@link CanvasStyle}), never
 * larger than fits the window ({@link #maxFittingScale()}), a high-contrast projector theme, and
 * hiding everything but the current view (and, in the presenter layout, the lesson beside it).
 * Each is a property the Lessons menu and the keys toggle.
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
    /**
     * The window's height in units of the root font size that the layout needs for everything to
     * stay on screen (menu, transport, tab strip, a view, the lesson's navigation and four lines of
     * its text, the status bar): the scale is clamped so that the window is at least this many
     * ems high. Measured at 1280 x 720: everything is still reachable at scale 2.17 (23.7 ems), not
     * at 2.5; with the projector theme's larger buttons 29 ems leave the lesson's text at least four
     * lines (at most 1.77 at 720 pixels, the full 2.5 at 1080).
     */
    public static final double FIT_HEIGHT_EM = 29;
    /** The same for the width: the current view and the lesson panel side by side. */
    public static final double FIT_WIDTH_EM = 40;
    /**
     * {@link #FIT_HEIGHT_EM} for the desktop layout (settings sidebar, head detail or lesson, curves
     * under the grid): more has to fit beside and under the view. Measured at 1280 x 720: the status
     * bar is pushed off at scale 1.77 (28.9 ems) and 1.61, not at 1.54; 34 ems allow 1.51 there, 2.27 at 1080.
     */
    public static final double DESKTOP_FIT_HEIGHT_EM = 34;
    /** {@link #FIT_WIDTH_EM} for the desktop layout. */
    public static final double DESKTOP_FIT_WIDTH_EM = 40;

    private final Stage stage;
    private final Scene scene;
    private final SidePanels panels;
    private final ReadOnlyDoubleWrapper fontScale = new ReadOnlyDoubleWrapper(this, "fontScale", 1);
    private double requested = 1;
    private final BooleanProperty projector = new SimpleBooleanProperty(this, "projector");
    private final BooleanProperty panelsHidden = new SimpleBooleanProperty(this, "panelsHidden");
    private final BooleanProperty presenter = new SimpleBooleanProperty(this, "presenter");
    private Node presenterLeft;
    private Node hiddenLeft;
    private Node hiddenRight;
    private Node hiddenBottom;
    private boolean rightHidden;

    /**
     * @param stage  the window (with its scene; the font scale is set on the scene's root)
     * @param panels the window's side panels (the settings sidebar, the right panel, the status bar)
     */
    public ClassroomMode(Stage stage, SidePanels panels) {
        this.stage = Objects.requireNonNull(stage);
        this.scene = Objects.requireNonNull(stage.getScene());
        this.panels = Objects.requireNonNull(panels);
        String css = Objects.requireNonNull(ClassroomMode.class.getResource(PROJECTOR_CSS), PROJECTOR_CSS)
                .toExternalForm();
        CanvasStyle.fontScaleProperty().set(1);
        CanvasStyle.highContrastProperty().set(false);
        // a smaller window lowers the scale to what fits; a larger one gives back what was asked for
        javafx.beans.InvalidationListener refit = o -> apply(requested);
        scene.widthProperty().addListener(refit);
        scene.heightProperty().addListener(refit);
        presenter.addListener(refit);
        projector.addListener((o, a, on) -> {
            CanvasStyle.highContrastProperty().set(on);
            if (on) {
                scene.getStylesheets().add(css);
            } else {
                scene.getStylesheets().remove(css);
            }
        });
        panelsHidden.addListener((o, a, hide) -> hidePanels(hide));
        presenter.addListener((o, a, on) -> {
            if (on) {
                presenterLeft = panelsHidden.get() ? hiddenLeft : panels.left().get();
                if (panelsHidden.get()) {
                    hiddenLeft = null;
                } else {
                    panels.left().set(null);
                }
            } else if (presenterLeft != null) {
                if (panelsHidden.get()) {
                    hiddenLeft = presenterLeft;
                } else {
                    panels.left().set(presenterLeft);
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

    /** Ctrl+Plus (up to the largest scale that fits the window). */
    public void bigger() {
        setFontScale(fontScale.get() * STEP);
    }

    /** Ctrl+Minus. */
    public void smaller() {
        setFontScale(fontScale.get() / STEP);
    }

    /**
     * @return the largest font scale at which the window's layout still fits its size (at most
     *     {@value #MAX_SCALE}, at least {@value #MIN_SCALE}): about {@value #FIT_HEIGHT_EM} ems high
     *     and {@value #FIT_WIDTH_EM} ems wide
     */
    public double maxFittingScale() {
        double w = scene.getWidth(), h = scene.getHeight();
        if (!(w > 0 && h > 0)) {
            return MAX_SCALE;
        }
        boolean presenting = presenter.get();
        double fit = Math.min(h / ((presenting ? FIT_HEIGHT_EM : DESKTOP_FIT_HEIGHT_EM) * BASE_FONT_PX),
                w / ((presenting ? FIT_WIDTH_EM : DESKTOP_FIT_WIDTH_EM) * BASE_FONT_PX));
        return Math.max(MIN_SCALE, Math.min(MAX_SCALE, fit));
    }

    /** Ctrl+0. */
    public void resetFontScale() {
        setFontScale(1);
    }

    /**
     * @param scale the font scale, clamped to [{@value #MIN_SCALE}, {@link #maxFittingScale()}]; if
     *     the window is too small for it, the largest that fits is used until the window grows
     */
    public void setFontScale(double scale) {
        requested = Math.max(MIN_SCALE, Math.min(MAX_SCALE, scale));
        if (requested > maxFittingScale()) {
            requested = maxFittingScale();       // Ctrl+Plus at the limit does nothing
        }
        apply(requested);
    }

    private void apply(double scale) {
        double s = Math.max(MIN_SCALE, Math.min(maxFittingScale(), scale));
        if (Math.abs(s - 1) < 1e-3) {
            s = 1;
        }
        javafx.scene.Parent root = scene.getRoot();
        if (s == fontScale.get() && (s == 1) == root.getStyle().isEmpty()) {
            return;
        }
        fontScale.set(s);
        CanvasStyle.fontScaleProperty().set(s);
        // the window's one inline style: a computed size (any scale between the limits), not a colour;
        // every text sized in em by the themes follows it
        root.setStyle(s == 1 ? "" : String.format(java.util.Locale.ROOT, "-fx-font-size: %.2fpx;", BASE_FONT_PX * s));
    }

    private void hidePanels(boolean hide) {
        if (hide) {
            hiddenLeft = panels.left().get();
            hiddenBottom = panels.bottom().get();
            panels.left().set(null);
            panels.bottom().set(null);
            // presenting, the lesson beside the view stays: its text and navigation are the point
            rightHidden = !presenter.get();
            if (rightHidden) {
                hiddenRight = panels.right().get();
                panels.right().set(null);
            }
        } else {
            if (panels.left().get() == null) {
                panels.left().set(hiddenLeft);
            }
            if (panels.right().get() == null) {
                panels.right().set(hiddenRight);
            }
            if (panels.bottom().get() == null) {
                panels.bottom().set(hiddenBottom);
            }
            hiddenLeft = hiddenRight = hiddenBottom = null;
            rightHidden = false;
        }
    }

    /**
     * Puts {@code node} on the right (the lesson panel), remembering what was there; while the
     * panels are hidden it is kept for when they come back.
     *
     * @return what was on the right before
     */
    public Node setRight(Node node) {
        if (panelsHidden.get() && rightHidden) {
            Node old = hiddenRight;
            hiddenRight = node;
            return old;
        }
        Node old = panels.right().get();
        panels.right().set(node);
        return old;
    }

    /** @return what is on the right, or would be if the panels were not hidden */
    public Node right() {
        return panelsHidden.get() && rightHidden ? hiddenRight : panels.right().get();
    }

    /** @return the font scale (1 = the theme's size) */
    public ReadOnlyDoubleProperty fontScaleProperty() {
        return fontScale.getReadOnlyProperty();
    }

    /** @return whether the high-contrast projector theme is on */
    public BooleanProperty projectorProperty() {
        return projector;
    }

    /**
     * @return whether everything but the current view is hidden (Ctrl+H); in the presenter layout
     *     (classroom mode) the lesson beside the view stays
     */
    public BooleanProperty panelsHiddenProperty() {
        return panelsHidden;
    }

    /** @return the window */
    public Stage stage() {
        return stage;
    }
}
