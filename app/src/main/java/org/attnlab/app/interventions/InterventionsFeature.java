package org.attnlab.app.interventions;

import javafx.scene.control.ScrollPane;
import org.attnlab.app.common.Styles;
import org.attnlab.app.window.Contribution;
import org.attnlab.app.window.Feature;
import org.attnlab.app.window.ViewTab;
import org.attnlab.app.window.WindowContext;

/**
 * The intervention views (issue 6), as tabs: "Ablation", "Patching", "History" and "Linear
 * attention". Each computes only while its tab is showing, at most once per snapshot, in the
 * background (their view models' {@link org.attnlab.app.common.AnalysisJob}s).
 */
public final class InterventionsFeature implements Feature {
    private AblationView ablation;
    private PatchingView patching;
    private HistoryView history;
    private LinearAttentionView linear;

    @Override
    public Contribution install(WindowContext window) {
        ablation = new AblationView(window.snapshotProperty());
        patching = new PatchingView(window.snapshotProperty());
        history = new HistoryView(window.snapshotProperty(), window.attention());
        linear = new LinearAttentionView(window.snapshotProperty());
        linear.follow(window.attention().selectedLayerProperty(), window.attention().selectedHeadProperty());
        return Contribution.builder().view(tab("Ablation", ablation)).view(tab("Patching", patching))
                .view(tab("History", history)).view(tab("Linear attention", linear)).build();
    }

    private static ViewTab tab(String name, InterventionPane pane) {
        ScrollPane scroll = new ScrollPane(pane);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add(Styles.VIEW_SCROLL);
        ViewTab tab = ViewTab.of(name, scroll);
        pane.showingProperty().bind(tab.showing());
        return tab;
    }

    @Override
    public void close() {
        ablation.viewModel().close();
        patching.viewModel().close();
        history.viewModel().close();
        linear.viewModel().close();
    }

    /** @return the ablation view */
    public AblationView ablation() {
        return ablation;
    }

    /** @return the patching view */
    public PatchingView patching() {
        return patching;
    }

    /** @return the history view */
    public HistoryView history() {
        return history;
    }

    /** @return the linear attention view */
    public LinearAttentionView linear() {
        return linear;
    }
}
