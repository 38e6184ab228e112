package org.attnlab.engine.io;

import java.io.IOException;
import java.util.Objects;

/**
 * A safetensors file (or byte source) that cannot be read, or cannot be parsed because it
 * does not follow the safetensors format (huggingface/safetensors), or a tensor that was
 * asked for and is not there.
 *
 * <p>The message is one line of the form {@code <source>: <problem>}, for example
 * {@code model.safetensors: tensor 'embed.W_E': data_offsets [0, 400] out of range (data section is 320 bytes)}.
 */
public class SafeTensorsException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String sourceName;
    private final String problem;

    /**
     * @param sourceName the file or source the problem was found in (shown first in the message)
     * @param problem    what is wrong, without the source name
     */
    public SafeTensorsException(String sourceName, String problem) {
        this(sourceName, problem, null);
    }

    /**
     * @param sourceName the file or source the problem was found in (shown first in the message)
     * @param problem    what is wrong, without the source name
     * @param cause      the underlying exception, or {@code null}
     */
    public SafeTensorsException(String sourceName, String problem, Throwable cause) {
        super(Objects.requireNonNullElse(sourceName, "<unnamed>") + ": " + oneLine(problem), cause);
        this.sourceName = Objects.requireNonNullElse(sourceName, "<unnamed>");
        this.problem = oneLine(problem);
    }

    /**
     * Escapes control characters (names read from a corrupt file may hold line breaks), so the
     * message stays one line: {@code \n} becomes the two characters backslash and n.
     */
    static String oneLine(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                switch (c) {
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> sb.append(String.format("\\u%04x", (int) c));
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** @return the file or source name the problem was found in */
    public String sourceName() {
        return sourceName;
    }

    /** @return what is wrong, without the source name */
    public String problem() {
        return problem;
    }
}
