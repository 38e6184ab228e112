package org.attnlab.app.common;

import javafx.scene.canvas.Canvas;
import javafx.scene.layout.Region;

/**
 * A region that draws on one canvas filling it: the canvas follows the region's size and is
 * redrawn when that size changes. Subclasses draw in {@link #redraw()} and call it when their
 * data changes.
 */
public abstract class CanvasRegion extends Region {
    /** The canvas, as large as the region. */
    protected final Canvas canvas = new Canvas();

    protected CanvasRegion() {
        getChildren().add(canvas);
    }

    @Override
    protected void layoutChildren() {
        double w = snapSizeX(getWidth()), h = snapSizeY(getHeight());
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            redraw();
        }
    }

    /** Draws everything on {@link #canvas} at its current size. */
    protected abstract void redraw();
}
