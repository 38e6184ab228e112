package org.attnlab.app.inside;

import java.util.List;
import java.util.function.BooleanSupplier;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.attnlab.engine.inspect.ForwardTrace;
import org.attnlab.engine.model.TransformerConfig;

/**
 * The step-through's model: which layer, head and query position are traced, the forward pass
 * traced for them ({@link ForwardTrace}, in the background for the shared analysis), and the
 * stage shown. While training moves the numbers, the stage shown stays the same kind of stage.
 */
public final class StepThroughViewModel extends ViewAnalysis<StepThroughViewModel.Choice, StepThroughViewModel.Traced> {
    /**
     * What is traced.
     *
     * @param layer the layer
     * @param head  the head
     * @param query the query position
     */
    public record Choice(int layer, int head, int query) {
    }

    /**
     * The choices the view offers for the analysis shown and the one chosen.
     *
     * @param layers  L
     * @param heads   H
     * @param queries the positions' labels "i: tok"
     * @param chosen  the choice traced
     */
    public record Choices(int layers, int heads, List<String> queries, Choice chosen) {
    }

    /**
     * A forward pass traced.
     *
     * @param analysis the analysis it traces
     * @param trace    the trace
     */
    public record Traced(Analysis analysis, ForwardTrace trace) {
    }

    /**
     * A stage of a trace on screen.
     *
     * @param analysis the analysis traced
     * @param trace    the trace
     * @param index    the stage's index in it
     */
    public record Shown(Analysis analysis, ForwardTrace trace, int index) {
        /** @return the stage */
        public ForwardTrace.Stage stage() {
            return trace.stages().get(index);
        }
    }

    private final ReadOnlyObjectWrapper<Choices> choices = new ReadOnlyObjectWrapper<>(this, "choices");
    private final ReadOnlyObjectWrapper<Shown> shown = new ReadOnlyObjectWrapper<>(this, "shown");
    private Integer layer, head, query;

    /** @param inside the shared analysis */
    public StepThroughViewModel(InsideViewModel inside) {
        super(inside);
    }

    /** @return the choices offered and the one traced (set when a trace is asked for) */
    public ReadOnlyObjectProperty<Choices> choicesProperty() {
        return choices.getReadOnlyProperty();
    }

    /** @return the stage shown, null before the first trace */
    public ReadOnlyObjectProperty<Shown> shownProperty() {
        return shown.getReadOnlyProperty();
    }

    /**
     * Chooses what to trace: a layer or head the model does not have becomes 0; a query position is
     * taken only if the probe has it.
     */
    public void select(int l, int h, int q) {
        layer = l;
        head = h;
        Analysis a = analysis();
        if (a != null && q >= 0 && q < a.length()) {
            query = q;
        }
        refresh();
    }

    /** Shows the next stage (stays at the last). */
    public void next() {
        go(+1);
    }

    /** Shows the previous stage (stays at the first). */
    public void previous() {
        go(-1);
    }

    private void go(int by) {
        Shown s = shown.get();
        if (s != null) {
            shown.set(new Shown(s.analysis(), s.trace(), Math.max(0, Math.min(s.trace().stages().size() - 1,
                    s.index() + by))));
        }
    }

    @Override
    protected Choice choices(Analysis a) {
        TransformerConfig c = a.config();
        int l = layer != null && layer < c.nLayers() ? layer : 0;
        int h = head != null && head < c.nHeads() ? head : 0;
        int q = query != null && query < a.length() ? query : a.defaultPosition();
        layer = l;
        head = h;
        query = q;
        Choice chosen = new Choice(l, h, q);
        choices.set(new Choices(c.nLayers(), c.nHeads(), a.positionLabels(), chosen));
        return chosen;
    }

    @Override
    protected Traced compute(Analysis a, Choice c, BooleanSupplier stale) {
        return new Traced(a, ForwardTrace.trace(a.params(), a.tokenIds(), a.tokens(), a.vocab(), c.layer(), c.head(),
                c.query()));
    }

    @Override
    protected void delivered(Traced t) {
        super.delivered(t);
        ForwardTrace trace = t.trace();
        Shown before = shown.get();
        int index = before == null ? 0 : Math.min(before.index(), trace.stages().size() - 1);
        ForwardTrace.Kind kind = before == null ? null : before.stage().kind();
        for (int i = 0; kind != null && i < trace.stages().size(); i++) {
            if (trace.stages().get(i).kind() == kind) {
                index = i;                          // keep the stage while training moves the numbers
            }
        }
        shown.set(new Shown(t.analysis(), trace, index));
    }
}
