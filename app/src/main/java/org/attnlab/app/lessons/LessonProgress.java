package org.attnlab.app.lessons;

import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * Where the reader is in the course, kept with {@link Preferences} so it survives a restart: the
 * open lesson, and per lesson the step reached and the furthest step seen.
 */
public final class LessonProgress {
    private static final String CURRENT = "current";

    private final Preferences prefs;

    /** @param prefs the node to keep the progress in */
    public LessonProgress(Preferences prefs) {
        this.prefs = prefs;
    }

    /** @return the id of the lesson open last, or null */
    public String currentLesson() {
        return prefs.get(CURRENT, null);
    }

    /** @return the step of lesson {@code id} the reader was on (0 if never opened) */
    public int step(String id) {
        return Math.max(0, prefs.getInt("step." + id, 0));
    }

    /** @return how many steps of lesson {@code id} the reader has seen (0 if never opened) */
    public int seen(String id) {
        return Math.max(0, prefs.getInt("seen." + id, 0));
    }

    /** Records that the reader is on step {@code step} of lesson {@code id}, and saves. */
    public void record(String id, int step) {
        prefs.put(CURRENT, id);
        prefs.putInt("step." + id, step);
        prefs.putInt("seen." + id, Math.max(seen(id), step + 1));
        try {
            prefs.flush();
        } catch (BackingStoreException e) {
            // progress is a convenience: kept in memory for this run if it cannot be saved
        }
    }
}
