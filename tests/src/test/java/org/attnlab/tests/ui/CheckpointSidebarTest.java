package org.attnlab.tests.ui;

import static org.attnlab.tests.ui.Ui.fx;
import static org.attnlab.tests.ui.Ui.fxRun;
import static org.attnlab.tests.ui.Ui.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.Label;
import org.attnlab.app.training.SetupViewModel;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.RunSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidebar describes the run's own task and options: a checkpoint whose task options or model
 * differ from its preset (the lessons' LEGO with 3 variables, parity with one layer) is not shown
 * with the preset's label ("6 variables"), and one saved without its optimizer state says that
 * Play trains on with a fresh optimizer (and does). Screenshot: target/screenshots/checkpoint-sidebar.png.
 */
@Tag("ui")
class CheckpointSidebarTest {
    private static final Path CHECKPOINTS = Path.of("..", "assets", "lessons", "checkpoints");
    private static AppWindow app;

    @BeforeAll
    static void open() throws Exception {
        app = AppWindow.open("sidebar");
    }

    @AfterAll
    static void close() throws Exception {
        app.dispose();
    }

    /** The window's scene (call on the JavaFX thread). */
    private static javafx.scene.Scene scene() {
        return app.stage().getScene();
    }

    private static String sidebar() {
        return fx(() -> ((Label) scene().lookup("#setupDescription")).getText());
    }

    private static void openAndWait(Path p, long step) {
        fxRun(() -> app.vm().open(p));
        waitUntil(p.getFileName() + " is open", 30, () -> app.vm().lastSnapshot() != null
                && app.vm().lastSnapshot().step() == step && sidebar().contains("from checkpoint"));
    }

    @Test
    void anOpenedCheckpointIsDescribedByItsOwnTaskAndOptions(@TempDir Path dir) throws Exception {
        assertEquals(Presets.byName("flipflop16").description(), sidebar(), "a fresh preset run: the preset's label");

        openAndWait(CHECKPOINTS.resolve("lego3.safetensors"), 5600);
        String lego3 = sidebar();
        // lego3 was made with the model lego6 had then (4 layers, learned positions): the sidebar
        // names every way the checkpoint differs from today's lego6
        assertEquals("lego \u00b7 n_var=3, n_train=3, n_layers=4, positional_embedding_type=standard "
                + "(from checkpoint; "
                + "weights only: Play trains on with a fresh optimizer)", lego3);
        assertFalse(lego3.contains("6 variables"), "not the preset's label: " + lego3);
        assertEquals("lego6", fx(() -> app.vm().training().presetProperty().get().name()),
                "the training settings still come from the preset it was trained with");
        Ui.screenshot(fx(CheckpointSidebarTest::scene), "checkpoint-sidebar");

        // weights only: Play continues from step 5600 with a fresh optimizer, and says so
        fxRun(() -> app.vm().training().play());
        waitUntil("training continues past step 5600", 60, () -> app.vm().lastSnapshot().step() > 5600);
        waitUntil("the status says why the optimizer is fresh", 10,
                () -> app.vm().training().statusProperty().get().contains("fresh optimizer"));
        fxRun(() -> app.vm().training().togglePlay());
        waitUntil("paused", 10, () -> !app.vm().training().runningProperty().get());

        openAndWait(CHECKPOINTS.resolve("lego3-train2.safetensors"), 1000);
        assertTrue(sidebar().startsWith("lego \u00b7 n_var=3, n_train=2, n_layers=4"), sidebar());
        openAndWait(CHECKPOINTS.resolve("parity-1layer.safetensors"), 3000);
        assertTrue(sidebar().startsWith("parity \u00b7 n_layers=1 (from checkpoint"), sidebar());

        // a checkpoint of the preset itself, saved with its optimizer: the preset's label, from a checkpoint
        fxRun(() -> app.vm().training().presetProperty().set(Presets.byName("flipflop16")));
        waitUntil("the flip-flop preset again", 10, () -> sidebar().equals(Presets.byName("flipflop16").description()));
        fxRun(() -> app.vm().training().stepOnce());
        waitUntil("one step", 10, () -> app.vm().lastSnapshot().step() == 1);
        Path saved = dir.resolve("ff.safetensors");
        fxRun(() -> app.vm().save(saved));
        waitUntil("saved", 10, () -> Files.exists(saved));
        openAndWait(saved, 1);
        assertEquals(Presets.byName("flipflop16").description() + " (from checkpoint)", sidebar());
    }

    @Test
    void changedSettingsNameWhatDiffersFromThePreset() {
        RunSpec p = Presets.byName("parity16");
        RunSpec oneLayer = p.with("n_layers", "1");
        assertEquals("parity \u00b7 n_layers=1 (preset parity16 changed)", SetupViewModel.describe(p, oneLayer, null));
        assertEquals(p.description(), SetupViewModel.describe(p, p, null));
    }
}
