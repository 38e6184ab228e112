package org.attnlab.app.training;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import org.attnlab.app.common.Icons;
import org.attnlab.app.common.Styles;
import org.kordamp.ikonli.javafx.FontIcon;

/** Play / Pause, Step, Reset and the speed limit, as in TensorFlow Playground's top bar. */
public final class TransportBar extends ToolBar {

    /** @param vm the training view model */
    public TransportBar(TrainingViewModel vm) {
        getStyleClass().add(Styles.TRANSPORT);

        FontIcon playIcon = Icons.icon(Icons.PLAY);
        Button play = new Button("Play", playIcon);
        play.setId(Styles.PLAY_BUTTON_ID);
        play.getStyleClass().add(Styles.PLAY_BUTTON);
        play.setOnAction(e -> vm.togglePlay());
        play.setTooltip(new Tooltip("Train continuously (Space)"));
        play.setMinWidth(110);
        play.disableProperty().bind(vm.locks().lockedProperty(ControlLocks.Control.PLAY));
        vm.runningProperty().addListener((o, a, on) -> {
            play.setText(on ? "Pause" : "Play");
            playIcon.setIconLiteral(on ? Icons.PAUSE : Icons.PLAY);
            play.getTooltip().setText(on ? "Pause training (Space)" : "Train continuously (Space)");
            play.getStyleClass().remove(Styles.PLAYING);
            if (on) {
                play.getStyleClass().add(Styles.PLAYING);
            }
        });

        Button step = new Button("Step", Icons.icon(Icons.STEP));
        step.setId(Styles.STEP_BUTTON);
        step.setOnAction(e -> vm.stepOnce());
        step.disableProperty().bind(vm.locks().lockedProperty(ControlLocks.Control.STEP));
        step.setTooltip(new Tooltip("Take one optimizer step (Right arrow)"));

        Button reset = new Button("Reset", Icons.icon(Icons.RESET));
        reset.setId(Styles.RESET_BUTTON);
        reset.setOnAction(e -> vm.reset());
        reset.disableProperty().bind(vm.locks().lockedProperty(ControlLocks.Control.RESET));
        reset.setTooltip(new Tooltip("Start a fresh model with the settings on the left (R)"));

        Slider speed = new Slider(0, TrainingViewModel.SPEEDS.length - 1, vm.speedIndexProperty().get());
        speed.setId(Styles.SPEED_SLIDER);
        speed.setMajorTickUnit(1);
        speed.setMinorTickCount(0);
        speed.setSnapToTicks(true);
        speed.setBlockIncrement(1);
        speed.setPrefWidth(160);
        speed.setFocusTraversable(false);
        speed.valueProperty().addListener((o, a, b) -> vm.speedIndexProperty().set((int) Math.round(b.doubleValue())));
        vm.speedIndexProperty().addListener((o, a, b) -> speed.setValue(b.intValue()));
        speed.setTooltip(new Tooltip("Speed limit: slow it down to watch single steps, or right for as fast as possible"));
        Label speedText = new Label();
        speedText.textProperty().bind(vm.speedTextProperty());
        speedText.setMinWidth(150);
        HBox speedBox = new HBox(6, Icons.icon(Icons.SPEED), new Label("Speed"), speed, speedText);
        speedBox.setAlignment(Pos.CENTER_LEFT);

        Pane grow = new Pane();
        HBox.setHgrow(grow, Priority.ALWAYS);
        getItems().addAll(play, step, reset, new Separator(), speedBox, grow);
    }
}
