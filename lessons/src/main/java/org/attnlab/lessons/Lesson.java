package org.attnlab.lessons;

import java.util.List;

/**
 * A lesson: a title, an introduction and its steps.
 *
 * @param id      the file's name without {@code .md} (e.g. {@code 07-induction}); progress is kept under it
 * @param file    the file's name
 * @param title   the title from the front matter
 * @param summary one line for the table of contents (may be empty)
 * @param steps   one or more steps, in order
 */
public record Lesson(String id, String file, String title, String summary, List<Step> steps) {
    /** Copies the steps. */
    public Lesson {
        steps = List.copyOf(steps);
    }
}
