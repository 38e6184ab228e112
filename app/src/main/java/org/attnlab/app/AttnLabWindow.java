package org.attnlab.app;

import atlantafx.base.theme.PrimerLight;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.prefs.Preferences;
import javafx.application.Application;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.input.KeyEvent;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.attnlab.app.attention.AttentionViewModel;
import org.attnlab.app.common.BackgroundPriority;
import org.attnlab.app.common.FileDialogs;
import org.attnlab.app.common.RecentFiles;
import org.attnlab.app.inside.InsideFeature;
import org.attnlab.app.interventions.InterventionsFeature;
import org.attnlab.app.lessons.LessonProgress;
import org.attnlab.app.lessons.LessonsFeature;
import org.attnlab.app.session.AutosaveController;
import org.attnlab.app.training.DrawingBudget;
import org.attnlab.app.training.SnapshotTimer;
import org.attnlab.app.training.TrainingSession;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.app.training.TrainingViewModel;
import org.attnlab.app.window.Contribution;
import org.attnlab.app.window.Feature;
import org.attnlab.app.window.SidePanels;
import org.attnlab.app.window.Shortcut;
import org.attnlab.app.window.WindowContext;

/**
 * The composition root of the window: the one place that builds it and knows every feature. It
 * starts the training thread ({@link TrainingSession}) paused on the configured preset, builds the
 * frame ({@link MainView}), installs the features in order ({@link #features}: training, the views
 * inside the model, the interventions, the lessons and classroom mode), each through a
 * {@link WindowContext}, starts the frame timer ({@link SnapshotTimer}) that shows the newest
 * snapshot, and the autosave. The program ({@link AttnLabApp}), the UI tests and the measuring
 * tools all open the window here.
 */
public final class AttnLabWindow {
    /** The window's theme (on top of AtlantaFX Primer Light). */
    public static final String THEME = "/assets/themes/attnlab.css";

    private final Stage stage;
    private final TrainingSession session;
    private final MainViewModel viewModel;
    private final MainView view;
    private final List<Feature> features;
    private final SnapshotTimer timer;
    private final AutosaveController autosave;
    private boolean closed;

    private AttnLabWindow(Stage stage, AppConfig config) {
        this.stage = stage;
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        BackgroundPriority.start();          // training must not keep the JavaFX thread waiting for a core
        session = new TrainingSession(config.startPreset(), config.frameMillis());
        viewModel = new MainViewModel(session, config.startPreset(),
                new RecentFiles(Preferences.userRoot().node(config.preferencesNode())));
        view = new MainView(viewModel, config.fileDialogs());
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(view, Math.min(1440, screen.getWidth()), Math.min(900, screen.getHeight()));
        scene.getStylesheets().add(Objects.requireNonNull(AttnLabWindow.class.getResource(THEME), THEME)
                .toExternalForm());
        stage.titleProperty().bind(viewModel.titleProperty());
        stage.setScene(scene);
        stage.setMinWidth(1024);
        stage.setMinHeight(640);

        features = features(config);
        WindowContext context = new Context(config.fileDialogs());
        List<List<Shortcut>> keys = new ArrayList<>();
        for (Feature f : features) {
            Contribution c = f.install(context);
            c.views().forEach(view::addView);
            c.menus().forEach(view::addMenu);
            keys.add(c.shortcuts());
        }
        view.installShortcuts(scene);
        // keys go to the features listed last first (Feature): the lessons before the training keys
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            for (int i = keys.size() - 1; i >= 0; i--) {
                for (Shortcut s : keys.get(i)) {
                    if (s.when().test(e)) {
                        s.action().run();
                        e.consume();
                        return;
                    }
                }
            }
        });
        stage.show();

        timer = new SnapshotTimer(session::latest, viewModel::accept);
        timer.setBudget(new DrawingBudget(session::setPublishInterval));
        timer.start();
        autosave = config.autosave().map(store -> new AutosaveController(session, viewModel.training(),
                viewModel::lastSnapshot, store, config.autosaveSeconds(), view::currentViewName, view::selectView,
                node -> view.showBanner("autosave", node))).orElse(null);
        if (autosave != null) {
            autosave.start();
        }
        if (config.autoplay()) {
            viewModel.training().play();
        }
    }

    /**
     * The window's features, in order: their tabs and menus appear in this order, and keys go to
     * the last first. A new feature is one more line here.
     */
    private List<Feature> features(AppConfig config) {
        return List.of(
                new TrainingFeature(view::exportHeatmap, () -> viewModel.probe().regenerate()),
                new InsideFeature(),
                new InterventionsFeature(),
                new LessonsFeature(LessonsFeature.shippedLessons(),
                        new LessonProgress(Preferences.userRoot().node(config.lessonProgressNode()))));
    }

    /**
     * Opens the window on {@code stage} (JavaFX thread): sets its scene, shows it, and starts
     * training paused on the configured preset (or playing, with autoplay).
     *
     * @param stage  the window to fill (its scene is replaced)
     * @param config what to start with
     * @return the open window; {@link #close()} it when done
     */
    public static AttnLabWindow open(Stage stage, AppConfig config) {
        return new AttnLabWindow(Objects.requireNonNull(stage), Objects.requireNonNull(config));
    }

    /**
     * Stops the window's work (JavaFX thread): the frame timer, then saves the session if autosave
     * is on (waiting up to 10 s: nothing lost when the window closes), closes the features and ends
     * the training thread. The stage itself is left to its owner. Later calls do nothing.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.stop();
        if (autosave != null) {
            autosave.saveAndWait(10_000);
        }
        for (int i = features.size() - 1; i >= 0; i--) {
            features.get(i).close();
        }
        session.close();
    }

    /** @return the window's view model */
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

    /** @return the window's frame */
    public MainView view() {
        return view;
    }

    /** @return the stage the window is shown on */
    public Stage stage() {
        return stage;
    }

    /**
     * @return the installed feature of that type (tests reach the lessons' state this way)
     * @throws IllegalArgumentException if there is none
     */
    public <F extends Feature> F feature(Class<F> type) {
        return features.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no feature " + type.getSimpleName()));
    }

    /** What the features may use of the window. */
    private final class Context implements WindowContext {
        private final FileDialogs dialogs;
        private final SidePanels panels = new SidePanels(view.leftProperty(), view.rightProperty(),
                view.bottomProperty());

        Context(FileDialogs dialogs) {
            this.dialogs = dialogs;
        }

        @Override
        public ReadOnlyObjectProperty<TrainingSnapshot> snapshotProperty() {
            return viewModel.snapshotProperty();
        }

        @Override
        public AttentionViewModel attention() {
            return viewModel.attention();
        }

        @Override
        public TrainingViewModel training() {
            return viewModel.training();
        }

        @Override
        public void openCheckpoint(Path file, boolean listInRecentFiles) {
            viewModel.open(file, listInRecentFiles);
        }

        @Override
        public void exportPng(String what, Supplier<? extends Image> picture) {
            view.exportPng(what, picture);
        }

        @Override
        public FileDialogs dialogs() {
            return dialogs;
        }

        @Override
        public void showBanner(String kind, Node banner) {
            view.showBanner(kind, banner);
        }

        @Override
        public void selectView(String name) {
            view.selectView(name);
        }

        @Override
        public String currentViewName() {
            return view.currentViewName();
        }

        @Override
        public void tell(String title, String text) {
            viewModel.tell(title, text);
        }

        @Override
        public Stage stage() {
            return stage;
        }

        @Override
        public SidePanels panels() {
            return panels;
        }
    }
}
