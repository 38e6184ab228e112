package org.attnlab.app.interventions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import org.attnlab.app.common.Styles;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.intervene.ActivationPatching;
import org.attnlab.engine.intervene.Corruptions;
import org.attnlab.engine.tasks.LegoTask;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.Vocabulary;

/**
 * Activation patching on the probe: the probe is the clean input, a corruption of it (LEGO: one
 * clause's sign flipped; any task: one token replaced) the corrupted one. Each cell of the
 * heatmaps reruns the corrupted input with one clean activation patched in (the residual stream
 * entering layer l at position t; head (l, h)'s output z at every position) and shows the
 * recovered fraction of the logit difference between the clean and the corrupted answer at the
 * answer position: 1 = the clean result is back, 0 = no effect. Computed in the background by the
 * {@link PatchingViewModel}, which holds the sweep shown.
 */
public final class PatchingView extends InterventionPane {
    private static final String FLIP = "Flip one sign (LEGO)", REPLACE = "Replace one token";

    private final ChoiceBox<String> kind = new ChoiceBox<>();
    private final ChoiceBox<Integer> depth = new ChoiceBox<>();
    private final ChoiceBox<Integer> position = new ChoiceBox<>(), answer = new ChoiceBox<>();
    private final ChoiceBox<String> replacement = new ChoiceBox<>();
    private final HBox flipControls, replaceControls;
    private final Label clean = new Label(), corrupted = new Label(), answerInfo = new Label();
    private final ValueGrid resid = new ValueGrid(), heads = new ValueGrid();
    private final PatchingViewModel vm = new PatchingViewModel();
    private boolean filling;
    private String filledFor;

    /** @param snapshots the window's snapshots */
    public PatchingView(ObservableValue<TrainingSnapshot> snapshots) {
        super(snapshots, "Activation patching", "Clean run: the probe. Corrupted run: the probe with one change. "
                + "Each cell reruns the corrupted input with one activation copied from the clean run and shows how much "
                + "of the logit difference (clean answer minus corrupted answer, at the answer position) comes back: "
                + "1 = all of it, 0 = none.");
        setId("patchingView");
        kind.setId("patchKind");
        depth.setId("patchDepth");
        position.setId("patchPosition");
        replacement.setId("patchToken");
        answer.setId("patchAnswer");
        flipControls = new HBox(8, new Label("flip the sign at chain depth"), depth);
        replaceControls = new HBox(8, new Label("position"), position, new Label("becomes"), replacement,
                new Label("answer at position"), answer);
        flipControls.setAlignment(Pos.CENTER_LEFT);
        replaceControls.setAlignment(Pos.CENTER_LEFT);
        for (ChoiceBox<?> c : List.of(kind, depth, position, replacement, answer)) {
            c.valueProperty().addListener((o, a, b) -> {
                if (!filling) {
                    updateControls();
                    refreshNow();
                }
            });
        }
        HBox top = new HBox(10, new Label("Corruption"), kind);
        top.setAlignment(Pos.CENTER_LEFT);
        clean.setId("patchClean");
        corrupted.setId("patchCorrupted");
        answerInfo.setId("patchAnswerInfo");
        answerInfo.setWrapText(true);
        for (Label l : List.of(clean, corrupted)) {
            l.getStyleClass().add(Styles.TOKEN_ROW);
            l.setWrapText(true);
        }
        resid.setId("patchResidGrid");
        heads.setId("patchHeadGrid");
        resid.setMaxCell(44);
        heads.setMaxCell(52);
        heads.setMaxWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        kind.setMinWidth(190);
        getChildren().addAll(top, flipControls, replaceControls, clean, corrupted, answerInfo,
                heading("Residual stream entering each layer (resid_pre), patched at one position"), resid,
                heading("Head outputs (hook_z), one head patched at every position"), heads);
        vm.sweepProperty().addListener((o, a, r) -> {
            if (r != null) {
                show(r.setup(), r.result(), r.corruption(), r.vocab(), r.tokens());
            }
        });
        vm.errorProperty().addListener((o, a, e) -> showError(e));
    }

    /** @return the view's model */
    public PatchingViewModel viewModel() {
        return vm;
    }

    /** @return the sweep shown, or null */
    public ActivationPatching.Result result() {
        return vm.sweepProperty().get() == null ? null : vm.sweepProperty().get().result();
    }

    /** @return the clean and corrupted inputs and answers of the sweep shown, or null */
    public ActivationPatching.Setup setup() {
        return vm.sweepProperty().get() == null ? null : vm.sweepProperty().get().setup();
    }

    /** @return the residual-stream heatmap [L x T] */
    public ValueGrid residGrid() {
        return resid;
    }

    /** @return the head heatmap [L x H] */
    public ValueGrid headGrid() {
        return heads;
    }

    /** Chooses "replace the token at {@code pos} by {@code token}", read at {@code answerPos}. */
    public void replace(int pos, String token, int answerPos) {
        filling = true;
        kind.setValue(REPLACE);
        position.setValue(pos);
        replacement.setValue(token);
        answer.setValue(answerPos);
        filling = false;
        updateControls();
        refreshNow();
    }

    /** Chooses the LEGO sign flip at chain depth {@code d}. */
    public void flip(int d) {
        filling = true;
        kind.setValue(FLIP);
        depth.setValue(d);
        filling = false;
        updateControls();
        refreshNow();
    }

    private void updateControls() {
        boolean flip = FLIP.equals(kind.getValue());
        flipControls.setVisible(flip);
        flipControls.setManaged(flip);
        replaceControls.setVisible(!flip);
        replaceControls.setManaged(!flip);
    }

    /** Fills the choices for a task and probe length (keeps the user's choices when they still fit). */
    private void fill(Task task, int t) {
        String key = task + "/" + t;
        if (key.equals(filledFor)) {
            return;
        }
        filledFor = key;
        filling = true;
        boolean lego = task instanceof LegoTask l && t == l.seqLen();
        kind.getItems().setAll(lego ? List.of(FLIP, REPLACE) : List.of(REPLACE));
        kind.setValue(lego ? FLIP : REPLACE);
        if (lego) {
            List<Integer> d = new ArrayList<>();
            for (int i = 1; i < ((LegoTask) task).nVar(); i++) {
                d.add(i);
            }
            depth.getItems().setAll(d);
            depth.setValue(1);
        }
        List<Integer> ps = new ArrayList<>();
        for (int i = 0; i < t; i++) {
            ps.add(i);
        }
        position.getItems().setAll(ps);
        answer.getItems().setAll(ps);
        position.setValue(0);
        answer.setValue(t - 1);
        replacement.getItems().setAll(task.vocabulary().tokens());
        replacement.setValue(null);
        filling = false;
        updateControls();
    }

    @Override
    protected void refresh(TrainingSnapshot s) {
        if (s.probe() == null || s.probe().model() == null) {
            return;
        }
        Task task = s.setup().task();
        int[] probe = s.probe().tokenIds();
        fill(task, probe.length);
        Vocabulary vocab = task.vocabulary();
        if (replacement.getValue() == null) {          // default: the first token becomes another one
            filling = true;
            replacement.setValue(vocab.token((probe[0] + 1) % vocab.size()));
            filling = false;
        }
        Object key = List.of(s.runId(), s.probe().step(), s.probe().probeId(), String.valueOf(kind.getValue()),
                String.valueOf(depth.getValue()), String.valueOf(position.getValue()),
                String.valueOf(replacement.getValue()), String.valueOf(answer.getValue()));
        if (vm.shows(key)) {
            return;
        }
        Corruptions.Corrupted x;
        try {
            x = FLIP.equals(kind.getValue()) && task instanceof LegoTask lego
                    ? Corruptions.legoSignFlip(lego, probe, depth.getValue())
                    : Corruptions.replaceToken(task, probe, position.getValue(), vocab.id(replacement.getValue()),
                    answer.getValue());
        } catch (RuntimeException e) {
            vm.fail("Cannot corrupt this probe: " + e.getMessage());
            return;
        }
        vm.run(key, s.probe().model(), probe, x, vocab, s.probe().tokens());
    }

    private void show(ActivationPatching.Setup su, ActivationPatching.Result r, Corruptions.Corrupted x, Vocabulary vocab,
                      List<String> tokens) {
        clean.setText("clean      " + String.join(" ", tokens));
        StringBuilder sb = new StringBuilder("corrupted  ");
        for (int i = 0; i < su.corrupted().length; i++) {
            String tok = vocab.token(su.corrupted()[i]);
            sb.append(su.corrupted()[i] != su.clean()[i] ? "[" + tok + "]" : tok).append(' ');
        }
        corrupted.setText(sb.toString().trim());
        answerInfo.setText(String.format(Locale.ROOT, "Corruption: %s. Answer at position %d ('%s'): clean answer '%s', "
                        + "corrupted answer '%s'. Logit difference clean %.3f, corrupted %.3f.", x.description(),
                su.answerPosition(), tokens.get(su.answerPosition()), vocab.token(su.correct()), vocab.token(su.wrong()),
                r.cleanDifference(), r.corruptedDifference()));
        int layers = r.residPre().length, t = su.clean().length, nh = r.headZ()[0].length;
        double[] a = new double[layers * t], b = new double[layers * nh];
        List<String> rows = new ArrayList<>(), hs = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            rows.add("layer " + l);
            System.arraycopy(r.residPre()[l], 0, a, l * t, t);
            System.arraycopy(r.headZ()[l], 0, b, l * nh, nh);
        }
        for (int h = 0; h < nh; h++) {
            hs.add("H" + h);
        }
        resid.setData(a, layers, t, rows, tokens, 1, "%.2f");
        heads.setData(b, layers, nh, rows, hs, 1, "%.2f");
        double gap = Math.abs(r.cleanDifference() - r.corruptedDifference());
        if (gap < 0.05 * Math.max(1, Math.abs(r.cleanDifference()))) {
            showError(String.format(Locale.ROOT, "This corruption barely changes the answer (logit difference %.3f clean vs "
                    + "%.3f corrupted), so the fractions divide by a tiny number and mean little: choose a change that "
                    + "alters the answer at the answer position.", r.cleanDifference(), r.corruptedDifference()));
        }
    }
}
