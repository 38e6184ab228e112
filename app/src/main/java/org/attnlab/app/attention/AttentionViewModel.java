package org.attnlab.app.attention;

import java.util.Locale;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.attnlab.app.common.Format;
import org.attnlab.app.training.ProbeResult;
import org.attnlab.app.training.TrainingSnapshot;

/**
 * The attention patterns of the probe example, which head is shown large, and the readout of
 * the hovered cell. Updated from snapshots on the JavaFX thread; never touches a node.
 */
public final class AttentionViewModel {
    private static final String HOVER_HINT = "Hover a cell: query token, key token, weight";

    private final ReadOnlyObjectWrapper<ProbeResult> probe = new ReadOnlyObjectWrapper<>(this, "probe");
    private final ReadOnlyIntegerWrapper selectedLayer = new ReadOnlyIntegerWrapper(this, "selectedLayer");
    private final ReadOnlyIntegerWrapper selectedHead = new ReadOnlyIntegerWrapper(this, "selectedHead");
    private final ReadOnlyStringWrapper hoverText = new ReadOnlyStringWrapper(this, "hoverText", HOVER_HINT);
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "Layer 0 \u00b7 head 0");

    private final ReadOnlyObjectWrapper<ProbeResult> pinned = new ReadOnlyObjectWrapper<>(this, "pinned");
    private ProbeResult live;

    /** Takes the snapshot's probe result if it is a new one (JavaFX thread); while a moment is pinned it is kept for later. */
    public void accept(TrainingSnapshot s) {
        ProbeResult p = s.probe();
        if (p == null) {
            return;
        }
        live = p;
        if (pinned.get() == null) {
            show(p);
        }
    }

    /**
     * Shows a recorded moment of the training history instead of the live probe (the history view's
     * "show in the attention grid"); {@code null} goes back to following training.
     */
    public void pin(ProbeResult moment) {
        pinned.set(moment);
        ProbeResult p = moment != null ? moment : live;
        if (p != null) {
            show(p);
        }
    }

    /** @return the pinned moment, or null while following training */
    public ReadOnlyObjectProperty<ProbeResult> pinnedProperty() {
        return pinned.getReadOnlyProperty();
    }

    private void show(ProbeResult p) {
        if (p == probe.get()) {
            return;
        }
        ProbeResult before = probe.get();
        if (selectedLayer.get() >= p.layers() || selectedHead.get() >= p.heads()) {
            select(0, 0);
        }
        probe.set(p);
        if (before == null || before.probeId() != p.probeId() || before.length() != p.length()) {
            hoverText.set(HOVER_HINT);
        }
    }

    /** Shows head {@code h} of layer {@code l} large. */
    public void select(int l, int h) {
        selectedLayer.set(l);
        selectedHead.set(h);
        title.set("Layer " + l + " \u00b7 head " + h);
    }

    /**
     * Describes the cell under the mouse in head (l, h): query row q, key column k; q = -1 clears.
     */
    public void hover(int l, int h, int q, int k) {
        ProbeResult p = probe.get();
        if (p == null || q < 0 || k < 0 || l >= p.layers() || h >= p.heads() || q >= p.length() || k >= p.length()) {
            hoverText.set(HOVER_HINT);
            return;
        }
        double w = p.patterns()[l][h][q * p.length() + k];
        hoverText.set(String.format(Locale.ROOT, "L%d H%d \u00b7 query '%s' (position %d) \u2192 key '%s' (position %d)"
                + ": weight %s", l, h, p.tokens().get(q), q, p.tokens().get(k), k, Format.weight(w)));
    }

    /** @return the pattern of head (l, h) on the probe, {@code [T*T]}, or null before the first snapshot */
    public double[] pattern(int l, int h) {
        ProbeResult p = probe.get();
        return p == null || l >= p.layers() || h >= p.heads() ? null : p.patterns()[l][h];
    }

    public ReadOnlyObjectProperty<ProbeResult> probeProperty() {
        return probe.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty selectedLayerProperty() {
        return selectedLayer.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty selectedHeadProperty() {
        return selectedHead.getReadOnlyProperty();
    }

    /** @return the hovered cell described, or a hint */
    public ReadOnlyStringProperty hoverTextProperty() {
        return hoverText.getReadOnlyProperty();
    }

    /** @return "Layer 1 · head 2" */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }
}
