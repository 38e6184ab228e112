package org.attnlab.app.lessons;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import org.attnlab.app.classroom.ClassroomMode;
import org.attnlab.app.common.Styles;
import org.attnlab.app.window.Contribution;
import org.attnlab.app.window.Feature;
import org.attnlab.app.window.Shortcut;
import org.attnlab.app.window.WindowContext;
import org.attnlab.lessons.Lesson;
import org.attnlab.lessons.LessonLibrary;
import org.attnlab.lessons.StepSetup;

/**
 * The lessons and classroom mode: the Lessons menu, the lesson panel on the right (in place of
 * the head detail and predictions while it is shown), and the keys (tried before the training
 * keys): F1 or Ctrl+L shows the lessons, Page Down / Page Up step them (clickers send these), F5
 * classroom mode (projector theme, big type, lessons shown, the arrow keys step the lesson, except
 * while the focus is in a view that steps with them itself, the step-through), F11 full screen,
 * Ctrl+Plus / Ctrl+Minus / Ctrl+0 the font scale, Ctrl+Shift+T the projector theme, Ctrl+H hides
 * everything but the current view. A step's locked controls are locked through the training
 * view model's {@link org.attnlab.app.training.ControlLocks} (their keys too).
 */
public final class LessonsFeature implements Feature {
    /** Stylesheet of the lesson panel (and of text sizes that follow the font scale). */
    public static final String CSS = "/assets/themes/classroom.css";
    /** Font scale classroom mode starts with. */
    public static final double CLASSROOM_SCALE = 1.4;

    private final LessonLibrary library;
    private final LessonProgress progress;
    private final BooleanProperty showing = new SimpleBooleanProperty(this, "showing");
    private final BooleanProperty classroomOn = new SimpleBooleanProperty(this, "classroom");
    private LessonViewModel lessons;
    private LessonDirector director;
    private LessonPanel panel;
    private ClassroomMode classroom;
    private Scene scene;
    private Node savedRight;
    private boolean started;

    /**
     * @param library  the lessons
     * @param progress where the reader is in the course (kept between runs)
     */
    public LessonsFeature(LessonLibrary library, LessonProgress progress) {
        this.library = Objects.requireNonNull(library);
        this.progress = Objects.requireNonNull(progress);
    }

    /** @return the lessons the program ships ({@code /assets/lessons} on the classpath) */
    public static LessonLibrary shippedLessons() {
        return LessonLibrary.load(LessonLibrary.classpath(LessonsFeature.class.getClassLoader()));
    }

    @Override
    public Contribution install(WindowContext window) {
        scene = window.stage().getScene();
        scene.getStylesheets().add(Objects.requireNonNull(LessonsFeature.class.getResource(CSS), CSS).toExternalForm());
        lessons = new LessonViewModel(library, progress);
        director = new LessonDirector(window);
        classroom = new ClassroomMode(window.stage(), window.panels());
        panel = new LessonPanel(lessons, s -> director.apply(s.effective()),
                s -> director.trainYourself(s.effective()));
        panel.setPrefWidth(440);
        panel.setMinWidth(340);
        // a third of the window, at least 24 ems of the current type (classroom mode's large type),
        // never more than 45% of the window (the view keeps the rest)
        panel.prefWidthProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(() -> {
            double w = scene.getWidth(), em = ClassroomMode.BASE_FONT_PX * classroom.fontScaleProperty().get();
            return Math.min(w * 0.45, Math.max(Math.max(360, Math.min(560, w * 0.34)), 24 * em));
        }, scene.widthProperty(), classroom.fontScaleProperty()));
        classroom.fontScaleProperty().addListener((o, a, s) -> panel.setMathSize(15 * s.doubleValue()));
        showing.addListener((o, a, on) -> show(on));
        classroomOn.addListener((o, a, on) -> {
            classroom.projectorProperty().set(on);
            classroom.presenterProperty().set(on);
            classroom.setFontScale(on ? CLASSROOM_SCALE : 1);
            panel.setPresenting(on);
            if (on) {
                showing.set(true);
            }
        });
        Contribution.Builder c = Contribution.builder().menu(menu());
        shortcuts().forEach(c::shortcut);
        return c.build();
    }

    private void show(boolean on) {
        if (on) {
            savedRight = classroom.setRight(panel);
            if (!started) {
                started = true;
                lessons.resume();
            } else if (lessons.stepProperty().get() != null) {
                director.apply(lessons.stepProperty().get().effective());
            }
        } else {
            director.unlock();
            classroom.setRight(savedRight);
        }
    }

    /** Opens lesson {@code l} (showing the panel). */
    public void open(Lesson l) {
        showing.set(true);
        lessons.open(l);
    }

    private List<Shortcut> shortcuts() {
        Predicate<KeyEvent> plain = e -> !e.isShortcutDown() && !e.isAltDown() && !e.isShiftDown();
        return List.of(
                new Shortcut(e -> e.getCode() == KeyCode.F1 || e.isShortcutDown() && e.getCode() == KeyCode.L,
                        () -> showing.set(!showing.get())),
                new Shortcut(e -> e.getCode() == KeyCode.F11, () -> classroom.toggleFullScreen()),
                new Shortcut(e -> e.getCode() == KeyCode.F5, () -> classroomOn.set(!classroomOn.get())),
                new Shortcut(e -> e.isShortcutDown() && (e.getCode() == KeyCode.PLUS || e.getCode() == KeyCode.EQUALS
                        || e.getCode() == KeyCode.ADD), () -> classroom.bigger()),
                new Shortcut(e -> e.isShortcutDown() && (e.getCode() == KeyCode.MINUS
                        || e.getCode() == KeyCode.SUBTRACT), () -> classroom.smaller()),
                new Shortcut(e -> e.isShortcutDown() && (e.getCode() == KeyCode.DIGIT0
                        || e.getCode() == KeyCode.NUMPAD0), () -> classroom.resetFontScale()),
                new Shortcut(e -> e.isShortcutDown() && e.getCode() == KeyCode.H,
                        () -> classroom.panelsHiddenProperty().set(!classroom.panelsHiddenProperty().get())),
                new Shortcut(e -> e.isShortcutDown() && e.isShiftDown() && e.getCode() == KeyCode.T,
                        () -> classroom.projectorProperty().set(!classroom.projectorProperty().get())),
                new Shortcut(e -> showing.get() && plain.test(e) && e.getCode() == KeyCode.PAGE_DOWN, lessons::next),
                new Shortcut(e -> showing.get() && plain.test(e) && e.getCode() == KeyCode.PAGE_UP, lessons::back),
                // classroom mode: the arrows step the lesson, unless typing or in a view that steps with them
                new Shortcut(e -> showing.get() && classroomOn.get() && plain.test(e) && !Shortcut.typing(e)
                        && !focusOwnsArrows() && (e.getCode() == KeyCode.RIGHT || e.getCode() == KeyCode.DOWN),
                        lessons::next),
                new Shortcut(e -> showing.get() && classroomOn.get() && plain.test(e) && !Shortcut.typing(e)
                        && !focusOwnsArrows() && (e.getCode() == KeyCode.LEFT || e.getCode() == KeyCode.UP),
                        lessons::back));
    }

    /**
     * @return whether the focus is in a view that steps with the arrow keys itself (the step-through),
     *     or on the scroll pane that holds it (a click on the view focuses that)
     */
    private boolean focusOwnsArrows() {
        String owns = Styles.OWNS_ARROW_KEYS;
        Node owner = scene.getFocusOwner();
        if (owner instanceof ScrollPane sp && sp.getContent() != null && sp.getContent().getStyleClass().contains(owns)) {
            return true;
        }
        for (Node n = owner; n != null; n = n.getParent()) {
            if (n.getStyleClass().contains(owns)) {
                return true;
            }
        }
        return false;
    }

    private Menu menu() {
        CheckMenuItem show = new CheckMenuItem("Show lessons\t(F1, Ctrl+L)");
        show.setId("menuShowLessons");
        show.selectedProperty().bindBidirectional(showing);
        MenuItem next = new MenuItem("Next step\t(Page Down)");
        next.setOnAction(e -> lessons.next());
        MenuItem back = new MenuItem("Previous step\t(Page Up)");
        back.setOnAction(e -> lessons.back());
        CheckMenuItem room = new CheckMenuItem("Classroom mode\t(F5)");
        room.selectedProperty().bindBidirectional(classroomOn);
        MenuItem full = new MenuItem("Full screen\t(F11)");
        full.setOnAction(e -> classroom.toggleFullScreen());
        MenuItem bigger = new MenuItem("Bigger text\t(Ctrl+Plus)");
        bigger.setOnAction(e -> classroom.bigger());
        MenuItem smaller = new MenuItem("Smaller text\t(Ctrl+Minus)");
        smaller.setOnAction(e -> classroom.smaller());
        MenuItem normal = new MenuItem("Normal text size\t(Ctrl+0)");
        normal.setOnAction(e -> classroom.resetFontScale());
        CheckMenuItem projector = new CheckMenuItem("Projector theme\t(Ctrl+Shift+T)");
        projector.selectedProperty().bindBidirectional(classroom.projectorProperty());
        CheckMenuItem hide = new CheckMenuItem("Only the current view\t(Ctrl+H)");
        hide.selectedProperty().bindBidirectional(classroom.panelsHiddenProperty());
        Menu menu = new Menu("Lessons", null, show, next, back, new SeparatorMenuItem(), room, full, bigger, smaller,
                normal, projector, hide, new SeparatorMenuItem());
        menu.setId("lessonsMenu");
        int i = 1;
        for (Lesson l : lessons.lessons()) {
            MenuItem item = new MenuItem(i++ + ". " + l.title());
            item.setMnemonicParsing(false);
            item.setOnAction(e -> open(l));
            menu.getItems().add(item);
        }
        return menu;
    }

    /** @return the lessons' state */
    public LessonViewModel lessons() {
        return lessons;
    }

    /** @return what applies steps to the window */
    public LessonDirector director() {
        return director;
    }

    /** @return the lesson panel */
    public LessonPanel panel() {
        return panel;
    }

    /** @return full screen, font scale, projector theme, hidden panels */
    public ClassroomMode classroom() {
        return classroom;
    }

    /** @return whether the lesson panel is shown */
    public BooleanProperty showingProperty() {
        return showing;
    }

    /** @return whether classroom mode is on (projector theme, big type, arrow keys step the lesson) */
    public BooleanProperty classroomProperty() {
        return classroomOn;
    }

    /** @return the setup of the step shown, or {@link StepSetup#NONE} */
    public StepSetup currentSetup() {
        return lessons.stepProperty().get() == null ? StepSetup.NONE : lessons.stepProperty().get().effective();
    }
}
