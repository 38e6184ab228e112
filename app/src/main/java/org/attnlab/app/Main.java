package org.attnlab.app;

import java.nio.file.Path;
import org.attnlab.app.cli.AttnLabCli;
import org.attnlab.app.session.AutosaveController;
import org.attnlab.app.training.TrainingSession;
import org.attnlab.engine.compute.Simd;

/**
 * The program's entry point. A plain class (not a JavaFX {@code Application}) so that a shaded
 * jar can start: with arguments it runs the command line without touching JavaFX; with none it
 * opens the window. Started without {@code --add-modules jdk.incubator.vector} (as
 * {@code java -jar attnlab.jar} is), it first starts itself again with it, so that the engine's
 * matrix kernels use the Vector API ({@link Simd#relaunchWithVectorApi}). The window is
 * configured from these system properties (read here and nowhere else):
 * <ul>
 *   <li>{@value #PRESET_PROPERTY}: the preset at start (default {@value AppConfig#DEFAULT_PRESET});</li>
 *   <li>{@value #AUTOPLAY_PROPERTY}{@code =true}: start training at once (demos, measurements);</li>
 *   <li>{@value #FRAME_MILLIS_PROPERTY}: least milliseconds between two screen updates while
 *       training (default {@value TrainingSession#PUBLISH_MILLIS}; a slow machine can trade
 *       smoothness for training speed);</li>
 *   <li>{@value #AUTOSAVE_DIR_PROPERTY}: where the session is autosaved (default
 *       {@code ~/.attnlab/autosave}; {@code off} turns autosave off);</li>
 *   <li>{@value #AUTOSAVE_SECONDS_PROPERTY}: seconds between two autosaves (default 60);</li>
 *   <li>{@value #PREFS_NODE_PROPERTY} and {@value #LESSONS_PREFS_NODE_PROPERTY}: the preferences
 *       nodes of the recent files and of the lesson progress.</li>
 * </ul>
 */
public final class Main {
    /** System property naming the preset to start with. */
    public static final String PRESET_PROPERTY = "attnlab.preset";
    /** System property: {@code true} presses Play at start. */
    public static final String AUTOPLAY_PROPERTY = "attnlab.autoplay";
    /** System property: least milliseconds between two screen updates while training. */
    public static final String FRAME_MILLIS_PROPERTY = "attnlab.frameMillis";
    /** System property naming the autosave folder, or {@code off}. */
    public static final String AUTOSAVE_DIR_PROPERTY = "attnlab.autosaveDir";
    /** System property: seconds between two autosaves while the model changes. */
    public static final String AUTOSAVE_SECONDS_PROPERTY = "attnlab.autosaveSeconds";
    /** System property naming the preferences node of the recent files. */
    public static final String PREFS_NODE_PROPERTY = "attnlab.prefs.node";
    /** System property naming the preferences node of the lesson progress. */
    public static final String LESSONS_PREFS_NODE_PROPERTY = "attnlab.lessons.prefs.node";

    private Main() {
    }

    /**
     * @param args command-line arguments; none opens the window (or says there is no display)
     */
    public static void main(String[] args) {
        int relaunched = Simd.relaunchWithVectorApi(Main.class, args);   // java -jar: add the Vector API
        if (relaunched >= 0) {
            System.exit(relaunched);
            return;
        }
        if (args.length == 0) {
            AppConfig config;
            try {
                config = fromSystemProperties();
            } catch (IllegalArgumentException e) {
                System.err.println("attnlab: " + e.getMessage());
                System.exit(2);
                return;
            }
            System.exit(AttnLabApp.launch(config));
        }
        System.exit(AttnLabCli.run(args));
    }

    /**
     * @return the window's configuration as the system properties above set it
     * @throws IllegalArgumentException for an unknown preset or a number that does not parse
     */
    public static AppConfig fromSystemProperties() {
        AppConfig c = AppConfig.defaults()
                .withStartPreset(System.getProperty(PRESET_PROPERTY, AppConfig.DEFAULT_PRESET))
                .withAutoplay(Boolean.getBoolean(AUTOPLAY_PROPERTY))
                .withFrameMillis(number(FRAME_MILLIS_PROPERTY, TrainingSession.PUBLISH_MILLIS))
                .withPreferences(System.getProperty(PREFS_NODE_PROPERTY, AppConfig.DEFAULT_PREFERENCES_NODE),
                        System.getProperty(LESSONS_PREFS_NODE_PROPERTY, AppConfig.DEFAULT_LESSON_PROGRESS_NODE))
                .withAutosaveSeconds(Math.max(1, decimal(AUTOSAVE_SECONDS_PROPERTY,
                        AutosaveController.DEFAULT_INTERVAL_SECONDS)));
        String dir = System.getProperty(AUTOSAVE_DIR_PROPERTY);
        if ("off".equals(dir)) {
            c = c.withoutAutosave();
        } else if (dir != null) {
            c = c.withAutosave(Path.of(dir));
        }
        return c;
    }

    private static long number(String property, long otherwise) {
        String s = System.getProperty(property);
        try {
            return s == null ? otherwise : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " must be a whole number, got '" + s + "'");
        }
    }

    private static double decimal(String property, double otherwise) {
        String s = System.getProperty(property);
        try {
            return s == null ? otherwise : Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " must be a number, got '" + s + "'");
        }
    }
}
