package org.attnlab.app.interventions;

import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import org.attnlab.app.MainView;
import org.attnlab.app.MainViewModel;
import org.attnlab.app.common.Styles;

/**
 * Adds the intervention views (issue 6) to the window as tabs: "Ablation", "Patching",
 * "History" and "Linear attention". Each computes only while its tab is showing, at most once
 * per snapshot; ablation and patching sweeps run on a background thread.
 */
public final class InterventionViews {
    private final AblationView ablation;
    private final PatchingView patching;
    private final HistoryView history;
    private final LinearAttentionView linear;

    private InterventionViews(MainViewModel vm) {
        ablation = new AblationView(vm.snapshotProperty());
        patching = new PatchingView(vm.snapshotProperty());
        history = new HistoryView(vm.snapshotProperty(), vm.attention());
        linear = new LinearAttentionView(vm.snapshotProperty());
        linear.follow(vm.attention().selectedLayerProperty(), vm.attention().selectedHeadProperty());
    }

    /**
     * Creates the views and adds them to {@code main}.
     *
     * @param main the window
     * @param vm   the window's view model (snapshots, the attention grid)
     * @return the views
     */
    public static InterventionViews install(MainView main, MainViewModel vm) {
        InterventionViews v = new InterventionViews(vm);
        add(main, "Ablation", v.ablation);
        add(main, "Patching", v.patching);
        add(main, "History", v.history);
        add(main, "Linear attention", v.linear);
        return v;
    }

    private static void add(MainView main, String name, InterventionPane pane) {
        ScrollPane scroll = new ScrollPane(pane);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add(Styles.VIEW_SCROLL);
        Tab tab = main.addView(name, scroll);
        pane.showingProperty().bind(tab.selectedProperty());
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
