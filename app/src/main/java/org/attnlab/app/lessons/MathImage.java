package org.attnlab.app.lessons;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import org.scilab.forge.jlatexmath.TeXConstants;
import org.scilab.forge.jlatexmath.TeXFormula;
import org.scilab.forge.jlatexmath.TeXIcon;

/**
 * Lesson math typeset with JLaTeXMath (drawn through Java2D into an image at twice the size, shown
 * at layout size so it stays crisp). Works headless.
 */
final class MathImage {
    /** Style class of a formula that did not parse (shown as its source). */
    static final String BAD_MATH = "lesson-bad-math";
    /** Formulas are drawn at this many image pixels per layout pixel. */
    static final int OVERSAMPLE = 2;

    private MathImage() {
    }

    /**
     * @param latex   the formula
     * @param size    the font size in layout pixels
     * @param display display style (a block of its own) or text style (inline)
     * @return the typeset formula, or a label with its source if JLaTeXMath cannot parse it
     */
    static Node of(String latex, double size, boolean display) {
        try {
            int scale = OVERSAMPLE;
            TeXIcon icon = new TeXFormula(latex).createTeXIcon(display ? TeXConstants.STYLE_DISPLAY
                    : TeXConstants.STYLE_TEXT, (float) (size * scale));
            icon.setInsets(new java.awt.Insets(scale, scale, scale, scale));
            icon.setForeground(new Color(0x0f, 0x17, 0x2a));
            BufferedImage img = new BufferedImage(Math.max(1, icon.getIconWidth()), Math.max(1, icon.getIconHeight()),
                    BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = img.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                icon.paintIcon(null, g, 0, 0);
            } finally {
                g.dispose();
            }
            ImageView view = new ImageView(SwingFXUtils.toFXImage(img, null));
            view.setFitWidth(img.getWidth() / (double) scale);
            view.setFitHeight(img.getHeight() / (double) scale);
            if (!display) {
                // a text flow puts an image's bottom on the baseline: lower it by the formula's depth
                view.setTranslateY((icon.getIconDepth() + scale) / (double) scale);
            }
            view.setSmooth(true);
            view.getStyleClass().add("lesson-math");
            view.setUserData(latex);
            return view;
        } catch (RuntimeException e) {
            Label bad = new Label(latex);
            bad.getStyleClass().add(BAD_MATH);
            return bad;
        }
    }
}
