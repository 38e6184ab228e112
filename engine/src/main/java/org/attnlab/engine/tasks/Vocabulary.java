package org.attnlab.engine.tasks;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable list of readable token strings; token id {@code i} is the {@code i}-th string.
 * The views label heatmap rows and columns with these strings, so each is short, non-empty,
 * contains no whitespace, and appears once.
 */
public final class Vocabulary {

    /** How many tokens an error message lists before it abbreviates. */
    private static final int SUMMARY_LIMIT = 40;

    private final List<String> tokens;
    private final Map<String, Integer> ids;

    /**
     * @param tokens the token strings in id order (copied)
     * @throws IllegalArgumentException if the list is empty, or a token is null, empty,
     *     contains whitespace, or repeats
     */
    public Vocabulary(List<String> tokens) {
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("a vocabulary needs at least one token");
        }
        this.tokens = List.copyOf(tokens); // also rejects null elements
        this.ids = new HashMap<>();
        for (int i = 0; i < this.tokens.size(); i++) {
            String t = this.tokens.get(i);
            if (t.isEmpty() || t.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("token " + i + " ('" + t + "') is empty or contains whitespace");
            }
            Integer previous = ids.put(t, i);
            if (previous != null) {
                throw new IllegalArgumentException("token '" + t + "' appears twice, at ids " + previous + " and " + i);
            }
        }
    }

    /** @return a vocabulary of the given token strings, in id order */
    public static Vocabulary of(String... tokens) {
        return new Vocabulary(Arrays.asList(tokens));
    }

    /** @return the number of tokens (the smallest d_vocab a model for it can have) */
    public int size() {
        return tokens.size();
    }

    /** @return the token strings in id order (unmodifiable) */
    public List<String> tokens() {
        return tokens;
    }

    /**
     * @return the string of token {@code id}
     * @throws IllegalArgumentException if {@code id} is outside {@code [0, size())}
     */
    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("token id " + id + " is outside [0, " + tokens.size() + ")");
        }
        return tokens.get(id);
    }

    /** @return whether {@code token} is in this vocabulary */
    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /**
     * @return the id of {@code token}
     * @throws UnknownTokenException (position -1) if it is not in the vocabulary
     */
    public int id(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new UnknownTokenException(token, -1, this);
        }
        return id;
    }

    /**
     * Splits {@code text} on whitespace and looks up each piece.
     *
     * @return the ids, one per whitespace-separated token (empty for blank text)
     * @throws UnknownTokenException naming the first unknown token and its 0-based position
     */
    public int[] encode(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return new int[0];
        }
        String[] pieces = trimmed.split("\\s+");
        int[] out = new int[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            Integer id = ids.get(pieces[i]);
            if (id == null) {
                throw new UnknownTokenException(pieces[i], i, this);
            }
            out[i] = id;
        }
        return out;
    }

    /**
     * @return the token strings of {@code ids}, separated by single spaces
     * @throws IllegalArgumentException naming the first id outside {@code [0, size())} and its position
     */
    public String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    /**
     * Decodes {@code ids[from, to)}, e.g. one row {@code [b*T, (b+1)*T)} of a batch.
     *
     * @throws IllegalArgumentException naming the first id outside {@code [0, size())} and its position
     */
    public String decode(int[] ids, int from, int to) {
        Objects.checkFromToIndex(from, to, ids.length);
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (ids[i] < 0 || ids[i] >= tokens.size()) {
                throw new IllegalArgumentException("token id " + ids[i] + " at position " + (i - from)
                        + " is outside [0, " + tokens.size() + ")");
            }
            if (i > from) {
                sb.append(' ');
            }
            sb.append(tokens.get(ids[i]));
        }
        return sb.toString();
    }

    /** @return the tokens separated by spaces, abbreviated after {@value #SUMMARY_LIMIT} */
    String summary() {
        if (tokens.size() <= SUMMARY_LIMIT) {
            return String.join(" ", tokens);
        }
        return String.join(" ", tokens.subList(0, SUMMARY_LIMIT)) + " ... (" + tokens.size() + " tokens)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary other && tokens.equals(other.tokens);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary[" + summary() + "]";
    }
}
