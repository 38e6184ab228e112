package org.attnlab.app.training;

/**
 * The model's prediction at one position of the probe example.
 *
 * @param position    0-based position
 * @param token       the input token there
 * @param predicted   the argmax token
 * @param probability the softmax probability of the argmax token
 * @param expected    the target token if the position is scored, else {@code null}
 */
public record TokenPrediction(int position, String token, String predicted, double probability, String expected) {
    /** @return whether the position is scored */
    public boolean scored() {
        return expected != null;
    }

    /** @return whether the prediction matches a scored target */
    public boolean correct() {
        return expected != null && expected.equals(predicted);
    }
}
