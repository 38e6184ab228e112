package org.attnlab.app;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;
import javafx.stage.Stage;

/**
 * The program's JavaFX application: opens one {@link AttnLabWindow} with the {@link AppConfig}
 * given to {@link #launch(AppConfig)} (by {@link Main}, from the command line), and closes it
 * when JavaFX stops. Nothing is read from system properties here, and nothing is to be
 * subclassed: tests and tools open the window with {@link AttnLabWindow#open} themselves.
 */
public final class AttnLabApp extends Application {
    /** The configuration for the next launch (JavaFX instantiates the application itself). */
    private static final AtomicReference<AppConfig> NEXT = new AtomicReference<>();

    private AttnLabWindow window;

    @Override
    public void start(Stage stage) {
        AppConfig config = NEXT.getAndSet(null);
        window = AttnLabWindow.open(stage, config != null ? config : AppConfig.defaults());
    }

    @Override
    public void stop() {
        if (window != null) {
            window.close();
        }
    }

    /**
     * Opens the window with {@code config} if there is a display, and returns when it closed;
     * otherwise prints one line to stderr.
     *
     * @return 0 after the window closed, 1 if there is no display
     */
    public static int launch(AppConfig config) {
        if (!displayAvailable()) {
            System.err.println("attnlab: no display to open the window on (DISPLAY is not set); run a command "
                    + "instead, e.g. 'attnlab train --help', or set DISPLAY");
            return 1;
        }
        tuneRendering();
        NEXT.set(config);
        try {
            Application.launch(AttnLabApp.class);
        } catch (UnsupportedOperationException e) {
            // GTK could not open the display DISPLAY names (no X server there, or no permission)
            System.err.println("attnlab: cannot open the window: " + e.getMessage() + " (DISPLAY="
                    + System.getenv("DISPLAY") + "); check that an X server runs there, or run a command "
                    + "instead, e.g. 'attnlab train --help'");
            return 1;
        }
        return 0;
    }

    /**
     * Before JavaFX starts: let the renderer keep up to 15 separate dirty regions (default 6).
     * The window changes a dozen small areas per frame (each heatmap, the status figures); with
     * 6 they are merged into large boxes that repaint the charts between them every frame, which
     * a software renderer (a projector PC without a GPU) pays for in training speed. Tools that
     * start JavaFX themselves call it too.
     */
    public static void tuneRendering() {
        if (System.getProperty("prism.dirtyregioncount") == null) {
            System.setProperty("prism.dirtyregioncount", "15");
        }
    }

    /** @return false on Linux without X11 or Wayland display (unless Monocle renders headless) */
    public static boolean displayAvailable() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return true;
        }
        if ("Monocle".equalsIgnoreCase(System.getProperty("glass.platform"))) {
            return true;
        }
        return !isBlank(System.getenv("DISPLAY")) || !isBlank(System.getenv("WAYLAND_DISPLAY"));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
