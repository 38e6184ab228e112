package org.attnlab.tests.ui;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;
import org.testfx.util.WaitForAsyncUtils;

/** Helpers of the UI tests: run on the JavaFX thread, wait for a condition, take screenshots. */
final class Ui {
    /** Where screenshots go (tests/target/screenshots when run by Maven from the tests module). */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private Ui() {
    }

    /** @return {@code c}'s result, computed on the JavaFX thread */
    static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("JavaFX call failed: " + e, e);
        }
    }

    /** Runs {@code r} on the JavaFX thread and waits for it. */
    static void fxRun(Runnable r) {
        fx(() -> {
            r.run();
            return null;
        });
    }

    /** Waits until {@code condition} (evaluated on the JavaFX thread) holds, or fails with {@code what}. */
    static void waitUntil(String what, double seconds, BooleanSupplier condition) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            if (fx(condition::getAsBoolean)) {
                return;
            }
            WaitForAsyncUtils.sleep(50, TimeUnit.MILLISECONDS);
        }
        fail("timed out after " + seconds + " s waiting until " + what);
    }

    /** Writes what {@code scene} shows to target/screenshots/{@code name}.png. */
    static Path screenshot(Scene scene, String name) {
        Path out = SCREENSHOTS.resolve(name + ".png");
        WritableImage img = fx(() -> scene.snapshot(null));
        try {
            Files.createDirectories(SCREENSHOTS);
            ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", out.toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot write " + out + ": " + e, e);
        }
        return out;
    }

    /**
     * Starts the real application on a preset, with recent files kept in their own preferences
     * node, and waits for its first snapshot.
     */
    static org.attnlab.app.AttnLabApp openApp(String preset, String prefsNode) throws Exception {
        System.setProperty(org.attnlab.app.AttnLabApp.PRESET_PROPERTY, preset);
        System.setProperty(org.attnlab.app.common.RecentFiles.NODE_PROPERTY, prefsNode);
        org.testfx.api.FxToolkit.registerPrimaryStage();
        org.attnlab.app.AttnLabApp app = (org.attnlab.app.AttnLabApp) org.testfx.api.FxToolkit.setupApplication(
                org.attnlab.app.AttnLabApp.class);
        waitUntil("the first snapshot", 20, () -> app.viewModel().lastSnapshot() != null);
        return app;
    }

    /** Closes an application opened by {@link #openApp} and removes what it set. */
    static void closeApp(org.attnlab.app.AttnLabApp app, String prefsNode) throws Exception {
        org.testfx.api.FxToolkit.cleanupApplication(app);
        System.clearProperty(org.attnlab.app.AttnLabApp.PRESET_PROPERTY);
        System.clearProperty(org.attnlab.app.common.RecentFiles.NODE_PROPERTY);
        java.util.prefs.Preferences.userRoot().node(prefsNode).removeNode();
    }
}
