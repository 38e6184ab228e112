package org.attnlab.app.lessons;

import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.attnlab.lessons.Lesson;
import org.attnlab.lessons.LessonFormatException;
import org.attnlab.lessons.PredictionQuestion;
import org.attnlab.lessons.Step;

/**
 * The lesson panel beside the views: the lesson (a table of contents of the course and of the
 * lesson's steps), the step's text with its math, a "predict before reveal" question, Back /
 * Next and "Train it yourself". Each shown step is handed to {@code onStep} (which applies it to
 * the window).
 */
public final class LessonPanel extends VBox {
    /** Style class of the panel. */
    public static final String STYLE = "lesson-panel";
    private final LessonViewModel vm;
    private final ComboBox<Lesson> lessons = new ComboBox<>();
    private final VBox toc = new VBox(2);
    private final Label stepTitle = new Label();
    private final Label position = new Label();
    private final VBox body = new VBox(14);
    private final ScrollPane scroll = new ScrollPane(body);
    private final Label problem = new Label();
    private final TitledPane steps;
    private final Button back = new Button("\u2190 Back");
    private final Button next = new Button("Next \u2192");
    private final Button train = new Button("Train it yourself");
    private double mathSize = 15;
    private final Label title;
    private boolean presenting;

    /**
     * @param vm      the panel's state
     * @param onStep  applies a step to the window; returns "" or what went wrong
     * @param onTrain "train it yourself" for a step
     */
    public LessonPanel(LessonViewModel vm, java.util.function.Function<Step, String> onStep, Consumer<Step> onTrain) {
        super(8);
        this.vm = vm;
        setId("lessonPanel");
        getStyleClass().add(STYLE);
        setPadding(new Insets(10));

        Label title = new Label("Lessons");
        title.getStyleClass().add("panel-title");
        lessons.setId("lessonChoice");
        lessons.getItems().setAll(vm.lessons());
        lessons.setMaxWidth(Double.MAX_VALUE);
        lessons.setCellFactory(l -> new LessonCell());
        lessons.setOnAction(e -> {
            Lesson l = lessons.getValue();
            if (l != null && l != vm.lessonProperty().get()) {
                vm.open(l);
            }
        });
        steps = new TitledPane("Steps", toc);
        steps.setId("lessonToc");
        steps.setExpanded(true);
        steps.setAnimated(false);

        Label loadProblems = new Label();
        loadProblems.setId("lessonLoadProblems");
        loadProblems.getStyleClass().add("inline-error");
        loadProblems.setWrapText(true);
        loadProblems.setText(String.join("\n", vm.library().problems().stream()
                .map(LessonFormatException::getMessage).toList()));
        loadProblems.setVisible(!vm.library().problems().isEmpty());
        loadProblems.setManaged(loadProblems.isVisible());

        position.getStyleClass().add("hint");
        position.setId("lessonPosition");
        stepTitle.setId("lessonStepTitle");
        stepTitle.getStyleClass().add("lesson-step-title");
        stepTitle.setWrapText(true);
        stepTitle.setMinHeight(Region.USE_PREF_SIZE);
        problem.setId("lessonProblem");
        problem.getStyleClass().add("inline-error");
        problem.setWrapText(true);
        problem.managedProperty().bind(problem.textProperty().isNotEmpty());
        problem.visibleProperty().bind(problem.managedProperty());

        body.setId("lessonBody");
        body.setPadding(new Insets(4, 10, 10, 2));
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("lesson-scroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        scroll.setMinHeight(140);

        back.setId("lessonBack");
        next.setId("lessonNext");
        train.setId("lessonTrain");
        next.setDefaultButton(false);
        next.getStyleClass().add("accent");
        back.setOnAction(e -> vm.back());
        next.setOnAction(e -> vm.next());
        train.setOnAction(e -> {
            if (vm.stepProperty().get() != null) {
                onTrain.accept(vm.stepProperty().get());
            }
        });
        for (Button b : new Button[] {back, train, next}) {
            b.setMinWidth(Region.USE_PREF_SIZE);         // never "..." however large the type
        }
        NavRow buttons = new NavRow(back, train, next);
        buttons.setId("lessonButtons");

        this.title = title;
        position.setWrapText(true);
        position.setMinHeight(Region.USE_PREF_SIZE);
        lessons.setButtonCell(new LessonCell(true));
        getChildren().addAll(title, lessons, loadProblems, steps, position, stepTitle, problem, scroll, buttons);

        vm.stepProperty().addListener((o, a, s) -> {
            show(s);
            String p = s == null ? "" : onStep.apply(s);
            problem.setText(p == null ? "" : p);
        });
        vm.revealedProperty().addListener((o, a, b) -> show(vm.stepProperty().get()));
        vm.lessonProperty().addListener((o, a, l) -> lessons.setValue(l));
    }

    /** @param expanded whether the lesson's contents (its steps) are shown; classroom mode folds them */
    public void setContentsExpanded(boolean expanded) {
        steps.setExpanded(expanded);
    }

    /**
     * @param on presenting (classroom mode): the panel's "Lessons" heading goes (the picker names
     *     the lesson), the contents fold and their title says where in the course the step is (in
     *     place of the position line), so the lesson's text keeps the height
     */
    public void setPresenting(boolean on) {
        presenting = on;
        title.setVisible(!on);
        title.setManaged(!on);
        position.setVisible(!on);                     // the folded contents' title says where we are instead
        position.setManaged(!on);
        setContentsExpanded(!on);
        steps.setText(on && !position.getText().isEmpty() ? position.getText() : "Steps");
    }

    /** @param size the formulas' font size in pixels (the classroom font scale changes it) */
    public void setMathSize(double size) {
        mathSize = size;
        show(vm.stepProperty().get());
    }

    private void show(Step s) {
        Lesson l = vm.lessonProperty().get();
        toc.getChildren().clear();
        body.getChildren().clear();
        problem.setText("");
        if (s == null || l == null) {
            stepTitle.setText(vm.lessons().isEmpty() ? "No lessons could be loaded." : "");
            return;
        }
        int seen = vm.progress().seen(l.id());
        for (Step st : l.steps()) {
            Hyperlink link = new Hyperlink((st.index() + 1) + ". " + st.title() + (st.index() < seen ? "  \u2713" : ""));
            link.setId("lessonTocStep" + st.index());
            link.setWrapText(true);
            if (st.index() == s.index()) {
                link.getStyleClass().add("lesson-toc-current");
            }
            link.setOnAction(e -> vm.goTo(st.index()));
            toc.getChildren().add(link);
        }
        position.setText("Lesson " + (vm.lessons().indexOf(l) + 1) + " of " + vm.lessons().size() + " \u00b7 step "
                + (s.index() + 1) + " of " + l.steps().size());
        steps.setText(presenting ? position.getText() : "Steps");
        stepTitle.setText(s.title());
        MarkdownView text = new MarkdownView(s.markdown(), mathSize);
        text.setId("lessonText");
        body.getChildren().add(text);
        if (s.prediction() != null) {
            body.getChildren().add(predictBox(s.prediction()));
        }
        back.setDisable(!vm.hasBack());
        next.setDisable(!vm.hasNext());
        train.setDisable(s.effective().checkpoint() == null && s.effective().preset() == null
                && s.effective().task() == null);
        scroll.setVvalue(0);
    }

    private VBox predictBox(PredictionQuestion p) {
        VBox box = new VBox(8);
        box.setId("lessonPredict");
        box.getStyleClass().add("lesson-predict");
        Label head = new Label("Predict first");
        head.getStyleClass().add("lesson-predict-title");
        box.getChildren().addAll(head, new MarkdownView(p.question(), mathSize));
        boolean revealed = vm.revealedProperty().get();
        for (int i = 0; i < p.choices().size(); i++) {
            int k = i;
            Button b = new Button(p.choices().get(i));
            b.setId("predictChoice" + i);
            b.setWrapText(true);
            b.setMaxWidth(Double.MAX_VALUE);
            b.setAlignment(Pos.CENTER_LEFT);
            b.getStyleClass().add("lesson-choice");
            if (revealed) {
                if (i == p.answer()) {
                    b.getStyleClass().add("right");
                } else if (i == vm.answerProperty().get()) {
                    b.getStyleClass().add("wrong");
                }
                b.setDisable(true);
            }
            b.setOnAction(e -> vm.answer(k));
            box.getChildren().add(b);
        }
        if (revealed) {
            String verdict = vm.answerProperty().get() < 0 ? "The answer: " + p.answerText() + "."
                    : vm.answeredRight() ? "Right: " + p.answerText() + "."
                    : "Not quite \u2014 the answer is: " + p.answerText() + ".";
            Label v = new Label(verdict);
            v.setId("lessonVerdict");
            v.setWrapText(true);
            v.getStyleClass().add(vm.answerProperty().get() < 0 || vm.answeredRight() ? "lesson-verdict-right"
                    : "lesson-verdict-wrong");
            box.getChildren().add(v);
            if (!p.explain().isEmpty()) {
                MarkdownView why = new MarkdownView(p.explain(), mathSize);
                why.setId("lessonExplain");
                box.getChildren().add(why);
            }
        } else {
            Hyperlink reveal = new Hyperlink("Just show me the answer");
            reveal.setId("lessonReveal");
            reveal.setOnAction(e -> vm.reveal());
            box.getChildren().add(reveal);
        }
        return box;
    }

    /**
     * Back, "Train it yourself" and Next on one line (Next at the right) when they fit; on a
     * narrow panel or with large type, Back and Next on the first line and "Train it yourself"
     * below, so no button is ever cut off or shortened.
     */
    private static final class NavRow extends Region {
        private static final double GAP = 8;
        private final Button back, train, next;

        NavRow(Button back, Button train, Button next) {
            this.back = back;
            this.train = train;
            this.next = next;
            getChildren().addAll(back, train, next);
        }

        private boolean oneLine(double width) {
            return back.prefWidth(-1) + train.prefWidth(-1) + next.prefWidth(-1) + 3 * GAP
                    <= width - snappedLeftInset() - snappedRightInset();
        }

        private double lineHeight() {
            return Math.max(back.prefHeight(-1), Math.max(train.prefHeight(-1), next.prefHeight(-1)));
        }

        @Override
        public javafx.geometry.Orientation getContentBias() {
            return javafx.geometry.Orientation.HORIZONTAL;
        }

        @Override
        protected double computeMinWidth(double height) {
            return snappedLeftInset() + snappedRightInset() + Math.max(back.prefWidth(-1) + GAP + next.prefWidth(-1),
                    train.prefWidth(-1));
        }

        @Override
        protected double computePrefWidth(double height) {
            return snappedLeftInset() + snappedRightInset() + back.prefWidth(-1) + train.prefWidth(-1)
                    + next.prefWidth(-1) + 3 * GAP;
        }

        @Override
        protected double computePrefHeight(double width) {
            double h = lineHeight(), w = width < 0 ? computePrefWidth(-1) : width;
            return snappedTopInset() + snappedBottomInset() + (oneLine(w) ? h : 2 * h + GAP);
        }

        @Override
        protected double computeMinHeight(double width) {
            return computePrefHeight(width);
        }

        @Override
        protected void layoutChildren() {
            double x = snappedLeftInset(), y = snappedTopInset(), right = getWidth() - snappedRightInset();
            double h = lineHeight();
            double bw = back.prefWidth(-1), tw = train.prefWidth(-1), nw = next.prefWidth(-1);
            back.resizeRelocate(x, y, bw, h);
            next.resizeRelocate(Math.max(x + bw + GAP, right - nw), y, nw, h);
            if (oneLine(getWidth())) {
                train.resizeRelocate(x + bw + GAP, y, tw, h);
            } else {
                train.resizeRelocate(x, y + h + GAP, tw, h);
            }
        }
    }

    /** A lesson in the list: its number and title (the one shown wraps instead of being cut). */
    private final class LessonCell extends ListCell<Lesson> {
        LessonCell() {
            this(false);
        }

        LessonCell(boolean wrap) {
            setWrapText(wrap);
        }

        @Override
        protected void updateItem(Lesson l, boolean empty) {
            super.updateItem(l, empty);
            setText(empty || l == null ? null : (vm.lessons().indexOf(l) + 1) + ". " + l.title());
        }
    }
}
