package org.attnlab.app.inside;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.attnlab.app.common.Styles;
import org.attnlab.app.inside.PositionalViewModel.Positions;
import org.attnlab.engine.inspect.SetFunctionCheck;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.model.TransformerConfig.PositionalEmbedding;

/**
 * The current model's positional encoding: the matrix added to the embeddings (learned W_pos,
 * which moves while training, or the fixed sinusoidal table; Vaswani et al. 2017) with the cosine
 * similarity of its positions, the rotary angles per dimension pair (Su et al. 2021) or the ALiBi
 * biases per head (Press et al. 2021); and a demonstration that without positions a bidirectional
 * transformer is a set function: permuting the probe permutes the outputs with it. Computed by its
 * {@link PositionalViewModel} in the background; this view draws.
 */
public final class PositionalView extends InsidePane<Positions> {
    /** Node ids. */
    public static final String ENCODING_ID = "positionEncoding", SIMILARITY_ID = "positionSimilarity",
            VERDICT_ID = "setFunctionVerdict", PERMUTE_ID = "permuteButton", COPY_ID = "positionFreeCopy",
            COMPARE_ID = "permutationCompare";
    private final HBox encodings = new HBox(16);
    /** What the encoding nodes were built for (kind, length, sizes), and a learned W_pos's two matrices. */
    private String builtFor;
    private MatrixView[] learned;
    private final Label verdict = new Label();
    private final CheckBox copy = new CheckBox("on a position-free, bidirectional copy of the model");
    private final MatrixView compare = new MatrixView();
    private final Label deviation = new Label();
    private final PositionalViewModel vm;

    /** @param inside the shared analysis */
    public PositionalView(InsideViewModel inside) {
        this(new PositionalViewModel(inside));
    }

    private PositionalView(PositionalViewModel vm) {
        super(vm.resultProperty(), "positions");
        this.vm = vm;
        vm.showingProperty().bind(showingProperty());
        title.setText("Positional encoding");
        verdict.setId(VERDICT_ID);
        verdict.setWrapText(true);
        verdict.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        verdict.getStyleClass().add(Styles.STRONG);
        copy.setId(COPY_ID);
        copy.selectedProperty().bindBidirectional(vm.positionFreeProperty());
        Button permute = new Button("Permute the probe");
        permute.setId(PERMUTE_ID);
        permute.setOnAction(e -> vm.permute());
        compare.setId(COMPARE_ID);
        compare.setMaxCell(34);
        compare.setPrefHeight(140);
        deviation.getStyleClass().add(Styles.HINT);
        deviation.setWrapText(true);
        deviation.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox controls = new HBox(12, permute, copy);
        controls.setAlignment(Pos.CENTER_LEFT);
        VBox set = new VBox(6, heading("A transformer without positions is a set function"), verdict, controls, compare,
                deviation);
        getChildren().addAll(encodings, set);
    }

    /** @return the view's model */
    public PositionalViewModel viewModel() {
        return vm;
    }

    /** @return the verdict of the permutation test */
    public Label verdict() {
        return verdict;
    }

    /** @return the comparison grid: permuted input, original outputs permuted, outputs of the permuted input */
    public MatrixView comparison() {
        return compare;
    }

    private static double[] flat(double[][] m) {
        int r = m.length, c = r == 0 ? 0 : m[0].length;
        double[] flat = new double[r * c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(m[i], 0, flat, i * c, c);
        }
        return flat;
    }

    /** New values for a matrix of the same shape and labels. */
    private static void update(MatrixView v, double[][] m) {
        v.setData(flat(m), v.rows(), v.cols(), v.rowLabels(), v.colLabels(), MatrixView.Scale.SIGNED);
    }

    private static MatrixView matrix(String id, double[][] m, List<String> rows, List<String> cols, double maxCell) {
        int r = m.length, c = r == 0 ? 0 : m[0].length;
        MatrixView v = new MatrixView();
        v.setId(id);
        v.setMaxCell(maxCell);
        v.setData(flat(m), r, c, rows, cols, MatrixView.Scale.SIGNED);
        v.setPrefSize(Math.min(420, 60 + c * maxCell), Math.min(300, 24 + r * maxCell));
        return v;
    }

    private static List<String> numbers(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    private static VBox titled(String text, javafx.scene.Node n) {
        VBox b = new VBox(4, heading(text), n);
        HBox.setHgrow(b, Priority.ALWAYS);
        b.setMinWidth(0);
        return b;
    }

    @Override
    protected void show(Positions r) {
        Analysis a = r.analysis();
        TransformerConfig c = a.config();
        int t = a.length();
        PositionalEmbedding pe = r.kind();
        title.setText("Positional encoding \u00b7 " + pe.json() + " \u00b7 " + c.attentionDir().json() + " attention");
        String key = pe + "/" + t + "/" + c.dModel() + "/" + c.dHead() + "/" + c.nHeads() + "/" + c.rotaryBase();
        if (key.equals(builtFor)) {
            // the same kind of encoding: only a learned W_pos changes while training, and the
            // matrices are updated in place (new canvases each time cost the renderer a lot)
            if (pe == PositionalEmbedding.STANDARD && learned != null) {
                update(learned[0], r.encoding());
                update(learned[1], r.similarity());
            }
            showPermutation(r);
            return;
        }
        builtFor = key;
        learned = null;
        encodings.getChildren().clear();
        List<String> pos = numbers("", t);
        switch (pe) {
            case STANDARD, SINUSOIDAL -> {
                hint.setText(pe == PositionalEmbedding.STANDARD
                        ? "Learned W_pos: a vector per position added to the token embedding; it changes while training. "
                        + "Red positive, blue negative. Right: how alike two positions' vectors are (cosine)."
                        : "Sinusoidal (Vaswani et al. 2017): sin and cos of the position at geometrically spaced "
                        + "frequencies, fixed. Right: the cosine similarity depends only on the distance.");
                learned = new MatrixView[] {matrix(ENCODING_ID, r.encoding(), pos, numbers("", c.dModel()), 12),
                    matrix(SIMILARITY_ID, r.similarity(), pos, pos, 12)};
                encodings.getChildren().addAll(
                        titled("Encoding: positions (rows) \u00d7 d_model (columns)", learned[0]),
                        titled("Cosine similarity of positions", learned[1]));
            }
            case ROTARY -> {
                hint.setText("Rotary (Su et al. 2021): nothing is added to the stream; q and k of every head are rotated, "
                        + "dimension pair (j, j + d_head/2) by the angle t \u00b7 \u03b8_j, so q \u00b7 k depends on the "
                        + "distance between positions only.");
                StringBuilder th = new StringBuilder();
                double[] f = r.frequencies();
                for (int j = 0; j < f.length; j++) {
                    th.append(String.format(Locale.ROOT, "pair %d: \u03b8 = %.4f, one turn per %.0f positions%n", j, f[j],
                            2 * Math.PI / f[j]));
                }
                Label list = new Label(th.toString());
                list.setId(SIMILARITY_ID);
                encodings.getChildren().addAll(titled("cos(t \u00b7 \u03b8_j) per pair",
                        matrix(ENCODING_ID, r.encoding(), pos, numbers("", f.length), 18)),
                        titled("\u03b8_j in radians per position", list));
            }
            case ALIBI -> {
                hint.setText("ALiBi (Press et al. 2021): nothing is added to the stream; each head's scores get "
                        + "-m_h \u00b7 |i - j|, so far keys are penalized, more steeply in early heads. Grey: masked.");
                FlowPane heads = new FlowPane(12, 8);
                for (int h = 0; h < c.nHeads(); h++) {
                    MatrixView m = matrix(h == 0 ? ENCODING_ID : null, r.alibi()[h], List.of(), List.of(), 6);
                    m.setPrefSize(140, 140);
                    heads.getChildren().add(new VBox(2, new Label(String.format(Locale.ROOT, "head %d: m = %.4f", h,
                            r.slopes()[h])), m));
                }
                encodings.getChildren().add(titled("Bias added to the scores, per head (queries \u00d7 keys)", heads));
            }
            default -> {
                hint.setText("This model has no positional encoding: nothing tells it where a token is"
                        + (c.causal() ? ", except the causal mask (a token sees only what comes before it)." : "."));
                encodings.getChildren().add(new Label("No positional encoding."));
            }
        }
        showPermutation(r);
    }

    private void showPermutation(Positions p) {
        Analysis a = p.analysis();
        TransformerConfig c = a.config();
        boolean sees = p.seesPositions();
        int t = a.length();
        int[] perm = p.permutation();
        SetFunctionCheck.Result r = p.check();
        String what = p.positionFree() ? "The position-free, bidirectional copy" : "This model";
        String why = c.positionalEmbeddingType() != PositionalEmbedding.NONE && c.causal()
                ? "has a positional encoding (" + c.positionalEmbeddingType().json() + ") and causal attention"
                : c.causal() ? "has causal attention (position j sees only positions up to j)"
                : "has a positional encoding (" + c.positionalEmbeddingType().json() + ")";
        if (p.positionFree() || !sees) {
            verdict.setText(what + " has no positions and attends in both directions: permuting the probe permutes the "
                    + (r.equivariant() ? "outputs with it. It is a set function." : "outputs? No \u2014 unexpected."));
        } else {
            verdict.setText(what + " " + why + ", so it HAS positions: permuting the probe does NOT permute the outputs "
                    + (r.equivariant() ? "(here they happen to agree)." : "with it."));
        }
        verdict.getStyleClass().removeAll(Styles.EQUIVARIANT, Styles.NOT_EQUIVARIANT);
        verdict.getStyleClass().add(r.equivariant() ? Styles.EQUIVARIANT : Styles.NOT_EQUIVARIANT);
        copy.setDisable(!sees);
        double[] v = new double[4 * t];
        String[] text = new String[4 * t];
        for (int i = 0; i < t; i++) {
            text[i] = a.vocab().get(a.tokenIds()[i]);
            text[t + i] = a.vocab().get(r.permuted()[i]);
            int before = argmax(r.logits()[perm[i]]), after = argmax(r.permutedLogits()[i]);
            text[2 * t + i] = a.vocab().get(before);
            text[3 * t + i] = a.vocab().get(after);
            double d = 0;
            for (int k = 0; k < r.logits()[0].length; k++) {
                d = Math.max(d, Math.abs(r.permutedLogits()[i][k] - r.logits()[perm[i]][k]));
            }
            v[3 * t + i] = before != after ? 0.8 : Math.min(0.3, d);
        }
        compare.setData(v, 4, t, List.of("input", "permuted input", "outputs, permuted", "outputs of permuted input"),
                numbers("", t), MatrixView.Scale.UNIT);
        compare.setCellTexts(text);
        deviation.setText(String.format(Locale.ROOT, "Row 3 moves the original predictions with the permutation; row 4 runs "
                + "the model on the permuted tokens. Purple: a different prediction; light blue: the same prediction from "
                + "different logits. Largest |\u0394 logit| = %.2e.",
                r.maxDeviation()));
    }

    private static int argmax(double[] x) {
        int b = 0;
        for (int k = 1; k < x.length; k++) {
            if (x[k] > x[b]) {
                b = k;
            }
        }
        return b;
    }
}
