package org.attnlab.lessons;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The head a lesson step selects in the window (its {@code highlight:} key), written {@code L1H0}
 * (layer 1, head 0; both from 0). Not an ablated head: that is the engine's
 * {@code HeadAblation.Head}.
 *
 * @param layer the layer
 * @param head  the head
 */
public record HighlightedHead(int layer, int head) {
    private static final Pattern FORM = Pattern.compile("L(\\d{1,2})H(\\d{1,2})");

    /** @return {@code L<layer>H<head>} */
    @Override
    public String toString() {
        return "L" + layer + "H" + head;
    }

    /** @return the head written {@code s}, if it is of the form {@code L<digits>H<digits>} */
    public static Optional<HighlightedHead> parse(String s) {
        Matcher m = FORM.matcher(s.trim());
        return m.matches() ? Optional.of(new HighlightedHead(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))))
                : Optional.empty();
    }
}
