package org.attnlab.app.training;

import java.util.Arrays;

/**
 * The probe example whose attention the window shows: tokens and, when known, targets.
 *
 * @param id      increases with every new probe (regenerated or typed)
 * @param tokens  token ids, {@code [T]} (do not modify)
 * @param targets target ids, {@code -1} where unscored or unknown (a typed probe has none), {@code [T]}
 */
public record Probe(long id, int[] tokens, int[] targets) {
    /** @throws IllegalArgumentException if the arrays differ in length or are empty */
    public Probe {
        if (tokens.length == 0 || tokens.length != targets.length) {
            throw new IllegalArgumentException("a probe needs as many targets as tokens, and at least one token");
        }
    }

    /** @return a probe of typed tokens without targets */
    public static Probe typed(long id, int[] tokens) {
        int[] none = new int[tokens.length];
        Arrays.fill(none, -1);
        return new Probe(id, tokens.clone(), none);
    }
}
