package org.attnlab.app.inside;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;
import org.attnlab.app.common.CanvasRegion;
import org.attnlab.engine.inspect.ForwardTrace.Part;
import org.attnlab.engine.model.TransformerConfig;

/**
 * A small diagram of the model, bottom to top as in Elhage et al. (2021): tokens, embedding,
 * position, then one block (LayerNorm, q/k/v, scores, softmax, weighted sum, W_O, the residual
 * add, the MLP), the final LayerNorm and the unembedding, with the part of the current stage lit.
 */
public final class ModelDiagram extends CanvasRegion {
    private static final Color LIT = Color.web("#5b21b6");
    private static final Color BOX = Color.web("#f1f5f9");
    private static final Color EDGE = Color.web("#94a3b8");
    private final List<Part> parts = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private Part lit;
    private String blockName = "block";

    public ModelDiagram() {
        setMinWidth(170);
        setPrefWidth(180);
    }

    /** Lays the diagram out for a configuration; {@code layer} names the block shown. */
    public void setModel(TransformerConfig c, int layer) {
        parts.clear();
        names.clear();
        add(Part.UNEMBED, "unembed \u2192 logits");
        if (c.hasFinalLayerNorm()) {
            add(Part.LN_FINAL, "LayerNorm final");
        }
        if (!c.attnOnly()) {
            add(Part.MLP, "MLP");
        }
        add(Part.RESIDUAL, "+ residual");
        add(Part.OUTPUT, "W_O");
        add(Part.MIX, "\u03a3 A v");
        add(Part.SOFTMAX, c.attentionType().patternStep());
        add(Part.SCORES, c.attentionType().scoresStep(c));
        add(Part.QKV, "q  k  v");
        if (c.hasLayerNorm() && c.lnPlacement() == TransformerConfig.LnPlacement.PRE) {
            add(Part.LN1, "LayerNorm");
        }
        add(Part.POSITION, "+ position");
        add(Part.EMBED, "embed W_E");
        blockName = "layer " + layer + " of " + c.nLayers();
        redraw();
    }

    private void add(Part p, String name) {
        parts.add(p);
        names.add(name);
    }

    /** Lights up part {@code p} (null for none). */
    public void setLit(Part p) {
        lit = p;
        redraw();
    }

    /** @return the part lit, or null */
    public Part lit() {
        return lit;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 50 + parts.size() * 30;
    }

    @Override
    protected void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth(), h = canvas.getHeight();
        g.clearRect(0, 0, w, h);
        if (parts.isEmpty() || w < 60) {
            return;
        }
        double step = Math.min(30, (h - 30) / parts.size()), bh = step - 8, x = 22, bw = w - x - 6;
        double top = 38;
        // the residual stream: a line on the left, bottom to top
        g.setStroke(EDGE);
        g.setLineWidth(3);
        g.strokeLine(10, top + bh / 2, 10, top + (parts.size() - 1) * step + bh / 2);
        g.setFont(Font.font("System", FontWeight.BOLD, 11));
        g.setFill(Color.web("#64748b"));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText("residual stream \u2191", x, 9);
        int blockTop = -1, blockBottom = -1;
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            boolean inBlock = p != Part.EMBED && p != Part.POSITION && p != Part.LN_FINAL && p != Part.UNEMBED;
            if (inBlock) {
                blockTop = blockTop < 0 ? i : blockTop;
                blockBottom = i;
            }
        }
        if (blockTop >= 0) {
            g.setStroke(Color.web("#cbd5e1"));
            g.setLineWidth(1);
            g.setLineDashes(4, 3);
            g.strokeRect(x - 4, top + blockTop * step - 4, bw + 8, (blockBottom - blockTop) * step + bh + 8);
            g.setLineDashes();
        }
        for (int i = 0; i < parts.size(); i++) {
            double y = top + i * step;
            boolean on = parts.get(i) == lit;
            g.setFill(on ? LIT : BOX);
            g.fillRoundRect(x, y, bw, bh, 8, 8);
            g.setStroke(on ? LIT : EDGE);
            g.setLineWidth(1);
            g.strokeRoundRect(x + 0.5, y + 0.5, bw - 1, bh - 1, 8, 8);
            g.setFill(on ? Color.WHITE : Color.web("#334155"));
            g.setFont(Font.font("System", on ? FontWeight.BOLD : FontWeight.NORMAL, 12));
            g.setTextAlign(TextAlignment.CENTER);
            g.fillText(names.get(i), x + bw / 2, y + bh / 2);
            g.setFill(on ? LIT : EDGE);
            g.fillOval(6, y + bh / 2 - 4, 8, 8);
        }
        g.setFill(Color.web("#64748b"));
        g.setFont(Font.font("System", 11));
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("dashed: " + blockName, x, 25);
    }
}
