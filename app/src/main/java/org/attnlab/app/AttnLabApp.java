package org.attnlab.app;

import atlantafx.base.theme.PrimerLight;
import java.util.Objects;
import javafx.application.Application;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.attnlab.app.common.BackgroundPriority;
import org.attnlab.app.common.FileDialogs;
import org.attnlab.app.common.RecentFiles;
import org.attnlab.app.session.Autosave;
import org.attnlab.app.session.AutosaveController;
import org.attnlab.app.training.DrawingBudget;
import org.attnlab.app.training.RunSetup;
import org.attnlab.app.training.SnapshotTimer;
import org.attnlab.app.training.TrainingSession;
import org.attnlab.engine.train.Preset;
import org.attnlab.engine.train.Presets;

/**
 * The Attention Lab window. Starts the training thread ({@link TrainingSession}) paused on the
 * default preset and a frame timer ({@link SnapshotTimer}) that shows its newest snapshot.
 *
 * <p>System properties: {@value #PRESET_PROPERTY} picks the preset at start (default
 * {@value #DEFAULT_PRESET}); {@value #AUTOPLAY_PROPERTY}{@code =true} starts training at once
 * (for demos and measurements); {@value #FRAME_MILLIS_PROPERTY} sets the least time between two
 * screen updates while training (a slow machine can trade smoothness for training speed);
 * {@code attnlab.autosaveDir} moves the autosaved session ({@code off} turns autosave off).
 */
public class AttnLabApp extends Application {
    /** The preset shown at start. */
    public static final String DEFAULT_PRESET = "flipflop16";
    /** System property naming the preset to start with. */
    public static final String PRESET_PROPERTY = "attnlab.preset";
    /** System property: {@code true} presses Play at start. */
    public static final String AUTOPLAY_PROPERTY = "attnlab.autoplay";
    /** System property: least milliseconds between two screen updates while training (default 50). */
    public static final String FRAME_MILLIS_PROPERTY = "attnlab.frameMillis";
    private static final String THEME = "/assets/themes/attnlab.css";

    private TrainingSession session;
    private MainViewModel viewModel;
    private SnapshotTimer timer;
    private AutosaveController autosave;
    private volatile FileDialogs dialogs = FileDialogs.system();

    @Override
    public void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        BackgroundPriority.start();          // training must not keep the JavaFX thread waiting for a core
        Preset initial = Presets.byName(System.getProperty(PRESET_PROPERTY, DEFAULT_PRESET));
        session = new TrainingSession(RunSetup.of(initial),
                Long.getLong(FRAME_MILLIS_PROPERTY, TrainingSession.PUBLISH_MILLIS));
        viewModel = new MainViewModel(session, initial, RecentFiles.forUser());
        MainView view = new MainView(viewModel, () -> dialogs);
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(view, Math.min(1440, screen.getWidth()), Math.min(900, screen.getHeight()));
        scene.getStylesheets().add(Objects.requireNonNull(AttnLabApp.class.getResource(THEME), THEME)
                .toExternalForm());
        view.installShortcuts(scene);
        stage.titleProperty().bind(viewModel.titleProperty());
        stage.setScene(scene);
        stage.setMinWidth(1024);
        stage.setMinHeight(640);
        stage.show();
        // the Lessons menu, the lesson panel and classroom mode (F1, F5, F11, Ctrl+Plus/Minus, Page Up/Down)
        org.attnlab.app.lessons.LessonsUi.install(view, viewModel, stage);
        org.attnlab.app.inside.Typesetting.warmUpInBackground();   // the first formula must not stall a frame
        timer = new SnapshotTimer(session::latest, viewModel::accept);
        timer.setBudget(new DrawingBudget(session::setPublishInterval));
        timer.start();
        Autosave.forUser().ifPresent(store -> {
            autosave = new AutosaveController(viewModel, store, view::currentViewName, view::selectView,
                    node -> view.showBanner("autosave", node));
            autosave.start();
        });
        if (Boolean.getBoolean(AUTOPLAY_PROPERTY)) {
            viewModel.training().play();
        }
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.stop();
        }
        if (autosave != null) {
            autosave.saveAndWait(10_000);     // nothing lost when the window closes
        }
        if (session != null) {
            session.close();
        }
    }

    /** @return the window's view model (for tests and lessons) */
    public MainViewModel viewModel() {
        return viewModel;
    }

    /** @return the training session (for tests and measurements) */
    public TrainingSession session() {
        return session;
    }

    /** @return the frame timer (its frame count measures the frame rate) */
    public SnapshotTimer timer() {
        return timer;
    }

    /** @param d the file dialogs to use from now on (tests replace the native ones) */
    public void setFileDialogs(FileDialogs d) {
        dialogs = Objects.requireNonNull(d);
    }

    /**
     * Opens the window if there is a display; otherwise prints one line to stderr.
     *
     * @return 0 after the window closed, 1 if there is no display
     */
    public static int launchWindow(String[] args) {
        if (!displayAvailable()) {
            System.err.println("attnlab: no display to open the window on (DISPLAY is not set); run a command "
                    + "instead, e.g. 'attnlab train --help', or set DISPLAY");
            return 1;
        }
        tuneRendering();
        Application.launch(AttnLabApp.class, args);
        return 0;
    }

    /**
     * Before JavaFX starts: let the renderer keep up to 15 separate dirty regions (default 6).
     * The window changes a dozen small areas per frame (each heatmap, the status figures); with
     * 6 they are merged into large boxes that repaint the charts between them every frame, which
     * a software renderer (a projector PC without a GPU) pays for in training speed.
     */
    static void tuneRendering() {
        if (System.getProperty("prism.dirtyregioncount") == null) {
            System.setProperty("prism.dirtyregioncount", "15");
        }
    }

    /** @return false on Linux without X11 or Wayland display (unless Monocle renders headless) */
    static boolean displayAvailable() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
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
