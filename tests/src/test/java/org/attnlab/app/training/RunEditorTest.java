package org.attnlab.app.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.RunSpec;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The settings sheet edits a run spec: it loads one and produces one through
 * {@link RunSpec#with}, so its validation is the parser's; the sidebar's view model resets to
 * what it produces and describes the run.
 */
@Tag("ui")
class RunEditorTest {
    private static final RunSpec LEGO6 = Presets.byName("lego6");

    @Test
    void anUneditedSheetGivesBackTheSpecItLoaded() throws Exception {
        ModelSettings m = new ModelSettings();
        for (RunSpec p : Presets.all()) {
            m.load(p);
            assertEquals(Map.of(), m.overrides(), p.name());
            assertEquals(p, m.toSpec(), p.name() + ": the preset itself (lego6 keeps its d_mlp 128)");
        }
        RunSpec lego3 = TrainingCheckpoints.load(Path.of("..", "assets", "lessons", "checkpoints",
                "lego3.safetensors")).spec();
        m.load(lego3);
        assertEquals(lego3, m.toSpec(), "an opened checkpoint's run, not its preset's");
    }

    @Test
    void editsBecomeKeyValueOverridesOfTheLoadedSpec() {
        ModelSettings m = new ModelSettings();
        m.load(LEGO6);
        m.nLayersProperty().set(3);
        m.learningRateProperty().set(7e-4);
        m.seedProperty().set(9);
        assertEquals(Map.of("n_layers", "3", "lr", "7.0E-4", "seed", "9"), m.overrides());
        RunSpec edited = m.toSpec();
        assertEquals(LEGO6.with(Map.of("n_layers", "3", "lr", "7e-4", "seed", "9")), edited);
        assertEquals(128, edited.config().dMlp());
        assertTrue(edited.config().weightSharing());
        assertEquals(LEGO6.curriculum(), edited.curriculum(), "the same task: its curriculum stays");

        m.load(Presets.byName("parity16"));
        m.layerNormProperty().set("none");
        assertEquals(Map.of("normalization_type", "none"), m.overrides());
        assertFalse(m.toSpec().config().hasLayerNorm());
        m.load(m.toSpec());
        m.layerNormProperty().set("post");
        assertEquals(Map.of("normalization_type", "LN", "ln_placement", "post"), m.overrides());
        assertEquals("post", m.toSpec().config().lnPlacement().json());
    }

    @Test
    void theSheetsErrorsAreTheParsersNamingTheKey() {
        ModelSettings m = new ModelSettings();
        m.load(Presets.byName("flipflop16"));           // d_model 32, 2 heads
        m.nHeadsProperty().set(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, m::toSpec);
        assertTrue(e.getMessage().contains("not divisible by n_heads"), e.getMessage());
        m.nHeadsProperty().set(2);
        m.batchSizeProperty().set(0);
        e = assertThrows(IllegalArgumentException.class, m::toSpec);
        assertTrue(e.getMessage().contains("batch_size must be at least 1"), e.getMessage());
        m.batchSizeProperty().set(32);
        m.seedProperty().set(null);
        e = assertThrows(IllegalArgumentException.class, m::toSpec);
        assertEquals("seed must be a whole number", e.getMessage());
    }

    @Test
    void theSidebarResetsToTheEditedSpecAndDescribesIt() {
        List<RunSpec> resets = new ArrayList<>();
        SetupViewModel vm = new SetupViewModel(Presets.byName("flipflop16"), resets::add);
        vm.presetProperty().set(LEGO6);
        assertEquals(List.of(LEGO6), resets, "choosing a preset resets to it");
        vm.settings().nLayersProperty().set(2);
        assertTrue(vm.settingsPendingProperty().get(), "the sheet differs from the running model");
        assertTrue(vm.reset());
        RunSpec two = LEGO6.with("n_layers", "2");
        assertEquals(two, resets.get(1));
        vm.syncTo(two, null);
        assertFalse(vm.settingsPendingProperty().get());
        assertEquals("lego \u00b7 n_layers=2 (preset lego6 changed)", vm.setupDescriptionProperty().get());
        assertEquals(LEGO6, vm.presetProperty().get(), "the run keeps the name of the preset it came from");
        vm.settings().nHeadsProperty().set(3);
        assertFalse(vm.reset(), "an invalid sheet resets nothing");
        assertEquals(2, resets.size());
        assertTrue(vm.settingsErrorProperty().get().contains("n_heads"), vm.settingsErrorProperty().get());
    }

    @Test
    void theSummaryShowsTheWholeSpec() {
        String s = SetupViewModel.summary(LEGO6);
        List<String> lines = s.lines().toList();
        assertEquals("Task: lego \u00b7 n_var=6, n_train=6, shuffle=true, fixed_root=false", lines.get(0));
        assertEquals("Model: 6 layers \u00d7 4 heads, d_model 64, d_head 16, d_mlp 128, rotary positions, "
                + "bidirectional softmax attention, LayerNorm pre", lines.get(1));
        assertEquals("Training: AdamW lr 0.003, batch 256, 4000 steps (warmup 50), seed 1, float32", lines.get(2));
        assertEquals("Curriculum: n_var=3, n_train=3 until mastered (at most to step 1200); n_var=4, n_train=4 "
                + "until mastered (at most to step 2000); n_var=5, n_train=5 until mastered (at most to step 3000)",
                lines.get(3));
        assertEquals("Weight sharing: one block shared by all 6 layers", lines.get(4));
        assertEquals("Target: accuracy_per_chain_position \u2265 0.99", lines.get(5));
        assertTrue(SetupViewModel.summary(LEGO6.with("n_var", "3")).contains("Curriculum: none\nWeight sharing: none"));
    }
}
