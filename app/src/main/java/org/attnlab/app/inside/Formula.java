package org.attnlab.app.inside;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;
import org.scilab.forge.jlatexmath.TeXConstants;
import org.scilab.forge.jlatexmath.TeXFormula;
import org.scilab.forge.jlatexmath.TeXIcon;

/**
 * Typesets a LaTeX formula with JLaTeXMath (its own fonts, drawn through Java2D into an image)
 * and hands it to JavaFX through {@link SwingFXUtils}. Works headless (no AWT window is opened).
 */
final class Formula {
    private Formula() {
    }

    /**
     * @param latex the formula (JLaTeXMath's subset of LaTeX math)
     * @param size  the font size in pixels
     * @param scale how many image pixels per layout pixel (2 for crisp output on hi-dpi and in PNGs)
     * @return the image, {@code scale} times the formula's size
     * @throws RuntimeException (JLaTeXMath's {@code ParseException}) if the formula does not parse
     */
    static Image render(String latex, float size, int scale) {
        TeXIcon icon = new TeXFormula(latex).createTeXIcon(TeXConstants.STYLE_DISPLAY, size * scale);
        icon.setInsets(new java.awt.Insets(2 * scale, 2 * scale, 2 * scale, 2 * scale));
        icon.setForeground(new Color(0x1e, 0x29, 0x3b));
        BufferedImage img = new BufferedImage(Math.max(1, icon.getIconWidth()), Math.max(1, icon.getIconHeight()),
                BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            icon.paintIcon(null, g, 0, 0);
        } finally {
            g.dispose();
        }
        return SwingFXUtils.toFXImage(img, null);
    }
}
