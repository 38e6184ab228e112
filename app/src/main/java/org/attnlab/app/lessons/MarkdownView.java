package org.attnlab.app.lessons;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * Markdown of a lesson drawn as JavaFX nodes: one {@link TextFlow} per paragraph, heading and list
 * item (so text wraps and follows the root font size), code in a monospaced box, math
 * ({@code $...$} inline, {@code $$...$$} on its own) typeset by {@link MathImage}. Math is cut out
 * before commonmark sees the text, so {@code _} and {@code \} inside formulas stay as written.
 */
public final class MarkdownView extends VBox {
    /** Style class of the whole view. */
    public static final String STYLE = "lesson-text";
    private static final Pattern MATH = Pattern.compile("\\$\\$(.+?)\\$\\$|\\$([^$\\n]+?)\\$", Pattern.DOTALL);
    private static final char OPEN = '\uE000';
    private static final char CLOSE = '\uE001';
    private static final Parser PARSER = Parser.builder().build();
    private final double mathSize;

    /**
     * @param markdown the text
     * @param mathSize the formulas' font size in pixels
     */
    public MarkdownView(String markdown, double mathSize) {
        super(10);
        this.mathSize = mathSize;
        getStyleClass().add(STYLE);
        List<String> math = new ArrayList<>();
        Matcher m = MATH.matcher(markdown);
        StringBuilder cut = new StringBuilder();
        while (m.find()) {
            boolean display = m.group(1) != null;
            math.add((display ? "D" : "I") + (display ? m.group(1) : m.group(2)).strip());
            m.appendReplacement(cut, Matcher.quoteReplacement(OPEN + Integer.toString(math.size() - 1) + CLOSE));
        }
        m.appendTail(cut);
        org.commonmark.node.Node doc = PARSER.parse(cut.toString());
        for (org.commonmark.node.Node n = doc.getFirstChild(); n != null; n = n.getNext()) {
            getChildren().add(block(n, math));
        }
    }

    private Node block(org.commonmark.node.Node n, List<String> math) {
        if (n instanceof Heading h) {
            TextFlow f = inline(h, math);
            f.getStyleClass().add("lesson-h" + Math.min(3, h.getLevel()));
            return f;
        }
        if (n instanceof FencedCodeBlock || n instanceof IndentedCodeBlock) {
            String code = n instanceof FencedCodeBlock fc ? fc.getLiteral() : ((IndentedCodeBlock) n).getLiteral();
            Label l = new Label(restore(code.stripTrailing(), math));
            l.getStyleClass().add("lesson-code-block");
            l.setWrapText(true);
            l.setMaxWidth(Double.MAX_VALUE);
            return l;
        }
        if (n instanceof BulletList || n instanceof OrderedList) {
            VBox list = new VBox(4);
            int number = n instanceof OrderedList ol && ol.getMarkerStartNumber() != null ? ol.getMarkerStartNumber() : 1;
            for (org.commonmark.node.Node item = n.getFirstChild(); item != null; item = item.getNext()) {
                VBox content = new VBox(4);
                for (org.commonmark.node.Node c = item.getFirstChild(); c != null; c = c.getNext()) {
                    content.getChildren().add(block(c, math));
                }
                Label marker = new Label(n instanceof OrderedList ? (number++) + "." : "\u2022");
                marker.getStyleClass().add("lesson-list-marker");
                marker.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
                HBox row = new HBox(6, marker, content);
                HBox.setHgrow(content, javafx.scene.layout.Priority.ALWAYS);
                list.getChildren().add(row);
            }
            return list;
        }
        if (n instanceof BlockQuote) {
            VBox q = new VBox(6);
            for (org.commonmark.node.Node c = n.getFirstChild(); c != null; c = c.getNext()) {
                q.getChildren().add(block(c, math));
            }
            q.getStyleClass().add("lesson-quote");
            return q;
        }
        if (n instanceof ThematicBreak) {
            javafx.scene.control.Separator s = new javafx.scene.control.Separator();
            return s;
        }
        if (n instanceof Paragraph p && p.getFirstChild() instanceof org.commonmark.node.Text t
                && p.getFirstChild().getNext() == null) {
            String s = t.getLiteral().strip();
            if (s.length() > 2 && s.charAt(0) == OPEN && s.indexOf(CLOSE) == s.length() - 1) {
                String f = math.get(Integer.parseInt(s.substring(1, s.length() - 1)));
                if (f.startsWith("D")) {
                    return displayMath(f.substring(1));
                }
            }
        }
        TextFlow f = inline(n, math);
        f.getStyleClass().add("lesson-paragraph");
        return f;
    }

    /**
     * A formula on its own line, typeset at {@code mathSize * 1.3} whatever the panel's width: a
     * formula wider than the panel breaks where a line of math may break (at {@code \qquad}, then
     * before a top-level {@code =}), its pieces centred line by line; only a single piece wider than
     * the whole panel is drawn smaller, never cut off. User data: the formula's source.
     */
    private Node displayMath(String latex) {
        double size = mathSize * 1.3;
        javafx.scene.layout.FlowPane box = new javafx.scene.layout.FlowPane(size, size * 0.4);
        box.getStyleClass().add("lesson-display-math");
        box.setAlignment(javafx.geometry.Pos.CENTER);
        box.setMinWidth(0);
        box.setUserData(latex);
        List<javafx.scene.layout.FlowPane> groups = new ArrayList<>();
        for (String group : latex.split("\\\\qquad")) {
            if (group.isBlank()) {
                continue;
            }
            Node whole = MathImage.of(group.strip(), size, true);
            List<String> pieces = mathPieces(group);
            javafx.scene.layout.FlowPane g = new javafx.scene.layout.FlowPane(size * 0.25, size * 0.3, whole);
            g.setAlignment(javafx.geometry.Pos.CENTER);
            g.setMinWidth(0);
            g.setUserData(new Object[] {whole, pieces, null});
            groups.add(g);
        }
        box.getChildren().addAll(groups);
        box.widthProperty().addListener((o, a, w) -> {
            double room = Math.max(40, w.doubleValue() - 4);
            for (javafx.scene.layout.FlowPane g : groups) {
                Object[] d = (Object[]) g.getUserData();
                Node whole = (Node) d[0];
                @SuppressWarnings("unchecked")
                List<String> pieces = (List<String>) d[1];
                boolean split = naturalWidth(whole) > room && pieces.size() > 1;
                if (split && d[2] == null) {
                    List<Node> typeset = new ArrayList<>();
                    for (String p : pieces) {
                        typeset.add(MathImage.of(p, size, true));
                    }
                    d[2] = typeset;
                }
                @SuppressWarnings("unchecked")
                List<Node> shown = split ? (List<Node>) d[2] : List.of(whole);
                if (!g.getChildren().equals(shown)) {
                    g.getChildren().setAll(shown);
                }
                g.setPrefWrapLength(room);
                for (Node n : shown) {
                    if (n instanceof javafx.scene.image.ImageView iv) {
                        iv.setPreserveRatio(true);
                        iv.setFitHeight(0);
                        iv.setFitWidth(Math.min(naturalWidth(iv), room));
                    }
                }
            }
        });
        return box;
    }

    /** @return a typeset formula's width at its full size (as {@link MathImage} made it) */
    private static double naturalWidth(Node n) {
        if (n instanceof javafx.scene.image.ImageView iv && iv.getImage() != null) {
            return iv.getImage().getWidth() / MathImage.OVERSAMPLE;
        }
        return n.prefWidth(-1);
    }

    /** @return {@code latex} cut where a displayed formula may break: at top-level \qquad and before top-level = */
    static List<String> mathPieces(String latex) {
        List<String> pieces = new ArrayList<>();
        for (String part : latex.split("\\\\qquad")) {
            int depth = 0, from = 0;
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                } else if (c == '=' && depth == 0 && i > from && !part.substring(from, i).isBlank()) {
                    pieces.add(part.substring(from, i).strip());
                    from = i;
                }
            }
            if (!part.substring(from).isBlank()) {
                pieces.add(part.substring(from).strip());
            }
        }
        return pieces;
    }

    /** The inline content of a block as one text flow. */
    private TextFlow inline(org.commonmark.node.Node block, List<String> math) {
        TextFlow flow = new TextFlow();
        block.accept(new AbstractVisitor() {
            private final List<String> styles = new ArrayList<>();

            @Override
            public void visit(org.commonmark.node.Text text) {
                add(text.getLiteral());
            }

            @Override
            public void visit(Code code) {
                Text t = new Text(restore(code.getLiteral(), math));
                t.getStyleClass().addAll("lesson-code");
                flow.getChildren().add(t);
            }

            @Override
            public void visit(Emphasis e) {
                styled("lesson-em", e);
            }

            @Override
            public void visit(StrongEmphasis e) {
                styled("lesson-strong", e);
            }

            @Override
            public void visit(Link link) {
                styled("lesson-link", link);
            }

            @Override
            public void visit(SoftLineBreak b) {
                add(" ");
            }

            @Override
            public void visit(HardLineBreak b) {
                add("\n");
            }

            private void styled(String style, org.commonmark.node.Node n) {
                styles.add(style);
                visitChildren(n);
                styles.remove(styles.size() - 1);
            }

            private void add(String s) {
                int from = 0;
                for (int i = s.indexOf(OPEN); i >= 0; i = s.indexOf(OPEN, from)) {
                    int j = s.indexOf(CLOSE, i);
                    text(s.substring(from, i));
                    String f = math.get(Integer.parseInt(s.substring(i + 1, j)));
                    flow.getChildren().add(MathImage.of(f.substring(1), mathSize * 1.15, f.startsWith("D")));
                    from = j + 1;
                }
                text(s.substring(from));
            }

            private void text(String s) {
                if (!s.isEmpty()) {
                    Text t = new Text(s);
                    t.getStyleClass().add("lesson-run");
                    t.getStyleClass().addAll(styles);
                    flow.getChildren().add(t);
                }
            }
        });
        return flow;
    }

    /** Puts the math back as its source (in code, where it is not typeset). */
    private static String restore(String s, List<String> math) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int i = s.indexOf(OPEN); i >= 0; i = s.indexOf(OPEN, from)) {
            int j = s.indexOf(CLOSE, i);
            String f = math.get(Integer.parseInt(s.substring(i + 1, j)));
            out.append(s, from, i).append(f.startsWith("D") ? "$$" : "$").append(f.substring(1))
                    .append(f.startsWith("D") ? "$$" : "$");
            from = j + 1;
        }
        return out.append(s.substring(from)).toString();
    }

    /** @return the plain text shown (math as its LaTeX source), for tests and accessibility */
    public String plainText() {
        StringBuilder sb = new StringBuilder();
        collect(this, sb);
        return sb.toString();
    }

    private static void collect(Node n, StringBuilder sb) {
        if (n instanceof Text t) {
            sb.append(t.getText());
        } else if (n instanceof Label l) {
            sb.append(l.getText()).append('\n');
        } else if (n instanceof javafx.scene.image.ImageView iv && iv.getUserData() != null) {
            sb.append('$').append(iv.getUserData()).append('$');
        } else if (n instanceof javafx.scene.Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                collect(c, sb);
            }
            if (n instanceof TextFlow) {
                sb.append('\n');
            }
        }
    }
}
