package org.attnlab.tests.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.control.ScrollPane;
import javafx.scene.text.Text;

/**
 * Whether a control can be reached on screen: shown, inside the window, not cut off by a parent
 * (outside a scroll pane, where scrolling reaches it), and, for a labelled control, its whole text
 * shown (no ellipsis). Call on the JavaFX thread.
 */
final class Fit {
    private static final double SLACK = 1.0;

    private Fit() {
    }

    /** @return what is wrong with {@code node}'s placement, or "" if it is fully reachable */
    static String problem(Scene scene, Node node, String name) {
        if (node == null) {
            return name + ": not in the window";
        }
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return name + ": hidden";
            }
        }
        if (node.getScene() != scene) {
            return name + ": not in the window";
        }
        Bounds b = node.localToScene(node.getLayoutBounds());
        if (b.getWidth() < 1 || b.getHeight() < 1) {
            return name + ": has no size " + b;
        }
        if (b.getMinX() < -SLACK || b.getMinY() < -SLACK || b.getMaxX() > scene.getWidth() + SLACK
                || b.getMaxY() > scene.getHeight() + SLACK) {
            return name + ": outside the " + (int) scene.getWidth() + "x" + (int) scene.getHeight() + " window at "
                    + box(b);
        }
        for (Parent p = node.getParent(); p != null; p = p.getParent()) {
            if (p instanceof ScrollPane) {
                break;
            }
            Bounds pb = p.localToScene(p.getLayoutBounds());
            if (b.getMinX() < pb.getMinX() - SLACK || b.getMinY() < pb.getMinY() - SLACK
                    || b.getMaxX() > pb.getMaxX() + SLACK || b.getMaxY() > pb.getMaxY() + SLACK) {
                return name + ": cut off by " + p.getClass().getSimpleName()
                        + (p.getId() == null ? "" : "#" + p.getId()) + " " + box(pb) + " at " + box(b);
            }
        }
        if (node instanceof Labeled l && l.getText() != null && !l.getText().isEmpty()) {
            String shown = shownText(l);
            if (!l.getText().equals(shown)) {
                return name + ": text cut to '" + shown + "' of '" + l.getText() + "'";
            }
        }
        return "";
    }

    /** @return the problems of all the nodes, one line each (empty: all reachable) */
    static List<String> problems(Scene scene, Object... nodesAndNames) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodesAndNames.length; i += 2) {
            String p = problem(scene, (Node) nodesAndNames[i], (String) nodesAndNames[i + 1]);
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    /** The text a labelled control draws (its skin's text node; an ellipsis if it did not fit). */
    private static String shownText(Labeled l) {
        StringBuilder sb = new StringBuilder();
        for (Node n : l.getChildrenUnmodifiable()) {
            if (n instanceof Text t && n.getClass().getSimpleName().equals("LabeledText")) {
                sb.append(t.getText());
            }
        }
        String s = sb.toString();
        // a wrapped label's text node holds the whole text with its line breaks
        return s.replace("\n", " ").replaceAll(" +", " ").strip().equals(l.getText().replace("\n", " ")
                .replaceAll(" +", " ").strip()) ? l.getText() : s;
    }

    /** @return the WCAG 2 relative luminance of {@code c} */
    static double luminance(javafx.scene.paint.Color c) {
        return 0.2126 * channel(c.getRed()) + 0.7152 * channel(c.getGreen()) + 0.0722 * channel(c.getBlue());
    }

    private static double channel(double v) {
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    /** @return the WCAG 2 contrast ratio of two colours, 1 to 21 */
    static double contrast(javafx.scene.paint.Color a, javafx.scene.paint.Color b) {
        double la = luminance(a), lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    /** @return the colour drawn behind {@code node}: the top opaque background fill of it or its nearest ancestor */
    static javafx.scene.paint.Color background(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (n instanceof javafx.scene.layout.Region r && r.getBackground() != null) {
                java.util.List<javafx.scene.layout.BackgroundFill> fills = r.getBackground().getFills();
                for (int i = fills.size() - 1; i >= 0; i--) {
                    if (fills.get(i).getFill() instanceof javafx.scene.paint.Color c && c.getOpacity() > 0.99) {
                        return c;
                    }
                }
            }
        }
        return javafx.scene.paint.Color.WHITE;
    }

    private static String box(Bounds b) {
        return String.format(java.util.Locale.ROOT, "[%.0f,%.0f %.0fx%.0f]", b.getMinX(), b.getMinY(), b.getWidth(),
                b.getHeight());
    }
}
