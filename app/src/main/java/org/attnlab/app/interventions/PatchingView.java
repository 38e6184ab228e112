package org.attnlab.app.interventions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.attnlab.app.common.Styles;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.intervene.ActivationPatching;
import org.attnlab.engine.tasks.Corruption;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.Vocabulary;

/**
 * Activation patching on the probe: the probe is the clean input, a corruption of it the
 * corrupted one. The corruptions are the task's own ({@link Task#corruptions()}: LEGO offers one
 * clause's sign flipped, every task one token replaced), each with a row of choices, one per
 * argument it declares. Each cell of the heatmaps reruns the corrupted input with one clean
 * activation patched in (the residual stream entering layer l at position t; head (l, h)'s
 * output z at every position) and shows the recovered fraction of the logit difference between
 * the clean and the corrupted answer at the answer position: 1 = the clean result is back, 0 = no
 * effect. Computed in the background by the {@link PatchingViewModel}, which holds the sweep shown.
 */
public final class PatchingView extends InterventionPane {
    private final ChoiceBox<Corruption> kind = new ChoiceBox<>();
    private final VBox argumentRows = new VBox(4);
    private final Map<String, List<ChoiceBox<Integer>>> arguments = new LinkedHashMap<>(); // corruption -> choices
    private final Map<String, HBox> rows = new LinkedHashMap<>();
    private final Label clean = new Label(), corrupted = new Label(), answerInfo = new Label();
    private final ValueGrid resid = new ValueGrid(), heads = new ValueGrid();
    private final PatchingViewModel vm = new PatchingViewModel();
    private boolean filling;
    private String filledFor;
    private Task filledTask;

    /** @param snapshots the window's snapshots */
    public PatchingView(ObservableValue<TrainingSnapshot> snapshots) {
        super(snapshots, "Activation patching", "Clean run: the probe. Corrupted run: the probe with one change. "
                + "Each cell reruns the corrupted input with one activation copied from the clean run and shows how much "
                + "of the logit difference (clean answer minus corrupted answer, at the answer position) comes back: "
                + "1 = all of it, 0 = none.");
        setId("patchingView");
        kind.setId("patchKind");
        kind.setConverter(new StringConverter<>() {
            @Override
            public String toString(Corruption c) {
                return c == null ? "" : c.label();
            }

            @Override
            public Corruption fromString(String label) {
                return kind.getItems().stream().filter(c -> c.label().equals(label)).findFirst().orElse(null);
            }
        });
        listen(kind);
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
        getChildren().addAll(top, argumentRows, clean, corrupted, answerInfo,
                heading("Residual stream entering each layer (resid_pre), patched at one position"), resid,
                heading("Head outputs (hook_z), one head patched at every position"), heads);
        vm.sweepProperty().addListener((o, x, r) -> {
            if (r != null) {
                show(r.setup(), r.result(), r.corruption(), r.vocab(), r.tokens());
            }
        });
        vm.errorProperty().addListener((o, x, e) -> showError(e));
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
        fillFromSnapshot();
        choose("replace_token", pos, filledTask == null ? -1 : filledTask.vocabulary().id(token), answerPos);
    }

    /** Chooses the LEGO sign flip at chain depth {@code d}. */
    public void flip(int d) {
        choose("sign_flip", d);
    }

    /**
     * Chooses the task's corruption {@code name} with its argument values, as if picked in the
     * menus, and recomputes.
     *
     * @param name a {@link Corruption#name()} of the probe's task, e.g. {@code "replace_token"}
     * @param args one value per argument of the corruption
     */
    public void choose(String name, int... args) {
        fillFromSnapshot();
        List<ChoiceBox<Integer>> boxes = arguments.get(name);
        Corruption c = kind.getItems().stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
        if (c == null || boxes == null || boxes.size() != args.length) {
            showError("This probe offers no corruption '" + name + "' with " + args.length + " arguments");
            return;
        }
        filling = true;
        kind.setValue(c);
        for (int i = 0; i < args.length; i++) {
            boxes.get(i).setValue(args[i]);
        }
        filling = false;
        updateControls();
        refreshNow();
    }

    private void listen(ChoiceBox<?> c) {
        c.valueProperty().addListener((o, a, b) -> {
            if (!filling) {
                updateControls();
                refreshNow();
            }
        });
    }

    /** Shows the argument row of the chosen corruption only. */
    private void updateControls() {
        Corruption chosen = kind.getValue();
        rows.forEach((name, row) -> {
            boolean on = chosen != null && chosen.name().equals(name);
            row.setVisible(on);
            row.setManaged(on);
        });
    }

    private void fillFromSnapshot() {
        TrainingSnapshot s = snapshots.getValue();
        if (s != null && s.probe() != null) {
            fill(s.spec().task(), s.probe().tokenIds());
        }
    }

    /**
     * Fills the choices for a task and probe length: the task's corruptions that apply to the
     * probe, the first chosen, each with a row of its arguments at their defaults.
     */
    private void fill(Task task, int[] probe) {
        String key = task + "/" + probe.length;
        if (key.equals(filledFor)) {
            return;
        }
        filledFor = key;
        filledTask = task;
        filling = true;
        List<Corruption> offered = task.corruptions().stream().filter(c -> c.appliesTo(probe)).toList();
        arguments.clear();
        rows.clear();
        argumentRows.getChildren().clear();
        for (Corruption c : offered) {
            HBox row = new HBox(8);
            row.setAlignment(Pos.CENTER_LEFT);
            List<ChoiceBox<Integer>> boxes = new ArrayList<>();
            for (Corruption.Argument a : c.arguments(probe)) {
                ChoiceBox<Integer> box = new ChoiceBox<>();
                box.setId("patch" + Character.toUpperCase(a.name().charAt(0)) + a.name().substring(1));
                box.setConverter(new StringConverter<>() {
                    @Override
                    public String toString(Integer v) {
                        return v == null ? "" : a.labelOf(v);
                    }

                    @Override
                    public Integer fromString(String label) {
                        int i = a.valueLabels().indexOf(label);
                        return i < 0 ? null : a.values().get(i);
                    }
                });
                box.getItems().setAll(a.values());
                box.setValue(a.defaultValue());
                listen(box);
                boxes.add(box);
                row.getChildren().addAll(new Label(a.label()), box);
            }
            arguments.put(c.name(), boxes);
            rows.put(c.name(), row);
            argumentRows.getChildren().add(row);
        }
        kind.getItems().setAll(offered);
        kind.setValue(offered.isEmpty() ? null : offered.get(0));
        filling = false;
        updateControls();
    }

    @Override
    protected void refresh(TrainingSnapshot s) {
        if (s.probe() == null || s.probe().model() == null) {
            return;
        }
        Task task = s.spec().task();
        int[] probe = s.probe().tokenIds();
        fill(task, probe);
        Vocabulary vocab = task.vocabulary();
        Corruption chosen = kind.getValue();
        if (chosen == null) {
            showError("No corruption applies to this probe.");
            return;
        }
        List<ChoiceBox<Integer>> boxes = arguments.get(chosen.name());
        int[] args = new int[boxes.size()];
        for (int i = 0; i < args.length; i++) {
            Integer v = boxes.get(i).getValue();
            args[i] = v == null ? -1 : v;
        }
        Object key = List.of(s.runId(), s.probe().step(), s.probe().probeId(), chosen.name(),
                Arrays.toString(args));
        if (vm.shows(key)) {
            return;
        }
        Corruption.Corrupted x;
        try {
            x = chosen.apply(probe, args);
        } catch (RuntimeException e) {
            vm.fail("Cannot corrupt this probe: " + e.getMessage());
            return;
        }
        Object scope = List.of(s.runId(), s.probe().probeId(), chosen.name(), Arrays.toString(args));
        vm.run(key, scope, s.probe().model(), probe, x, vocab, s.probe().tokens());
    }

    private void show(ActivationPatching.Setup su, ActivationPatching.Result r, Corruption.Corrupted x, Vocabulary vocab,
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
