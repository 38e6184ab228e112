package org.attnlab.app.training;

import java.util.List;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.attnlab.app.common.Icons;
import org.attnlab.app.common.Styles;
import org.attnlab.engine.tasks.Tasks;
import org.attnlab.engine.train.RunSpec;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.DefaultPropertyEditorFactory;
import org.controlsfx.property.editor.Editors;
import org.controlsfx.property.editor.PropertyEditor;

/**
 * The sidebar: task and preset choosers, the model and training settings in a ControlsFX
 * {@link PropertySheet}, and the button that applies them (a reset).
 */
public final class SetupView extends VBox {
    private static final String MODEL = "Model";
    private static final String TRAINING = "Training";

    /** @param vm the training view model */
    public SetupView(TrainingViewModel vm) {
        getStyleClass().add(Styles.SIDEBAR);
        setSpacing(8);
        setPadding(new Insets(12));

        Label title = new Label("Task");
        title.getStyleClass().add(Styles.PANEL_TITLE);
        ComboBox<String> task = new ComboBox<>(vm.tasks());
        task.setId(Styles.TASK_CHOICE);
        task.setMaxWidth(Double.MAX_VALUE);
        task.valueProperty().bindBidirectional(vm.taskProperty());
        task.setConverter(new StringConverter<>() {
            @Override
            public String toString(String id) {
                return id == null ? "" : Tasks.displayName(id);
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        task.disableProperty().bind(vm.locks().lockedProperty(ControlLocks.Control.TASK));
        task.setTooltip(new Tooltip("The toy task to train on. Choosing one starts a fresh model with its preset."));

        Label presetTitle = new Label("Preset");
        presetTitle.getStyleClass().add(Styles.PANEL_TITLE);
        ComboBox<RunSpec> preset = new ComboBox<>(vm.presets());
        preset.setId(Styles.PRESET_CHOICE);
        preset.setMaxWidth(Double.MAX_VALUE);
        preset.valueProperty().bindBidirectional(vm.presetProperty());
        preset.setConverter(new StringConverter<>() {
            @Override
            public String toString(RunSpec p) {
                return p == null ? "" : p.name();
            }

            @Override
            public RunSpec fromString(String s) {
                return null;
            }
        });
        preset.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(RunSpec p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? null : p.name() + " \u2014 " + p.description());
            }
        });
        preset.disableProperty().bind(vm.locks().lockedProperty(ControlLocks.Control.PRESET));
        preset.setTooltip(new Tooltip("A recipe (model, learning rate, steps) known to solve the task."));
        Label description = new Label();
        description.getStyleClass().add(Styles.HINT);
        description.setWrapText(true);
        description.setId("setupDescription");
        // the run's own task and options (an opened checkpoint may differ from its preset), not the preset's label
        description.textProperty().bind(vm.setupDescriptionProperty());
        Tooltip spec = new Tooltip();                // the whole run spec: task, model, training, curriculum, sharing
        spec.textProperty().bind(vm.setup().runSummaryProperty());
        spec.setWrapText(true);
        spec.setMaxWidth(520);
        description.setTooltip(spec);

        List<PropertySheet.Item> items = items(vm.settings());
        Label modelTitle = new Label("Model");
        modelTitle.getStyleClass().add(Styles.PANEL_TITLE);
        PropertySheet model = sheet(Styles.SETTINGS_SHEET, items.stream().filter(i -> i.getCategory().equals(MODEL))
                .toList());
        model.disableProperty().bind(vm.locks().lockedProperty(ControlLocks.Control.MODEL));
        Label trainingTitle = new Label("Training");
        trainingTitle.getStyleClass().add(Styles.PANEL_TITLE);
        PropertySheet training = sheet(Styles.TRAINING_SHEET, items.stream()
                .filter(i -> i.getCategory().equals(TRAINING)).toList());
        training.disableProperty().bind(vm.locks().lockedProperty(ControlLocks.Control.TRAINING));
        Region push = new Region();                  // the apply button sits at the bottom when there is room
        VBox.setVgrow(push, Priority.ALWAYS);

        Label error = new Label();
        error.setId(Styles.SETTINGS_ERROR);
        error.getStyleClass().add(Styles.INLINE_ERROR);
        error.setWrapText(true);
        error.textProperty().bind(vm.settingsErrorProperty());
        error.managedProperty().bind(error.textProperty().isNotEmpty());
        error.visibleProperty().bind(error.managedProperty());

        Button apply = new Button("Apply and reset", Icons.icon(Icons.RESET));
        apply.setMaxWidth(Double.MAX_VALUE);
        apply.setOnAction(e -> vm.reset());
        apply.setTooltip(new Tooltip("Start a fresh model with these settings (R)"));
        vm.settingsPendingProperty().addListener((o, a, b) -> {
            apply.getStyleClass().remove(Styles.PENDING);
            if (b) {
                apply.getStyleClass().add(Styles.PENDING);
            }
        });

        getChildren().addAll(title, task, presetTitle, preset, description, modelTitle, model, trainingTitle, training,
                push, error, apply);
    }

    /** A flat sheet (items in the given order, no search box, no mode switcher). */
    private static PropertySheet sheet(String id, List<PropertySheet.Item> items) {
        PropertySheet sheet = new PropertySheet();
        sheet.setId(id);
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(false);
        sheet.setMode(PropertySheet.Mode.NAME);
        sheet.getItems().setAll(items);
        DefaultPropertyEditorFactory defaults = new DefaultPropertyEditorFactory();
        sheet.setPropertyEditorFactory(item -> editor(item, defaults));
        sheet.setMinHeight(Region.USE_PREF_SIZE);     // never squeezed: the sidebar scrolls instead
        return sheet;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static PropertyEditor<?> editor(PropertySheet.Item item, DefaultPropertyEditorFactory defaults) {
        if (item instanceof SettingItem<?> s && s.choices().isPresent()) {
            PropertyEditor<?> editor = Editors.createChoiceEditor(item, (List) s.choices().get());
            if (editor.getEditor() instanceof javafx.scene.control.ComboBox<?> box) {
                // a value outside the offered list (an opened checkpoint trained with lr 5e-3) is
                // added to it, so the field never shows blank while that value is in use
                javafx.collections.ObservableList<Object> offered = (javafx.collections.ObservableList<Object>)
                        (javafx.collections.ObservableList<?>) box.getItems();
                java.util.function.Consumer<Object> offer = v -> {
                    if (v != null && !offered.contains(v)) {
                        offered.add(v);
                        if (v instanceof Comparable<?>) {
                            FXCollections.sort((javafx.collections.ObservableList) offered);
                        }
                    }
                    if (v != null && !v.equals(box.getValue())) {
                        ((javafx.scene.control.ComboBox<Object>) box).setValue(v);
                    }
                };
                item.getObservableValue().ifPresent(ov -> {
                    offer.accept(ov.getValue());
                    ov.addListener((o, a, b) -> offer.accept(b));
                });
            }
            return editor;
        }
        return defaults.call(item);
    }

    private static List<PropertySheet.Item> items(ModelSettings s) {
        String model = MODEL, training = TRAINING;
        return List.of(
                new SettingItem<>(model, "layers", "n_layers: transformer blocks", Integer.class,
                        s.nLayersProperty().asObject(), ModelSettings.LAYER_CHOICES),
                new SettingItem<>(model, "heads", "n_heads: attention heads per layer", Integer.class,
                        s.nHeadsProperty().asObject(), ModelSettings.HEAD_CHOICES),
                new SettingItem<>(model, "d_model", "width of the residual stream (d_head = d_model / heads)",
                        Integer.class, s.dModelProperty().asObject(), ModelSettings.D_MODEL_CHOICES),
                new SettingItem<>(model, "positions", "positional encoding: learned (standard), sinusoidal, "
                        + "rotary (RoPE), ALiBi, or none", String.class, s.positionalProperty(),
                        List.of("standard", "sinusoidal", "rotary", "alibi", "none")),
                new SettingItem<>(model, "attention", "causal: a query sees only earlier keys; bidirectional: all keys",
                        String.class, s.attentionDirProperty(), List.of("causal", "bidirectional")),
                new SettingItem<>(model, "LayerNorm", "pre (GPT-2), post (original Transformer, BERT) or none",
                        String.class, s.layerNormProperty(), ModelSettings.LAYER_NORMS),
                new SettingItem<>(model, "attention only", "no MLP sublayers", Boolean.class, s.attnOnlyProperty(),
                        null),
                new SettingItem<>(training, "learning rate", "AdamW peak learning rate (warmup, then cosine decay)",
                        Double.class, s.learningRateProperty().asObject(), ModelSettings.LR_CHOICES),
                new SettingItem<>(training, "batch", "sequences per step", Integer.class,
                        s.batchSizeProperty().asObject(), ModelSettings.BATCH_CHOICES),
                new SettingItem<>(training, "steps", "length of the schedule; training pauses at its end",
                        Integer.class, s.stepsProperty().asObject(), ModelSettings.STEP_CHOICES),
                new SettingItem<>(training, "seed", "seeds initialization and data: the same seed gives the same run",
                        Integer.class, s.seedProperty(), null),
                new SettingItem<>(training, "precision", "dtype: f32 (float32, about twice as fast) or f64 (float64, "
                        + "the reference precision)", String.class, s.dtypeProperty(), ModelSettings.DTYPES));
    }
}
