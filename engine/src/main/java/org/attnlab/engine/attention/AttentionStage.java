package org.attnlab.engine.attention;

/**
 * One step-through stage of the attention part that an attention kernel defines
 * ({@link AttentionKernel#stages}): between the values and z, for one head and one query. The
 * step-through ({@code inspect.ForwardTrace}) turns it into a stage of its own kind with the
 * keys as columns.
 *
 * @param step        which step
 * @param title       a short title, e.g. {@code softmax}
 * @param latex       the formula in LaTeX (JLaTeXMath's subset)
 * @param explanation one or two sentences with the key numbers, plain text
 * @param rowLabel    the label of the one row of numbers
 * @param values      [T] one number per key position; {@code -Infinity} where masked
 */
public record AttentionStage(Step step, String title, String latex, String explanation, String rowLabel,
                             double[] values) {
    /** The steps an attention kernel may show, in forward order. */
    public enum Step {
        /** the dot products of the query with every key. */ DOTS,
        /** scaled by 1 / sqrt(d_head). */ SCALED,
        /** a positional bias added (ALiBi). */ ALIBI,
        /** keys the query may not see removed. */ MASKED,
        /** the attention pattern: the weights of the values. */ PATTERN;

        /** @return whether this step yields the pattern (the rest build the scores) */
        public boolean yieldsPattern() {
            return this == PATTERN;
        }
    }
}
