package org.attnlab.app.inside;

import java.util.ArrayList;
import java.util.List;
import javafx.event.EventHandler;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.attnlab.app.common.Styles;
import org.attnlab.app.inside.StepThroughViewModel.Choices;
import org.attnlab.app.inside.StepThroughViewModel.Shown;
import org.attnlab.engine.inspect.ForwardTrace;

/**
 * The forward pass step by step: pick a layer, a head and a query position, then step with the
 * Left and Right arrow keys (while the view has the focus) or the buttons through embed,
 * + position, LayerNorm, q / k / v, dot products, scaling, mask, softmax, the weighted sum of
 * values, W_O, the residual add, the MLP and the unembedding. Each stage shows its formula
 * (typeset with JLaTeXMath), what it means, its actual numbers ({@link ForwardTrace}), and the
 * part of the model diagram that is active. Traced by its {@link StepThroughViewModel} in the
 * background; this view draws (and typesets the formula).
 */
public final class StepThroughView extends InsidePane<Shown> {
    /** Node ids. */
    public static final String LAYER_ID = "stepLayer", HEAD_ID = "stepHead", QUERY_ID = "stepQuery",
            STAGE_ID = "stageLabel", FORMULA_ID = "stageFormula", NUMBERS_ID = "stageNumbers", DIAGRAM_ID = "modelDiagram",
            EXPLANATION_ID = "stageExplanation", NEXT_ID = "nextStage", PREVIOUS_ID = "previousStage";
    private final ComboBox<Integer> layer = new ComboBox<>();
    private final ComboBox<Integer> head = new ComboBox<>();
    private final ComboBox<String> query = new ComboBox<>();
    private final Label stage = new Label();
    private final ImageView formula = new ImageView();
    private final Label formulaText = new Label();
    private final Label explanation = new Label();
    private final NumberGrid numbers = new NumberGrid();
    private final ModelDiagram diagram = new ModelDiagram();
    private final StepThroughViewModel vm;
    private ForwardTrace diagramFor;
    private boolean filling;
    private final EventHandler<KeyEvent> keys = e -> {
        if (hasFocus() && !e.isShortcutDown() && !e.isAltDown()
                && (e.getCode() == KeyCode.LEFT || e.getCode() == KeyCode.RIGHT)) {
            if (e.getCode() == KeyCode.RIGHT) {
                next();
            } else {
                previous();
            }
            e.consume();
        }
    };

    /**
     * @return whether the window's focus owner is this view, inside it, or the scroll pane that holds
     *     it (which takes the focus when the view is clicked). Not {@link #isFocusWithin()}: it stays
     *     true when a focused node inside is replaced, as a lesson step's new trace does.
     */
    public boolean hasFocus() {
        javafx.scene.Node owner = getScene() == null ? null : getScene().getFocusOwner();
        for (javafx.scene.Node n = owner; n != null; n = n.getParent()) {
            if (n == this) {
                return true;
            }
        }
        for (javafx.scene.Node n = getParent(); n != null; n = n.getParent()) {
            if (n instanceof ScrollPane) {
                return n == owner;
            }
        }
        return false;
    }

    /** @param inside the shared analysis */
    public StepThroughView(InsideViewModel inside) {
        this(new StepThroughViewModel(inside));
    }

    private StepThroughView(StepThroughViewModel vm) {
        super(vm.shownProperty(), "step-through");
        this.vm = vm;
        vm.showingProperty().bind(showingProperty());
        title.setText("Step through the forward pass");
        hint.setText("Pick a layer, a head and a query position; then step with \u2190 \u2192 (click here first) or the "
                + "buttons. The numbers are the model's own, for the probe.");
        setFocusTraversable(true);
        getStyleClass().add(Styles.OWNS_ARROW_KEYS);   // classroom mode leaves it the arrows
        addEventFilter(MouseEvent.MOUSE_PRESSED, e -> {
            if (!hasFocus()) {
                requestFocus();
            }
        });
        sceneProperty().addListener((o, a, s) -> {
            if (s != null) {
                s.windowProperty().addListener((o2, w0, w1) -> moveKeys(w0, w1));
                moveKeys(null, s.getWindow());
            }
        });
        layer.setId(LAYER_ID);
        head.setId(HEAD_ID);
        query.setId(QUERY_ID);
        for (ComboBox<?> c : List.of(layer, head, query)) {
            c.valueProperty().addListener((o, a, b) -> {
                if (!filling && layer.getValue() != null && head.getValue() != null) {
                    vm.select(layer.getValue(), head.getValue(), query.getSelectionModel().getSelectedIndex());
                }
            });
        }
        vm.choicesProperty().addListener((o, a, c) -> fill(c));
        Button prev = new Button("\u25c0");
        prev.setId(PREVIOUS_ID);
        prev.setTooltip(new Tooltip("Previous stage (Left arrow)"));
        prev.setOnAction(e -> previous());
        Button next = new Button("\u25b6");
        next.setId(NEXT_ID);
        next.setTooltip(new Tooltip("Next stage (Right arrow)"));
        next.setOnAction(e -> next());
        stage.setId(STAGE_ID);
        stage.getStyleClass().add(Styles.STAGE_TITLE);
        // wraps onto a second line rather than cutting labels when the type is large (classroom mode)
        javafx.scene.layout.FlowPane controls = new javafx.scene.layout.FlowPane(8, 6, new Label("layer"), layer,
                new Label("head"), head, new Label("query"), query, prev, next, stage);
        controls.setAlignment(Pos.CENTER_LEFT);
        controls.setMinWidth(0);
        for (javafx.scene.Node n : controls.getChildren()) {
            if (n instanceof javafx.scene.control.Control c) {
                c.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            }
        }
        formula.setId(FORMULA_ID);
        formula.setPreserveRatio(true);
        formulaText.getStyleClass().add(Styles.FORMULA_SOURCE);
        explanation.setId(EXPLANATION_ID);
        explanation.setWrapText(true);
        explanation.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        explanation.getStyleClass().add(Styles.STAGE_EXPLANATION);
        numbers.setId(NUMBERS_ID);
        ScrollPane scroll = new ScrollPane(numbers);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add(Styles.NUMBERS_SCROLL);
        scroll.setMinHeight(120);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        VBox main = new VBox(8, new HBox(formula, formulaText), explanation, scroll);
        main.setMinWidth(0);
        HBox.setHgrow(main, Priority.ALWAYS);
        diagram.setId(DIAGRAM_ID);
        HBox body = new HBox(14, main, diagram);
        VBox.setVgrow(body, Priority.ALWAYS);
        getChildren().addAll(controls, body);
        // the formula is typeset at the window's font scale (Ctrl+Plus), like the text around it
        org.attnlab.app.common.CanvasStyle.redrawOnChange(this, () -> {
            if (shown() != null) {
                showStage(shown());
            }
        });
    }

    @Override
    boolean fillsHeight() {
        return true;
    }

    private void moveKeys(Window from, Window to) {
        if (from != null) {
            from.removeEventFilter(KeyEvent.KEY_PRESSED, keys);
        }
        if (to != null) {
            // on the window, so that the arrows reach this view before the window's own shortcuts (Right = train a step)
            to.addEventFilter(KeyEvent.KEY_PRESSED, keys);
        }
    }

    /** @return the view's model */
    public StepThroughViewModel viewModel() {
        return vm;
    }

    /** @return the trace shown, or null before the first analysis */
    public ForwardTrace trace() {
        return shown() == null ? null : shown().trace();
    }

    /** @return the index of the stage shown */
    public int stageIndex() {
        return shown() == null ? 0 : shown().index();
    }

    /** @return the stage shown, or null */
    public ForwardTrace.Stage currentStage() {
        return shown() == null ? null : shown().stage();
    }

    /** @return the numbers of the stage shown */
    public NumberGrid numbers() {
        return numbers;
    }

    /** @return the model diagram */
    public ModelDiagram diagram() {
        return diagram;
    }

    /** Shows the next stage (stays at the last). */
    public void next() {
        vm.next();
    }

    /** Shows the previous stage (stays at the first). */
    public void previous() {
        vm.previous();
    }

    /** Chooses what to trace; out-of-range values are clamped; the view shows it once traced. */
    public void select(int l, int h, int q) {
        vm.select(l, h, q);
    }

    /** The formula (LaTeX and font size) the formula image shows, so it is typeset once. */
    private String formulaShown;

    /** Offers the layers, heads and query positions of the analysis traced, and shows the choice traced. */
    private void fill(Choices c) {
        filling = true;
        try {
            fill(layer, c.layers());
            fill(head, c.heads());
            if (!query.getItems().equals(c.queries())) {
                query.getItems().setAll(c.queries());
            }
            layer.setValue(c.chosen().layer());
            head.setValue(c.chosen().head());
            query.getSelectionModel().select(c.chosen().query());
        } finally {
            filling = false;
        }
    }

    private static void fill(ComboBox<Integer> box, int n) {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(i);
        }
        if (!box.getItems().equals(items)) {
            box.getItems().setAll(items);
        }
    }

    @Override
    protected void show(Shown s) {
        if (s.trace() != diagramFor) {
            diagramFor = s.trace();
            diagram.setModel(s.analysis().config(), s.trace().layer());
        }
        showStage(s);
    }

    private void showStage(Shown shown) {
        ForwardTrace.Stage s = shown.stage();
        stage.setText((shown.index() + 1) + " / " + shown.trace().stages().size() + ": " + s.title());
        float size = (float) org.attnlab.app.common.CanvasStyle.font(20);
        String typeset = s.latex() + "@" + size;
        if (!typeset.equals(formulaShown)) {             // while training the numbers change, the formula does not
            formulaShown = typeset;
            try {
                formula.setImage(Formula.render(s.latex(), size, 2));
                formula.setFitHeight(formula.getImage().getHeight() / 2);
                formulaText.setText("");
            } catch (RuntimeException e) {              // a formula JLaTeXMath cannot parse: show its source
                formula.setImage(null);
                formulaText.setText(s.latex());
            }
        }
        explanation.setText(s.explanation());
        numbers.setData(s.values(), s.rows(), s.cols(), s.rowLabels(), s.colLabels());
        diagram.setLit(s.part());
    }
}
