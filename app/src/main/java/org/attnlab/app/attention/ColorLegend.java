package org.attnlab.app.attention;

import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import org.attnlab.app.common.CanvasStyle;
import org.attnlab.app.common.ColorMap;
import org.attnlab.app.common.Styles;

/** The colour scale of the heatmaps: a bar from weight 0 to 1, ticks at true weights (square-root scale). */
public final class ColorLegend extends Region {
    private static final double BAR = 12;
    /** Weights labelled on the bar (placed by {@link ColorMap#position}, a square-root scale). */
    private static final String[] TICKS = {"0", "0.05", "0.2", "0.5", "1"};
    private final Canvas canvas = new Canvas();

    public ColorLegend() {
        getStyleClass().add(Styles.COLOR_LEGEND);
        getChildren().add(canvas);
        setMinHeight(34);
        setPrefHeight(34);
        CanvasStyle.fontScaleProperty().addListener(new javafx.beans.value.WeakChangeListener<>(resize));
        resize.changed(null, null, CanvasStyle.scale());
        CanvasStyle.redrawOnChange(this, this::draw);
    }

    private final javafx.beans.value.ChangeListener<Number> resize = (o, a, s) -> {
        setMinHeight(34 * s.doubleValue());
        setPrefHeight(34 * s.doubleValue());
    };

    @Override
    protected void layoutChildren() {
        double w = snapSizeX(getWidth()), h = snapSizeY(getHeight());
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            draw();
        }
    }

    @Override
    protected double computePrefWidth(double height) {
        return 240;
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth(), pad = 12, bw = w - 2 * pad;
        g.clearRect(0, 0, w, canvas.getHeight());
        if (bw <= 0) {
            return;
        }
        for (int x = 0; x < (int) bw; x++) {
            g.setFill(ColorMap.color(ColorMap.weightAt(x / (bw - 1))));
            g.fillRect(pad + x, 2, 1, BAR);
        }
        g.setStroke(Color.web("#cbd5e1"));
        g.setLineWidth(1);
        g.strokeRect(pad - 0.5, 1.5, bw + 1, BAR + 1);
        g.setFill(Color.web("#334155"));
        g.setFont(Font.font("System", CanvasStyle.font(11)));
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.CENTER);
        for (String tick : TICKS) {
            double x = pad + ColorMap.position(Double.parseDouble(tick)) * bw;
            g.setStroke(Color.web("#64748b"));
            g.strokeLine(Math.round(x) + 0.5, BAR + 1, Math.round(x) + 0.5, BAR + 4);
            g.fillText(tick, x, BAR + 5);
        }
    }
}
