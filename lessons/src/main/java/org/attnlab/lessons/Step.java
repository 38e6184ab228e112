package org.attnlab.lessons;

/**
 * One step of a lesson: a {@code ## } heading and the text below it up to the next one.
 *
 * @param index      the step's place in its lesson, from 0
 * @param title      the heading's text
 * @param markdown   the text to show (Markdown with {@code $...$} and {@code $$...$$} math),
 *                   without the {@code lesson} and {@code predict} blocks
 * @param line       the heading's line in the file (1-based)
 * @param own        what this step's {@code lesson} block sets ({@link StepSetup#NONE} if it has none)
 * @param effective  the setup in force at this step: every earlier step's laid over in order
 * @param prediction the step's "predict before reveal" question, or null
 */
public record Step(int index, String title, String markdown, int line, StepSetup own, StepSetup effective,
                   PredictionQuestion prediction) {
}
