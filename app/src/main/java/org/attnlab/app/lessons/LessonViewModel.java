package org.attnlab.app.lessons;

import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.attnlab.lessons.Lesson;
import org.attnlab.lessons.LessonLibrary;
import org.attnlab.lessons.Step;

/**
 * The lesson panel's state: the library, the open lesson and step, the reader's answer to the
 * step's prediction, and the progress kept between runs. Commands: open a lesson, next, back, go to
 * a step, answer, reveal. No nodes; {@link LessonDirector} applies each step to the window.
 */
public final class LessonViewModel {
    private final LessonLibrary library;
    private final LessonProgress progress;
    private final ReadOnlyObjectWrapper<Lesson> lesson = new ReadOnlyObjectWrapper<>(this, "lesson");
    private final ReadOnlyIntegerWrapper stepIndex = new ReadOnlyIntegerWrapper(this, "stepIndex", -1);
    private final ReadOnlyObjectWrapper<Step> step = new ReadOnlyObjectWrapper<>(this, "step");
    private final ReadOnlyIntegerWrapper answer = new ReadOnlyIntegerWrapper(this, "answer", -1);
    private final ReadOnlyBooleanWrapper revealed = new ReadOnlyBooleanWrapper(this, "revealed");

    /**
     * @param library  the lessons (and the problems of those that did not load)
     * @param progress where progress is kept
     */
    public LessonViewModel(LessonLibrary library, LessonProgress progress) {
        this.library = library;
        this.progress = progress;
    }

    /** Opens the lesson the reader had open last at the step reached, or the first lesson. */
    public void resume() {
        if (library.lessons().isEmpty()) {
            return;
        }
        String id = progress.currentLesson();
        Lesson l = id == null ? null : library.byId(id).orElse(null);
        open(l == null ? library.lessons().get(0) : l);
    }

    /** Opens {@code l} at the step the reader reached in it. */
    public void open(Lesson l) {
        lesson.set(l);
        goTo(Math.min(progress.step(l.id()), l.steps().size() - 1));
    }

    /** Shows step {@code i} of the open lesson (clamped to its steps). */
    public void goTo(int i) {
        Lesson l = lesson.get();
        if (l == null) {
            return;
        }
        int k = Math.max(0, Math.min(l.steps().size() - 1, i));
        answer.set(-1);
        revealed.set(false);
        stepIndex.set(k);
        step.set(l.steps().get(k));
        progress.record(l.id(), k);
    }

    /** Next step; after a lesson's last step, the next lesson's first. */
    public void next() {
        Lesson l = lesson.get();
        if (l == null) {
            return;
        }
        if (stepIndex.get() < l.steps().size() - 1) {
            goTo(stepIndex.get() + 1);
        } else {
            int i = library.lessons().indexOf(l);
            if (i >= 0 && i + 1 < library.lessons().size()) {
                lesson.set(library.lessons().get(i + 1));
                goTo(0);
            }
        }
    }

    /** Previous step; before a lesson's first, the previous lesson's last. */
    public void back() {
        Lesson l = lesson.get();
        if (l == null) {
            return;
        }
        if (stepIndex.get() > 0) {
            goTo(stepIndex.get() - 1);
        } else {
            int i = library.lessons().indexOf(l);
            if (i > 0) {
                Lesson prev = library.lessons().get(i - 1);
                lesson.set(prev);
                goTo(prev.steps().size() - 1);
            }
        }
    }

    /** The reader picks choice {@code i} of the step's prediction; the answer is then revealed. */
    public void answer(int i) {
        Step s = step.get();
        if (s == null || s.prediction() == null || revealed.get()) {
            return;
        }
        answer.set(i);
        revealed.set(true);
    }

    /** Reveals the answer without a guess. */
    public void reveal() {
        if (step.get() != null && step.get().prediction() != null) {
            revealed.set(true);
        }
    }

    /** @return whether the reader's answer is the right one */
    public boolean answeredRight() {
        Step s = step.get();
        return s != null && s.prediction() != null && answer.get() == s.prediction().answer();
    }

    /** @return whether there is a step after this one (in this lesson or the next) */
    public boolean hasNext() {
        Lesson l = lesson.get();
        return l != null && (stepIndex.get() < l.steps().size() - 1
                || library.lessons().indexOf(l) < library.lessons().size() - 1);
    }

    /** @return whether there is a step before this one */
    public boolean hasBack() {
        Lesson l = lesson.get();
        return l != null && (stepIndex.get() > 0 || library.lessons().indexOf(l) > 0);
    }

    /** @return the lessons that loaded, in course order */
    public List<Lesson> lessons() {
        return library.lessons();
    }

    /** @return the lessons and the problems of those that did not load */
    public LessonLibrary library() {
        return library;
    }

    /** @return where progress is kept */
    public LessonProgress progress() {
        return progress;
    }

    /** @return the open lesson */
    public ReadOnlyObjectProperty<Lesson> lessonProperty() {
        return lesson.getReadOnlyProperty();
    }

    /** @return the shown step's index in its lesson, -1 before one is shown */
    public ReadOnlyIntegerProperty stepIndexProperty() {
        return stepIndex.getReadOnlyProperty();
    }

    /** @return the step shown */
    public ReadOnlyObjectProperty<Step> stepProperty() {
        return step.getReadOnlyProperty();
    }

    /** @return the chosen answer's index, -1 before one is chosen */
    public ReadOnlyIntegerProperty answerProperty() {
        return answer.getReadOnlyProperty();
    }

    /** @return whether the prediction's answer is shown */
    public ReadOnlyBooleanProperty revealedProperty() {
        return revealed.getReadOnlyProperty();
    }
}
