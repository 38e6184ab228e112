package org.attnlab.tests.ui;

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

    /** @return {@code c}'s result, computed on the JavaFX thread (at most 10 s) */
    static <T> T fx(Callable<T> c) {
        return fx(c, 10);
    }

    /** @return {@code c}'s result, computed on the JavaFX thread (at most {@code seconds}) */
    static <T> T fx(Callable<T> c, double seconds) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get((long) (seconds * 1000), TimeUnit.MILLISECONDS);
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

    /**
     * Waits until {@code condition} (evaluated on the JavaFX thread) holds, or fails with {@code what}
     * ({@link WaitForAsyncUtils#waitFor} with a timeout, never a fixed sleep).
     */
    static void waitUntil(String what, double seconds, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor((long) (seconds * 1000), TimeUnit.MILLISECONDS, () -> fx(condition::getAsBoolean));
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + seconds + " s waiting until " + what, e);
        }
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
}
