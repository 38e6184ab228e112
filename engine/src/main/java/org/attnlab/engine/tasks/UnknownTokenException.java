package org.attnlab.engine.tasks;

/**
 * A token string that is not in a {@link Vocabulary}. Carries the token and, when it came
 * from {@link Vocabulary#encode(String)}, its 0-based position in the text.
 */
public final class UnknownTokenException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String token;
    private final int position;

    /**
     * @param token      the unknown token string
     * @param position   its 0-based position among the whitespace-separated tokens, or -1 if
     *                   it was looked up on its own ({@link Vocabulary#id(String)})
     * @param vocabulary the vocabulary it was looked up in (named in the message)
     */
    public UnknownTokenException(String token, int position, Vocabulary vocabulary) {
        super("unknown token '" + token + "'" + (position >= 0 ? " at position " + position : "")
                + " (vocabulary: " + vocabulary.summary() + ")");
        this.token = token;
        this.position = position;
    }

    /** @return the unknown token string */
    public String token() {
        return token;
    }

    /** @return its 0-based position in the encoded text, or -1 if looked up on its own */
    public int position() {
        return position;
    }
}
