package org.attnlab.app;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;
import javafx.scene.image.Image;
import org.attnlab.app.attention.AttentionViewModel;
import org.attnlab.app.common.Errors;
import org.attnlab.app.common.Format;
import org.attnlab.app.common.PngExport;
import org.attnlab.app.common.RecentFiles;
import org.attnlab.app.probe.ProbeViewModel;
import org.attnlab.app.training.TrainingSession;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.app.training.TrainingViewModel;
import org.attnlab.engine.train.RunSpec;

/**
 * The window's view model: owns the feature view models, hands each snapshot to them, and runs
 * the File menu's commands (open, save, recent files, PNG export). Problems become a
 * {@link Notice} that the view shows as an alert.
 */
public final class MainViewModel {
    /**
     * Something to tell the user in an alert.
     *
     * @param title the alert's title
     * @param text  one line
     */
    public record Notice(String title, String text) {
    }

    private final TrainingSession session;
    private final TrainingViewModel training;
    private final AttentionViewModel attention = new AttentionViewModel();
    private final ProbeViewModel probe;
    private final RecentFiles recent;
    private final ReadOnlyObjectWrapper<Notice> notice = new ReadOnlyObjectWrapper<>(this, "notice");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "Attention Lab");
    private final ReadOnlyObjectWrapper<TrainingSnapshot> snapshot = new ReadOnlyObjectWrapper<>(this, "snapshot");
    private TrainingSnapshot last;
    private long lastAnalysed;
    /**
     * Least time between two snapshots handed to the analysis views while training plays (they
     * run forward passes of their own on each): 5 per second keeps them live and leaves the
     * JavaFX thread free to draw. A paused or stepped model is handed over at once.
     */
    private static final long ANALYSIS_NANOS = 200_000_000L;

    /**
     * @param session the training thread
     * @param initial the preset the session started with
     * @param recent  the recent-files list
     */
    public MainViewModel(TrainingSession session, RunSpec initial, RecentFiles recent) {
        this.session = session;
        this.training = new TrainingViewModel(session, initial);
        this.probe = new ProbeViewModel(session);
        this.recent = recent;
    }

    /** Shows a snapshot in every view (JavaFX thread, from the frame timer). */
    public void accept(TrainingSnapshot s) {
        if (s == null || s == last) {
            return;
        }
        boolean newRun = last == null || last.runId() != s.runId();
        last = s;
        training.accept(s);
        attention.accept(s);
        probe.accept(s);
        long now = System.nanoTime();
        if (newRun || !s.running() || now - lastAnalysed >= ANALYSIS_NANOS) {
            lastAnalysed = now;
            snapshot.set(s);
        }
        if (newRun) {
            RunSpec r = s.spec();
            title.set("Attention Lab \u2014 " + r.task().displayName() + " (" + r.label() + ")");
        }
    }

    /** Opens a checkpoint; on failure an alert says why and the current model keeps going. */
    public void open(Path path) {
        open(path, true);
    }

    /**
     * Opens a checkpoint; on failure an alert says why and the current model keeps going.
     *
     * @param listInRecentFiles whether File &gt; Recent lists it once open (not a lesson's own file)
     */
    public void open(Path path, boolean listInRecentFiles) {
        session.open(path).whenComplete((setup, e) -> Platform.runLater(() -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof NoSuchFileException) {
                    recent.remove(path);
                }
                tell(new Notice("Could not open the checkpoint", Errors.oneLine(e)));
            } else {
                if (listInRecentFiles) {
                    recent.add(path);
                }
                training.announce("Opened " + path.getFileName() + " \u00b7 paused; press Play to continue");
            }
        }));
    }

    /** Saves a checkpoint (between two training steps). */
    public void save(Path path) {
        session.save(path).whenComplete((p, e) -> Platform.runLater(() -> {
            if (e != null) {
                tell(new Notice("Could not save the checkpoint", Errors.oneLine(e)));
            } else {
                recent.add(path);
                training.announce("Saved " + path.getFileName() + " at step "
                        + Format.integer(last == null ? 0 : last.step()));
            }
        }));
    }

    /** Writes an image as PNG; an alert says so if it fails. */
    public void exportPng(Image image, Path path) {
        try {
            PngExport.write(image, path);
            training.announce("Exported " + path.getFileName());
        } catch (IOException | RuntimeException e) {
            tell(new Notice("Could not export the image", Errors.oneLine(e)));
        }
    }

    /** Tells the user something in an alert. */
    public void tell(String title, String text) {
        tell(new Notice(title, text));
    }

    private void tell(Notice n) {
        notice.set(null);            // the same problem twice is still news
        notice.set(n);
    }

    /** @return a file name for saving now, e.g. {@code lego6-step1200.safetensors} */
    public String suggestedCheckpointName() {
        return last == null ? "attnlab.safetensors"
                : last.spec().label() + "-step" + last.step() + ".safetensors";
    }

    /** @return a file name for a PNG of {@code what} now */
    public String suggestedPngName(String what) {
        return (last == null ? "attnlab" : last.spec().label() + "-step" + last.step()) + "-" + what + ".png";
    }

    public TrainingViewModel training() {
        return training;
    }

    public AttentionViewModel attention() {
        return attention;
    }

    public ProbeViewModel probe() {
        return probe;
    }

    /** @return recently opened or saved checkpoints, newest first */
    public ObservableList<Path> recentFiles() {
        return recent.files();
    }

    /** @return the last problem to show, replaced by each new one */
    public ReadOnlyObjectProperty<Notice> noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** @return the window title */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /**
     * @return the newest snapshot, set on the JavaFX thread at most 5 times a second while training
     *         plays (at once when paused, stepped or reset); views beyond the
     *         training tab (residual stream, interventions, ...) listen to it. Its
     *         {@link org.attnlab.app.training.ProbeResult#model()} is a parameter copy they may analyse
     */
    public ReadOnlyObjectProperty<TrainingSnapshot> snapshotProperty() {
        return snapshot.getReadOnlyProperty();
    }

    /** @return the training thread (for views that queue their own commands) */
    public TrainingSession session() {
        return session;
    }

    /** @return the newest snapshot shown, or null */
    public TrainingSnapshot lastSnapshot() {
        return last;
    }
}
