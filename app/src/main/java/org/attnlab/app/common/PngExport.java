package org.attnlab.app.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.Image;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;

/** Writes what a node shows as a PNG (on the JavaFX thread: snapshots read the scene graph). */
public final class PngExport {
    private PngExport() {
    }

    /** @return a snapshot of {@code node} at {@code scale} times its size (2 for a crisp slide) */
    public static WritableImage snapshot(Node node, double scale) {
        SnapshotParameters p = new SnapshotParameters();
        p.setTransform(javafx.scene.transform.Transform.scale(scale, scale));
        return node.snapshot(p, null);
    }

    /**
     * Writes {@code image} to {@code path} as PNG, creating parent folders.
     *
     * @throws IOException if it cannot be written
     */
    public static void write(Image image, Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", path.toFile())) {
            throw new IOException("no PNG writer available for " + path);
        }
    }
}
