package org.attnlab.app.inside;

import java.util.function.BiConsumer;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.image.WritableImage;
import org.attnlab.app.MainView;
import org.attnlab.app.MainViewModel;
import org.attnlab.app.common.FileDialogs;
import org.attnlab.app.common.Styles;

/**
 * Adds the views inside the model to the window as tabs: "Residual stream" (logit lens, norms,
 * direct logit attribution), "Positions" (encodings and the set-function demonstration) and
 * "Step-through" (the forward pass stage by stage). They share one analysis of the newest
 * snapshot, computed only while one of them is showing.
 */
public final class InsideViews {
    private final InsideViewModel vm;
    private final ResidualStreamView residual;
    private final PositionalView positions;
    private final StepThroughView stepper;

    private InsideViews(InsideViewModel vm) {
        this.vm = vm;
        this.residual = new ResidualStreamView(vm);
        this.positions = new PositionalView(vm);
        this.stepper = new StepThroughView(vm);
    }

    /**
     * Creates the views and adds them to {@code main}.
     *
     * @param main    the window
     * @param model   the window's view model (snapshots, PNG export, file names)
     * @param dialogs asks where to save a PNG
     * @return the views
     */
    public static InsideViews install(MainView main, MainViewModel model, java.util.function.Supplier<FileDialogs> dialogs) {
        InsideViews v = new InsideViews(new InsideViewModel(model.snapshotProperty()));
        BiConsumer<String, WritableImage> export = (name, image) -> dialogs.get()
                .savePng(main.getScene() == null ? null : main.getScene().getWindow(), model.suggestedPngName(name))
                .ifPresent(p -> model.exportPng(image, p));
        Function<InsidePane, Tab> add = pane -> {
            pane.setExporter(export);
            ScrollPane scroll = new ScrollPane(pane);
            scroll.setFitToWidth(true);
            scroll.setFitToHeight(pane.fillsHeight());
            scroll.getStyleClass().add(Styles.VIEW_SCROLL);
            return main.addView(pane == v.residual ? "Residual stream" : pane == v.positions ? "Positions" : "Step-through",
                    scroll);
        };
        Tab a = add.apply(v.residual), b = add.apply(v.positions), c = add.apply(v.stepper);
        v.residual.showingProperty().bind(a.selectedProperty());
        v.positions.showingProperty().bind(b.selectedProperty());
        v.stepper.showingProperty().bind(c.selectedProperty());
        v.vm.activeProperty().bind(Bindings.or(a.selectedProperty(), Bindings.or(b.selectedProperty(), c.selectedProperty())));
        return v;
    }

    /** @return the shared view model */
    public InsideViewModel viewModel() {
        return vm;
    }

    /** @return the residual stream view */
    public ResidualStreamView residual() {
        return residual;
    }

    /** @return the positional encoding view */
    public PositionalView positions() {
        return positions;
    }

    /** @return the step-through view */
    public StepThroughView stepThrough() {
        return stepper;
    }
}
