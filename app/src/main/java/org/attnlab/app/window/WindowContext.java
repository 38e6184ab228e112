package org.attnlab.app.window;

import java.nio.file.Path;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.scene.Node;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.attnlab.app.attention.AttentionViewModel;
import org.attnlab.app.common.FileDialogs;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.app.training.TrainingViewModel;

/**
 * What a {@link Feature} may use of the window: the newest snapshot, the selected head, the
 * training commands, PNG export, file dialogs, banners, the views (tabs) by name, alerts, and, for
 * classroom mode, the stage and the side panels. Everything on the JavaFX thread.
 */
public interface WindowContext {
    /**
     * @return the newest snapshot for analysis views: set at most 5 times a second while training
     *     plays, at once when paused, stepped or reset; its {@code probe().model()} is a parameter
     *     copy that may be analysed on any thread
     */
    ReadOnlyObjectProperty<TrainingSnapshot> snapshotProperty();

    /** @return the attention grid's state: the probe's patterns, the selected head, a pinned moment */
    AttentionViewModel attention();

    /** @return the training commands (play, step, reset), the settings sheet and the control locks */
    TrainingViewModel training();

    /** Opens a checkpoint as File &gt; Open does (an alert says why if it fails; recent files list it). */
    default void openCheckpoint(Path file) {
        openCheckpoint(file, true);
    }

    /**
     * Opens a checkpoint as File &gt; Open does (an alert says why if it fails).
     *
     * @param listInRecentFiles false for a file the user did not pick (a lesson's checkpoint,
     *                          copied to a temporary folder): File &gt; Recent does not list it
     */
    void openCheckpoint(Path file, boolean listInRecentFiles);

    /**
     * Exports a picture as PNG: asks where (suggesting {@code <preset>-step<n>-<what>.png}), then
     * takes the picture and writes it; the status bar says so, an alert if it fails.
     *
     * @param what    what the picture shows, part of the file name, e.g. {@code residual-stream}
     * @param picture takes the picture (after the user chose the file)
     */
    void exportPng(String what, Supplier<? extends Image> picture);

    /** @return the file dialogs (native ones; tests give their own) */
    FileDialogs dialogs();

    /**
     * Shows a banner below the transport bar, replacing the previous one of the same kind;
     * {@code null} removes it. Banners of different kinds stack.
     *
     * @param kind what the banner is about, e.g. {@code autosave} or {@code problem}
     */
    void showBanner(String kind, Node banner);

    /** Opens the view (tab) of that name, if there is one. */
    void selectView(String name);

    /** @return the name of the open view (tab), or null */
    String currentViewName();

    /** Tells the user something in an alert (one line). */
    void tell(String title, String text);

    /** @return the window (full screen; its scene's stylesheets) */
    Stage stage();

    /** @return the side panels around the views */
    SidePanels panels();
}
