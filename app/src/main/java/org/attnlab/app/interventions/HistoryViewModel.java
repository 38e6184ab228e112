package org.attnlab.app.interventions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javafx.beans.InvalidationListener;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import org.attnlab.app.attention.AttentionViewModel;
import org.attnlab.app.common.AnalysisJob;
import org.attnlab.app.training.ProbeResult;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.tasks.Vocabulary;
import org.attnlab.engine.train.TrainingHistory;

/**
 * The history view's model: the recorded moments of the run and its phase changes (found in the
 * background), the moment shown (A) and the one compared with (B), "follow training", and "show
 * in the attention grid", which pins moment A in the Training tab's grid.
 */
public final class HistoryViewModel {
    /** Least relative drop of the interval-mean loss marked as a phase change. */
    static final double PHASE_DROP = 0.1;

    /**
     * The moments and what was found in them.
     *
     * @param moments    the moments, oldest first
     * @param phases     the indices of phase changes
     * @param vocab      the task's vocabulary (token labels)
     * @param metricName the name of the held-out metric
     */
    public record Timeline(List<TrainingHistory.Moment> moments, List<Integer> phases, Vocabulary vocab,
                           String metricName) {
    }

    private static final Timeline EMPTY = new Timeline(List.of(), List.of(), null, "metric");

    private final AttentionViewModel attention;
    private final ReadOnlyObjectWrapper<Timeline> timeline = new ReadOnlyObjectWrapper<>(this, "timeline", EMPTY);
    private final ReadOnlyIntegerWrapper shown = new ReadOnlyIntegerWrapper(this, "shown");
    private final ReadOnlyIntegerWrapper compared = new ReadOnlyIntegerWrapper(this, "compared");
    private final BooleanProperty follow = new SimpleBooleanProperty(this, "follow", true);
    private final BooleanProperty compare = new SimpleBooleanProperty(this, "compare");
    private final BooleanProperty pin = new SimpleBooleanProperty(this, "pin");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "Nothing recorded yet.");
    private final ReadOnlyStringWrapper shownText = new ReadOnlyStringWrapper(this, "shownText", "");
    private final ReadOnlyStringWrapper comparedText = new ReadOnlyStringWrapper(this, "comparedText", "");
    private final AnalysisJob job = new AnalysisJob();
    private List<TrainingHistory.Moment> asked;
    private Vocabulary askedVocab;
    private long shownRun = -1;

    /** @param attention the Training tab's attention grid, to pin a moment in */
    public HistoryViewModel(AttentionViewModel attention) {
        this.attention = attention;
        follow.addListener((o, a, on) -> {
            if (on) {
                select(timeline.get().moments().size() - 1);
            }
        });
        InvalidationListener texts = o -> describe();
        shown.addListener(texts);
        compared.addListener(texts);
        InvalidationListener pinned = o -> updatePin();
        shown.addListener(pinned);
        pin.addListener(pinned);
    }

    /** Takes the newest snapshot's history (while the view is showing); its phase changes are found in the background. */
    public void update(TrainingSnapshot s) {
        List<TrainingHistory.Moment> m = s.history() == null ? List.of() : s.history();
        Vocabulary vocab = s.spec().task().vocabulary();
        String metric = s.metricName() == null ? "metric" : s.metricName();
        if (m == asked && vocab == askedVocab) {
            return;
        }
        asked = m;
        askedVocab = vocab;
        if (s.runId() != shownRun) {
            // another run (a reset, an opened checkpoint): the old run's moments go at once
            shownRun = s.runId();
            take(EMPTY);
        }
        // scoped by run: while training, a newer history does not starve the one being computed
        job.submit(s.runId(), stale -> new Timeline(m, Collections.unmodifiableList(new ArrayList<>(
                TrainingHistory.phaseChanges(m, PHASE_DROP))), vocab, metric), this::take, e -> { });
    }

    private void take(Timeline next) {
        List<TrainingHistory.Moment> before = timeline.get().moments();
        long stepA = before.isEmpty() ? -1 : before.get(shown.get()).step();
        long stepB = before.isEmpty() ? -1 : before.get(compared.get()).step();
        timeline.set(next);
        int last = Math.max(0, next.moments().size() - 1);
        shown.set(follow.get() ? last : nearest(stepA));
        compared.set(nearest(stepB));
        describe();
        updatePin();
    }

    /** @return the moments, their phase changes, the vocabulary and the metric's name */
    public ReadOnlyObjectProperty<Timeline> timelineProperty() {
        return timeline.getReadOnlyProperty();
    }

    /** @return the index of moment A, the one shown */
    public ReadOnlyIntegerProperty shownProperty() {
        return shown.getReadOnlyProperty();
    }

    /** @return the index of moment B, compared with A */
    public ReadOnlyIntegerProperty comparedProperty() {
        return compared.getReadOnlyProperty();
    }

    /** @return whether moment A follows the newest moment */
    public BooleanProperty followProperty() {
        return follow;
    }

    /** @return whether moment B is shown beside A */
    public BooleanProperty compareProperty() {
        return compare;
    }

    /** @return whether moment A is shown in the Training tab's attention grid */
    public BooleanProperty pinProperty() {
        return pin;
    }

    /** @return "n moments from step a to b, ..." */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** @return moment A described (step, losses, metric) */
    public ReadOnlyStringProperty shownTextProperty() {
        return shownText.getReadOnlyProperty();
    }

    /** @return moment B described */
    public ReadOnlyStringProperty comparedTextProperty() {
        return comparedText.getReadOnlyProperty();
    }

    /** Shows moment {@code i} (clamped) and stops following training unless it is the newest. */
    public void select(int i) {
        List<TrainingHistory.Moment> m = timeline.get().moments();
        if (m.isEmpty()) {
            return;
        }
        int k = Math.max(0, Math.min(m.size() - 1, i));
        shown.set(k);
        if (k != m.size() - 1) {
            follow.set(false);
        }
    }

    /** Compares with moment {@code i} (clamped). */
    public void compareWith(int i) {
        compare.set(true);
        compared.set(Math.max(0, Math.min(timeline.get().moments().size() - 1, i)));
    }

    /** @return moment A, or null before anything was recorded */
    public TrainingHistory.Moment shownMoment() {
        return at(shown.get());
    }

    /** @return moment B, or null */
    public TrainingHistory.Moment comparedMoment() {
        return at(compared.get());
    }

    private TrainingHistory.Moment at(int i) {
        Timeline t = timeline.get();
        return t.moments().isEmpty() || t.vocab() == null ? null : t.moments().get(Math.min(i, t.moments().size() - 1));
    }

    /** @return the steps between the last two moments (0 with fewer than two) */
    public long interval() {
        List<TrainingHistory.Moment> m = timeline.get().moments();
        return m.size() < 2 ? 0 : m.get(m.size() - 1).step() - m.get(m.size() - 2).step();
    }

    /** @return the index of the moment closest to {@code step} (0 if none) */
    private int nearest(long step) {
        List<TrainingHistory.Moment> m = timeline.get().moments();
        int best = 0;
        for (int i = 0; i < m.size(); i++) {
            if (Math.abs(m.get(i).step() - step) < Math.abs(m.get(best).step() - step)) {
                best = i;
            }
        }
        return best;
    }

    private void describe() {
        Timeline t = timeline.get();
        List<TrainingHistory.Moment> m = t.moments();
        boolean any = !m.isEmpty() && t.vocab() != null;
        long k = interval();
        String span = m.size() == 1
                ? String.format(Locale.ROOT, "1 moment, at step %,d", m.get(0).step())
                : String.format(Locale.ROOT, "%d moments from step %,d to %,d, one every %s now", m.size(),
                        m.isEmpty() ? 0 : m.get(0).step(), m.isEmpty() ? 0 : m.get(m.size() - 1).step(),
                        k <= 1 ? "step" : String.format(Locale.ROOT, "%,d steps", k));
        summary.set(any ? String.format(Locale.ROOT, "%s; %d phase change%s marked", span, t.phases().size(),
                t.phases().size() == 1 ? "" : "s")
                : "Nothing recorded yet.");
        shownText.set(describe("Shown", shownMoment()));
        comparedText.set(describe("Compared", comparedMoment()));
    }

    private String describe(String what, TrainingHistory.Moment m) {
        if (m == null) {
            return "";
        }
        Timeline t = timeline.get();
        boolean phase = t.phases().contains(t.moments().indexOf(m));
        return String.format(Locale.ROOT, "%s: step %,d \u00b7 training loss %.4f (mean of %d steps) \u00b7 held-out loss "
                        + "%s \u00b7 held-out %s %s%s%s", what, m.step(), m.trainLoss(), m.lossCount(), num(m.evalLoss()),
                t.moments().isEmpty() ? "metric" : t.metricName(), num(m.metric()),
                m.params() != null ? " \u00b7 parameters kept" : "", phase ? " \u00b7 PHASE CHANGE" : "");
    }

    private static String num(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.4f", x) : "\u2014";
    }

    private void updatePin() {
        TrainingHistory.Moment m = shownMoment();
        attention.pin(pin.get() && m != null ? probeResult(m, timeline.get().vocab()) : null);
    }

    /** @return moment {@code m} as the attention grid shows a probe result */
    private static ProbeResult probeResult(TrainingHistory.Moment m, Vocabulary vocab) {
        List<String> tokens = new ArrayList<>();
        for (int id : m.tokens()) {
            tokens.add(id < vocab.size() ? vocab.token(id) : "<" + id + ">");
        }
        double[][][] p = new double[m.layers()][m.heads()][];
        for (int l = 0; l < m.layers(); l++) {
            for (int h = 0; h < m.heads(); h++) {
                p[l][h] = m.pattern(l, h);
            }
        }
        int[] none = new int[m.length()];
        Arrays.fill(none, -1);
        return new ProbeResult(-m.step() - 1, m.step(), List.copyOf(tokens), p, List.of(), m.tokens(), none, m.params());
    }

    /** Drops the job under way (the window closes). */
    public void close() {
        job.cancel();
    }
}
