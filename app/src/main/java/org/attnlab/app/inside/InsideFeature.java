package org.attnlab.app.inside;

import javafx.beans.binding.Bindings;
import javafx.scene.control.ScrollPane;
import org.attnlab.app.common.Styles;
import org.attnlab.app.window.Contribution;
import org.attnlab.app.window.Feature;
import org.attnlab.app.window.ViewTab;
import org.attnlab.app.window.WindowContext;

/**
 * The views inside the model, as tabs: "Residual stream" (logit lens, norms, direct logit
 * attribution), "Positions" (encodings and the set-function demonstration) and "Step-through"
 * (the forward pass stage by stage). They share one analysis of the newest snapshot
 * ({@link InsideViewModel}), computed in the background only while one of them is showing.
 */
public final class InsideFeature implements Feature {
    private InsideViewModel vm;
    private ResidualStreamView residual;
    private PositionalView positions;
    private StepThroughView stepper;

    @Override
    public Contribution install(WindowContext window) {
        Typesetting.warmUpInBackground();          // the first formula must not stall a frame
        vm = new InsideViewModel(window.snapshotProperty());
        residual = new ResidualStreamView(vm);
        positions = new PositionalView(vm);
        stepper = new StepThroughView(vm);
        ViewTab a = tab("Residual stream", residual, window), b = tab("Positions", positions, window),
                c = tab("Step-through", stepper, window);
        vm.activeProperty().bind(Bindings.or(a.showing(), Bindings.or(b.showing(), c.showing())));
        return Contribution.builder().view(a).view(b).view(c).build();
    }

    private static ViewTab tab(String name, InsidePane<?> pane, WindowContext window) {
        pane.setExporter((what, picture) -> window.exportPng(what, () -> picture));
        ScrollPane scroll = new ScrollPane(pane);
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(pane.fillsHeight());
        scroll.getStyleClass().add(Styles.VIEW_SCROLL);
        ViewTab tab = ViewTab.of(name, scroll);
        pane.showingProperty().bind(tab.showing());
        return tab;
    }

    @Override
    public void close() {
        vm.close();
        residual.viewModel().close();
        positions.viewModel().close();
        stepper.viewModel().close();
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
