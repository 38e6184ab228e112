package org.attnlab.lessons;

import java.util.List;
import java.util.Objects;

/**
 * "Predict before reveal": a question with choices; the reader picks one, then the answer and
 * its explanation are shown.
 *
 * @param question the question (Markdown inline text)
 * @param choices  two or more choices, in the order shown
 * @param answer   the index of the right choice in {@code choices}
 * @param explain  what the reveal says (Markdown inline text), may be empty
 */
public record PredictionQuestion(String question, List<String> choices, int answer, String explain) {
    /** @throws IllegalArgumentException if there are fewer than two choices or the answer is not one of them */
    public PredictionQuestion {
        Objects.requireNonNull(question, "question");
        choices = List.copyOf(choices);
        if (choices.size() < 2) {
            throw new IllegalArgumentException("a prediction needs at least two choices");
        }
        if (answer < 0 || answer >= choices.size()) {
            throw new IllegalArgumentException("the answer must be one of the " + choices.size() + " choices");
        }
        explain = explain == null ? "" : explain;
    }

    /** @return the right choice's text */
    public String answerText() {
        return choices.get(answer);
    }
}
