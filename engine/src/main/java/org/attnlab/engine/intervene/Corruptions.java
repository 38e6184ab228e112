package org.attnlab.engine.intervene;

import java.util.Arrays;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.tasks.LegoTask;
import org.attnlab.engine.tasks.Task;

/**
 * Sensible corrupted inputs for {@link ActivationPatching}: a LEGO sentence with one clause's
 * sign flipped (every variable from that depth on changes value, the surface form barely
 * changes), or any input with one token replaced.
 */
public final class Corruptions {
    private Corruptions() {
    }

    /**
     * A corrupted input with its answer.
     *
     * @param tokens         the corrupted token ids, [T]
     * @param answerPosition where the clean and corrupted answers differ (or the caller's choice)
     * @param correct        the clean answer there, or -1 if unknown
     * @param wrong          the corrupted answer there, or -1 if unknown
     * @param description    one line, e.g. "clause of c: '+' -> '-'"
     */
    public record Corrupted(int[] tokens, int answerPosition, int correct, int wrong, String description) {
    }

    /**
     * The same input with the token at {@code position} replaced; the answer is left to the model
     * ({@link ActivationPatching#fromModel}), read at {@code answerPosition}.
     *
     * @throws IllegalArgumentException if a position is out of range
     */
    public static Corrupted replaceToken(Task task, int[] clean, int position, int token, int answerPosition) {
        if (position < 0 || position >= clean.length || answerPosition < 0 || answerPosition >= clean.length) {
            throw new IllegalArgumentException("position outside [0, " + clean.length + ")");
        }
        int[] out = clean.clone();
        out[position] = token;
        String from = task.vocabulary().token(clean[position]), to = task.vocabulary().token(token);
        return new Corrupted(out, answerPosition, -1, -1, "position " + position + ": '" + from + "' \u2192 '" + to + "'");
    }

    /**
     * LEGO with the sign of the clause at chain depth {@code depth} flipped ({@code +} and {@code -}
     * swapped). The answer position is the left-hand variable of the deepest clause (its value
     * flips), with the clean and corrupted signs as correct and wrong answers.
     *
     * @param depth chain depth in [1, n_var) (the root's sign is fixed)
     * @throws IllegalArgumentException if the input is not a LEGO chain or the depth is out of range
     */
    public static Corrupted legoSignFlip(LegoTask task, int[] clean, int depth) {
        int n = task.nVar(), len = LegoTask.CLAUSE_LENGTH;
        if (depth < 1 || depth >= n) {
            throw new IllegalArgumentException("depth " + depth + " outside [1, " + n + ")");
        }
        int[] none = new int[clean.length];
        Arrays.fill(none, -1);
        int[] depths = task.chainDepths(new Batch(1, clean.length, clean, none, new byte[clean.length]), 0);
        int plus = task.vocabulary().id("+"), minus = task.vocabulary().id("-");
        int[] at = new int[n];                     // at[d] = position of the variable of depth d
        for (int p = 0; p < clean.length; p++) {
            if (depths[p] >= 0) {
                at[depths[p]] = p;
            }
        }
        boolean positive = true;                   // value of the deepest variable, clean
        for (int d = 1; d < n; d++) {
            positive ^= clean[at[d] + 2] == minus;
        }
        int[] out = clean.clone();
        int sign = at[depth] + 2;
        out[sign] = clean[sign] == plus ? minus : plus;
        int answer = at[n - 1];
        String var = task.vocabulary().token(clean[at[depth]]);
        return new Corrupted(out, answer, positive ? plus : minus, positive ? minus : plus,
                "sign of " + var + " (depth " + depth + "): '" + task.vocabulary().token(clean[sign]) + "' \u2192 '"
                        + task.vocabulary().token(out[sign]) + "'");
    }
}
