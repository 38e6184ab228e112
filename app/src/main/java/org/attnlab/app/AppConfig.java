package org.attnlab.app;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.attnlab.app.common.FileDialogs;
import org.attnlab.app.session.Autosave;
import org.attnlab.app.session.AutosaveController;
import org.attnlab.app.training.TrainingSession;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.RunSpec;

/**
 * How to open the window ({@link AttnLabWindow#open}): {@link Main} builds it from the command
 * line's system properties, tests and tools build their own. Immutable; the {@code with} methods
 * return changed copies.
 *
 * @param startPreset        the run the window starts on, a preset (paused at step 0)
 * @param autoplay           whether to press Play at once (demos, measurements)
 * @param frameMillis        least milliseconds between two screen updates while training (a slow
 *                           machine can trade smoothness for training speed)
 * @param preferencesNode    the user preferences node of the recent files, e.g. {@code org/attnlab/app}
 * @param lessonProgressNode the user preferences node of where the reader is in the lessons
 * @param autosave           where the session is autosaved; empty: no autosave (and no offer to restore)
 * @param autosaveSeconds    seconds between two autosaves while the model changes (at least 1)
 * @param fileDialogs        asks for files (native choosers; tests answer themselves)
 */
public record AppConfig(RunSpec startPreset, boolean autoplay, long frameMillis, String preferencesNode,
                        String lessonProgressNode, Optional<Autosave> autosave, double autosaveSeconds,
                        FileDialogs fileDialogs) {
    /** The preset shown at start unless configured otherwise. */
    public static final String DEFAULT_PRESET = "flipflop16";
    /** The program's preferences node. */
    public static final String DEFAULT_PREFERENCES_NODE = "org/attnlab/app";
    /** The program's lesson progress node. */
    public static final String DEFAULT_LESSON_PROGRESS_NODE = "org/attnlab/app/lessons";

    /**
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code frameMillis} is negative or {@code autosaveSeconds} below 1
     */
    public AppConfig {
        Objects.requireNonNull(startPreset, "startPreset");
        Objects.requireNonNull(preferencesNode, "preferencesNode");
        Objects.requireNonNull(lessonProgressNode, "lessonProgressNode");
        Objects.requireNonNull(autosave, "autosave");
        Objects.requireNonNull(fileDialogs, "fileDialogs");
        if (frameMillis < 0) {
            throw new IllegalArgumentException("frameMillis must be >= 0, got " + frameMillis);
        }
        if (!(autosaveSeconds >= 1)) {
            throw new IllegalArgumentException("autosaveSeconds must be >= 1, got " + autosaveSeconds);
        }
    }

    /**
     * @return the window as a user gets it: {@value #DEFAULT_PRESET}, paused, a frame at most every
     *     {@value TrainingSession#PUBLISH_MILLIS} ms, the program's preferences, autosave every
     *     minute in {@code ~/.attnlab/autosave}, native file dialogs
     */
    public static AppConfig defaults() {
        return new AppConfig(Presets.byName(DEFAULT_PRESET), false, TrainingSession.PUBLISH_MILLIS,
                DEFAULT_PREFERENCES_NODE, DEFAULT_LESSON_PROGRESS_NODE, Optional.of(Autosave.forUser()),
                AutosaveController.DEFAULT_INTERVAL_SECONDS, FileDialogs.system());
    }

    /** @return this with the start preset of that name ({@link Presets#byName}, which throws for an unknown one) */
    public AppConfig withStartPreset(String name) {
        return withStartPreset(Presets.byName(name));
    }

    /** @return this with {@code p} as the start preset */
    public AppConfig withStartPreset(RunSpec p) {
        return new AppConfig(p, autoplay, frameMillis, preferencesNode, lessonProgressNode, autosave, autosaveSeconds,
                fileDialogs);
    }

    /** @return this, pressing Play at start or not */
    public AppConfig withAutoplay(boolean on) {
        return new AppConfig(startPreset, on, frameMillis, preferencesNode, lessonProgressNode, autosave,
                autosaveSeconds, fileDialogs);
    }

    /** @return this with at least {@code millis} between two screen updates while training */
    public AppConfig withFrameMillis(long millis) {
        return new AppConfig(startPreset, autoplay, millis, preferencesNode, lessonProgressNode, autosave,
                autosaveSeconds, fileDialogs);
    }

    /** @return this keeping recent files in {@code node} and the lesson progress in {@code lessonsNode} */
    public AppConfig withPreferences(String node, String lessonsNode) {
        return new AppConfig(startPreset, autoplay, frameMillis, node, lessonsNode, autosave, autosaveSeconds,
                fileDialogs);
    }

    /** @return this autosaving in {@code dir} */
    public AppConfig withAutosave(Path dir) {
        return new AppConfig(startPreset, autoplay, frameMillis, preferencesNode, lessonProgressNode,
                Optional.of(new Autosave(dir)), autosaveSeconds, fileDialogs);
    }

    /** @return this without autosave */
    public AppConfig withoutAutosave() {
        return new AppConfig(startPreset, autoplay, frameMillis, preferencesNode, lessonProgressNode, Optional.empty(),
                autosaveSeconds, fileDialogs);
    }

    /** @return this autosaving every {@code seconds} while the model changes */
    public AppConfig withAutosaveSeconds(double seconds) {
        return new AppConfig(startPreset, autoplay, frameMillis, preferencesNode, lessonProgressNode, autosave, seconds,
                fileDialogs);
    }

    /** @return this asking for files with {@code dialogs} */
    public AppConfig withFileDialogs(FileDialogs dialogs) {
        return new AppConfig(startPreset, autoplay, frameMillis, preferencesNode, lessonProgressNode, autosave,
                autosaveSeconds, dialogs);
    }
}
