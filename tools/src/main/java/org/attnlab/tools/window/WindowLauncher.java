package org.attnlab.tools.window;

import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.attnlab.app.AppConfig;
import org.attnlab.app.AttnLabApp;
import org.attnlab.app.AttnLabWindow;

/**
 * Opens the real window for a measuring tool, the way the program does ({@link AttnLabWindow#open})
 * but without the program's JavaFX application: starts JavaFX, opens the window with the tool's
 * {@link AppConfig}, hands it to the tool on the JavaFX thread, and returns when the tool called
 * {@link #finish} (or the window was closed).
 */
final class WindowLauncher {
    private static final CountDownLatch DONE = new CountDownLatch(1);
    private static volatile AttnLabWindow window;

    private WindowLauncher() {
    }

    /**
     * @param tool   the tool's name, for the one-line error without a display
     * @param config the window's configuration
     * @param opened called on the JavaFX thread with the open window
     * @return the exit status: 0 when done, 1 without a display
     */
    static int run(String tool, AppConfig config, Consumer<AttnLabWindow> opened) throws InterruptedException {
        if (!AttnLabApp.displayAvailable()) {
            System.err.println(tool + ": no display (set DISPLAY, e.g. under Xvfb)");
            return 1;
        }
        AttnLabApp.tuneRendering();
        Platform.startup(() -> {
            Stage stage = new Stage();
            window = AttnLabWindow.open(stage, config);
            stage.setOnHidden(e -> finish());
            opened.accept(window);
        });
        DONE.await();
        return 0;
    }

    /** Closes the window (its training thread, its autosave) and ends JavaFX; callable from any thread. */
    static void finish() {
        Platform.runLater(() -> {
            if (window != null) {
                window.close();
            }
            Platform.exit();
            DONE.countDown();
        });
    }
}
