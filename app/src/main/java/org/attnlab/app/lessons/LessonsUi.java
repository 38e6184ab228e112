package org.attnlab.app.lessons;

import java.util.Objects;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.stage.Stage;
import org.attnlab.app.MainView;
import org.attnlab.app.MainViewModel;
import org.attnlab.app.classroom.ClassroomMode;
import org.attnlab.lessons.Lesson;
import org.attnlab.lessons.LessonLibrary;
import org.attnlab.lessons.StepSetup;

/**
 * Puts the lessons and classroom mode into the window: the Lessons menu, the lesson panel on the
 * right (in place of the head detail and predictions while it is shown), and the keys, caught on
 * the window before the training keys: F1 or Ctrl+L shows the lessons, Page Down / Page Up step
 * them (clickers send these), F5 classroom mode (projector theme, big type, lessons shown, the
 * arrow keys step the lesson, except while the focus is in a view that steps with them itself, the
 * step-through), F11 full screen, Ctrl+Plus / Ctrl+Minus / Ctrl+0 the font scale,
 * Ctrl+Shift+T the projector theme, Ctrl+H hides everything but the current view.
 */
public final class LessonsUi {
    /** Stylesheet of the lesson panel (and of text sizes that follow the font scale). */
    public static final String CSS = "/assets/themes/classroom.css";
    /** Font scale classroom mode starts with. */
    public static final double CLASSROOM_SCALE = 1.4;

    private final LessonViewModel lessons;
    private final LessonDirector director;
    private final LessonPanel panel;
    private final ClassroomMode classroom;
    private final BooleanProperty showing = new SimpleBooleanProperty(this, "showing");
    private final BooleanProperty classroomOn = new SimpleBooleanProperty(this, "classroom");
    private Node savedRight;
    private boolean started;

    private LessonsUi(MainView view, MainViewModel vm, Stage stage, LessonLibrary library) {
        Scene scene = stage.getScene();
        scene.getStylesheets().add(Objects.requireNonNull(LessonsUi.class.getResource(CSS), CSS).toExternalForm());
        lessons = new LessonViewModel(library, LessonProgress.forUser());
        director = new LessonDirector(vm, view::selectView, scene);
        classroom = new ClassroomMode(stage, view);
        panel = new LessonPanel(lessons, s -> director.apply(s.effective()),
                s -> director.trainYourself(s.effective()));
        panel.setPrefWidth(440);
        panel.setMinWidth(340);
        // a third of the window, at least 24 ems of the current type (classroom mode's large type),
        // never more than 45% of the window (the view keeps the rest)
        panel.prefWidthProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(() -> {
            double w = view.getWidth(), em = ClassroomMode.BASE_FONT_PX * classroom.fontScaleProperty().get();
            return Math.min(w * 0.45, Math.max(Math.max(360, Math.min(560, w * 0.34)), 24 * em));
        }, view.widthProperty(), classroom.fontScaleProperty()));
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
        MenuBar bar = (MenuBar) view.lookup(".menu-bar");
        if (bar != null) {
            bar.getMenus().add(menu());
        }
        javafx.event.EventHandler<KeyEvent> keys = e -> key(e, scene);
        stage.addEventFilter(KeyEvent.KEY_PRESSED, keys);
        // a window that gets another scene (tests reuse the stage) no longer hears this one's keys
        stage.sceneProperty().addListener((o, a, b) -> {
            if (b != scene) {
                stage.removeEventFilter(KeyEvent.KEY_PRESSED, keys);
            }
        });
    }

    /**
     * Installs the lessons (read from the program's {@code /assets/lessons}) into the window.
     *
     * @param view  the window's layout
     * @param vm    the window's view model
     * @param stage the window (with its scene set)
     * @return the installed lessons (also found with {@link #of})
     */
    public static LessonsUi install(MainView view, MainViewModel vm, Stage stage) {
        LessonsUi ui = new LessonsUi(view, vm, stage, LessonLibrary.load(LessonLibrary.classpath(
                LessonsUi.class.getClassLoader())));
        stage.getScene().getProperties().put(LessonsUi.class, ui);
        return ui;
    }

    /** @return the lessons installed in {@code scene}'s window, or null */
    public static LessonsUi of(Scene scene) {
        return (LessonsUi) scene.getProperties().get(LessonsUi.class);
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

    private void key(KeyEvent e, Scene scene) {
        KeyCode c = e.getCode();
        boolean typing = scene.getFocusOwner() instanceof TextInputControl;
        boolean plain = !e.isShortcutDown() && !e.isAltDown() && !e.isShiftDown();
        if (c == KeyCode.F1 || (e.isShortcutDown() && c == KeyCode.L)) {
            showing.set(!showing.get());
        } else if (c == KeyCode.F11) {
            classroom.toggleFullScreen();
        } else if (c == KeyCode.F5) {
            classroomOn.set(!classroomOn.get());
        } else if (e.isShortcutDown() && (c == KeyCode.PLUS || c == KeyCode.EQUALS || c == KeyCode.ADD)) {
            classroom.bigger();
        } else if (e.isShortcutDown() && (c == KeyCode.MINUS || c == KeyCode.SUBTRACT)) {
            classroom.smaller();
        } else if (e.isShortcutDown() && (c == KeyCode.DIGIT0 || c == KeyCode.NUMPAD0)) {
            classroom.resetFontScale();
        } else if (e.isShortcutDown() && c == KeyCode.H) {
            classroom.panelsHiddenProperty().set(!classroom.panelsHiddenProperty().get());
        } else if (e.isShortcutDown() && e.isShiftDown() && c == KeyCode.T) {
            classroom.projectorProperty().set(!classroom.projectorProperty().get());
        } else if (showing.get() && plain && (c == KeyCode.PAGE_DOWN || c == KeyCode.PAGE_UP)) {
            step(c == KeyCode.PAGE_DOWN);
        } else if (showing.get() && classroomOn.get() && plain && !typing && !focusOwnsArrows(scene)
                && (c == KeyCode.RIGHT || c == KeyCode.LEFT || c == KeyCode.DOWN || c == KeyCode.UP)) {
            step(c == KeyCode.RIGHT || c == KeyCode.DOWN);
        } else if (showing.get() && plain && !typing && locked(c)) {
            e.consume();                    // a locked control's key does nothing during this step
        } else {
            return;
        }
        e.consume();
    }

    /**
     * @return whether the focus is in a view that steps with the arrow keys itself (the step-through),
     *     or on the scroll pane that holds it (a click on the view focuses that)
     */
    private static boolean focusOwnsArrows(Scene scene) {
        String owns = org.attnlab.app.common.Styles.OWNS_ARROW_KEYS;
        Node owner = scene.getFocusOwner();
        if (owner instanceof javafx.scene.control.ScrollPane sp && sp.getContent() != null
                && sp.getContent().getStyleClass().contains(owns)) {
            return true;
        }
        for (Node n = owner; n != null; n = n.getParent()) {
            if (n.getStyleClass().contains(owns)) {
                return true;
            }
        }
        return false;
    }

    private boolean locked(KeyCode c) {
        return c == KeyCode.SPACE && director.isLocked("play") || c == KeyCode.RIGHT && director.isLocked("step")
                || c == KeyCode.R && director.isLocked("reset");
    }

    private void step(boolean forward) {
        if (forward) {
            lessons.next();
        } else {
            lessons.back();
        }
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
