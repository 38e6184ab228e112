package org.attnlab.app.common;

import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.scene.Node;

/**
 * What canvases need from the window's look, which CSS cannot reach: the font scale (Ctrl+Plus /
 * Ctrl+Minus scale the root's font size; text drawn on a canvas scales by the same factor) and
 * whether the high-contrast projector theme is on (heatmaps then use {@link ColorMap}'s
 * high-contrast map). Set by classroom mode; JavaFX thread only.
 */
public final class CanvasStyle {
    private static final DoubleProperty FONT_SCALE = new SimpleDoubleProperty(CanvasStyle.class, "fontScale", 1);
    private static final BooleanProperty HIGH_CONTRAST = new SimpleBooleanProperty(CanvasStyle.class,
            "highContrast");

    static {
        HIGH_CONTRAST.addListener((o, a, on) -> ColorMap.setHighContrast(on));
    }

    private CanvasStyle() {
    }

    /** @return the font scale of the window (1 = the theme's sizes) */
    public static DoubleProperty fontScaleProperty() {
        return FONT_SCALE;
    }

    /** @return whether the projector theme's high-contrast colours are on */
    public static BooleanProperty highContrastProperty() {
        return HIGH_CONTRAST;
    }

    /** @return {@code px} (a size at scale 1) at the current font scale */
    public static double font(double px) {
        return px * FONT_SCALE.get();
    }

    /** @return the current font scale */
    public static double scale() {
        return FONT_SCALE.get();
    }

    /**
     * Calls {@code redraw} whenever the font scale or the colour map changes, for as long as
     * {@code owner} exists (the listener is held by the owner, weakly by the style).
     */
    public static void redrawOnChange(Node owner, Runnable redraw) {
        ChangeListener<Object> l = (o, a, b) -> redraw.run();
        owner.getProperties().put(CanvasStyle.class.getName() + "#" + System.identityHashCode(l), l);
        FONT_SCALE.addListener(new WeakChangeListener<>(l));
        HIGH_CONTRAST.addListener(new WeakChangeListener<>(l));
    }
}
