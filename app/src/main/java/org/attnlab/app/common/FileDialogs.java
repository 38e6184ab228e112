package org.attnlab.app.common;

import java.nio.file.Path;
import java.util.Optional;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * Asks the user for a file. The window uses {@link #system()}, native file choosers; tests
 * replace it (a file chooser cannot be driven headless).
 */
public interface FileDialogs {
    /** @return a checkpoint to open, or empty if the user cancelled */
    Optional<Path> openCheckpoint(Window owner);

    /** @return where to save a checkpoint, or empty if the user cancelled */
    Optional<Path> saveCheckpoint(Window owner, String suggestedName);

    /** @return where to write a PNG, or empty if the user cancelled */
    Optional<Path> savePng(Window owner, String suggestedName);

    /** @return file choosers of the platform */
    static FileDialogs system() {
        return new FileDialogs() {
            private Path lastFolder;

            @Override
            public Optional<Path> openCheckpoint(Window owner) {
                FileChooser c = chooser("Open checkpoint", "Checkpoints (*.safetensors)", "*.safetensors");
                return remember(c.showOpenDialog(owner));
            }

            @Override
            public Optional<Path> saveCheckpoint(Window owner, String suggestedName) {
                FileChooser c = chooser("Save checkpoint", "Checkpoints (*.safetensors)", "*.safetensors");
                c.setInitialFileName(suggestedName);
                return remember(c.showSaveDialog(owner));
            }

            @Override
            public Optional<Path> savePng(Window owner, String suggestedName) {
                FileChooser c = chooser("Export PNG", "PNG images (*.png)", "*.png");
                c.setInitialFileName(suggestedName);
                return remember(c.showSaveDialog(owner));
            }

            private FileChooser chooser(String title, String description, String glob) {
                FileChooser c = new FileChooser();
                c.setTitle(title);
                c.getExtensionFilters().add(new FileChooser.ExtensionFilter(description, glob));
                if (lastFolder != null && lastFolder.toFile().isDirectory()) {
                    c.setInitialDirectory(lastFolder.toFile());
                }
                return c;
            }

            private Optional<Path> remember(java.io.File f) {
                if (f == null) {
                    return Optional.empty();
                }
                lastFolder = f.toPath().toAbsolutePath().getParent();
                return Optional.of(f.toPath());
            }
        };
    }
}
