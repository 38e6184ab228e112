package org.attnlab.app.inside;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.attnlab.app.common.Styles;
import org.attnlab.engine.inspect.DirectLogitAttribution;
import org.attnlab.engine.inspect.LogitLens;
import org.attnlab.engine.inspect.StreamPoint;

/**
 * The residual stream of the probe: for every point of the stream (rows: embedding, then after
 * each attention and each MLP) and every position (columns), the token the logit lens reads
 * there (nostalgebraist 2020; Din et al. 2023) coloured by the probability of the correct token,
 * the stream's norm, the lens's top tokens at the selected position, and the direct logit
 * attribution of every head and MLP to the correct token's logit (Elhage et al. 2021).
 */
public final class ResidualStreamView extends InsidePane {
    /** Node ids (for tests and styling). */
    public static final String LENS_ID = "logitLensGrid", NORM_ID = "residNormGrid", TOPK_ID = "lensTopK",
            DLA_ID = "dlaBars", DLA_CAPTION_ID = "dlaCaption", READOUT_ID = "residReadout";
    private static final int TOP_K = 3;
    private final MatrixView lens = new MatrixView();
    private final MatrixView norms = new MatrixView();
    private final GridPane topK = new GridPane();
    /** The top-k table's labels by stream point and column (name, TOP_K guesses, p(target)). */
    private Label[][] topLabels = new Label[0][];
    private final Label topTitle = heading("");
    private final Label dlaTitle = heading("");
    private final Label dlaCaption = new Label();
    private final BarsView dla = new BarsView();
    private final Label readout = new Label("Hover a cell: the lens's top tokens and the stream's norm there");
    private LogitLens shownLens;
    private int position = -1;
    private long probeKey = Long.MIN_VALUE;

    /** @param vm the shared view model */
    public ResidualStreamView(InsideViewModel vm) {
        super(vm, "residual-stream");
        title.setText("Residual stream \u00b7 logit lens");
        hint.setText("Each cell decodes the residual stream at one point (rows) and position (columns) with ln_final "
                + "and the unembedding: the token shown is the lens's best guess; colour: the probability of the correct "
                + "token (of the guess where the probe has no target); green frame: the guess is correct. Click a column.");
        lens.setId(LENS_ID);
        lens.setMaxCell(40);
        norms.setId(NORM_ID);
        norms.setMaxCell(40);
        topK.setId(TOPK_ID);
        topK.setHgap(10);
        topK.setVgap(1);
        dla.setId(DLA_ID);
        dlaCaption.setId(DLA_CAPTION_ID);
        dlaTitle.setWrapText(true);
        dlaCaption.getStyleClass().add("hint");
        dlaCaption.setWrapText(true);
        for (Label l : List.of(dlaCaption, dlaTitle, topTitle)) {
            l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        lens.setOnCellClicked((r, c) -> select(c));
        lens.setOnCellHovered(this::hover);
        norms.setOnCellHovered(this::hover);
        readout.setId(READOUT_ID);
        readout.getStyleClass().add("hover-readout");
        topTitle.setWrapText(true);
        norms.setOnCellClicked((r, c) -> select(c));
        VBox left = new VBox(4, heading("Norm \u2016x\u2016 of the residual stream"), norms, topTitle, topK);
        left.setMinWidth(0);
        HBox.setHgrow(left, Priority.ALWAYS);
        VBox right = new VBox(4, dlaTitle, dla, dlaCaption);
        right.setMinWidth(290);
        right.setPrefWidth(330);
        HBox bottom = new HBox(16, left, right);
        getChildren().addAll(lens, readout, bottom);
    }

    /** @return the logit lens grid */
    public MatrixView lensGrid() {
        return lens;
    }

    /** @return the norm grid */
    public MatrixView normGrid() {
        return norms;
    }

    /** @return the direct logit attribution bars */
    public BarsView attribution() {
        return dla;
    }

    /** @return the selected position */
    public int position() {
        return position;
    }

    /** Selects a position (a column). */
    public void select(int t) {
        Analysis a = shown();
        if (a != null && t >= 0 && t < a.length()) {
            position = t;
            redraw();
        }
    }

    @Override
    protected void show(Analysis a) {
        long key = a.runId() * 1_000_003L + a.probeId();
        if (key != probeKey || position < 0 || position >= a.length()) {
            probeKey = key;
            position = a.defaultPosition();
        }
        LogitLens l = LogitLens.compute(a.params(), a.cache());
        shownLens = l;
        List<StreamPoint> points = l.points();
        int p = points.size(), t = a.length();
        double[] colour = new double[p * t];
        double[] norm = new double[p * t];
        String[] guess = new String[p * t];
        String[] normText = new String[p * t];
        boolean[] right = new boolean[p * t];
        double maxNorm = 0;
        for (int k = 0; k < p; k++) {
            for (int i = 0; i < t; i++) {
                maxNorm = Math.max(maxNorm, l.norm(k, i));
            }
        }
        List<String> rows = new ArrayList<>();
        for (int k = 0; k < p; k++) {
            rows.add(points.get(k).label());
            for (int i = 0; i < t; i++) {
                LogitLens.Guess g = l.top(k, i, 1).get(0);
                int target = a.targets()[i];
                colour[k * t + i] = target >= 0 ? l.probability(k, i, target) : g.probability();
                guess[k * t + i] = a.vocab().get(g.token());
                right[k * t + i] = target >= 0 && g.token() == target;
                norm[k * t + i] = maxNorm == 0 ? 0 : l.norm(k, i) / maxNorm;
                normText[k * t + i] = String.format(Locale.ROOT, l.norm(k, i) >= 1 ? "%.0f" : "%.1f", l.norm(k, i));
            }
        }
        lens.setPrefHeight(22 + p * 26);
        lens.setMinHeight(22 + p * 18);
        norms.setPrefHeight(22 + p * 16);
        norms.setMinHeight(22 + p * 12);
        lens.setData(colour, p, t, rows, a.tokens(), MatrixView.Scale.UNIT);
        lens.setCellTexts(guess);
        lens.setOutlined(right);
        lens.setSelected(-1, position);
        norms.setData(norm, p, t, rows, a.tokens(), MatrixView.Scale.UNIT);
        norms.setCellTexts(normText);
        norms.setSelected(-1, position);
        showTopK(a, l, points);
        showAttribution(a);
    }

    private void hover(int r, int c) {
        Analysis a = shown();
        if (a == null || shownLens == null || r < 0 || c < 0) {
            return;
        }
        StringBuilder b = new StringBuilder(shownLens.points().get(r).label() + " \u00b7 position " + c + " ('"
                + a.tokens().get(c) + "') \u00b7 \u2016x\u2016 = " + String.format(Locale.ROOT, "%.2f", shownLens.norm(r, c))
                + " \u00b7 lens:");
        for (LogitLens.Guess g : shownLens.top(r, c, TOP_K)) {
            b.append(String.format(Locale.ROOT, "  %s %.1f%%", a.vocab().get(g.token()), 100 * g.probability()));
        }
        readout.setText(b.toString());
    }

    private void showTopK(Analysis a, LogitLens l, List<StreamPoint> points) {
        int i = position, target = a.targets()[i];
        topTitle.setText("Top tokens at position " + i + " ('" + a.tokens().get(i) + "')"
                + (target >= 0 ? " \u00b7 correct '" + a.vocab().get(target) + "'" : ""));
        int rows = points.size(), cols = TOP_K + 2;
        if (topLabels.length != rows) {              // while training only the texts change: reuse the labels
            topK.getChildren().clear();
            topLabels = new Label[rows][cols];
            for (int k = 0; k < rows; k++) {
                for (int c = 0; c < cols; c++) {
                    Label x = new Label();
                    x.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
                    if (c == cols - 1) {
                        x.getStyleClass().add("hint");
                    }
                    topLabels[k][c] = x;
                    topK.add(x, c, k);
                }
            }
        }
        for (int k = 0; k < rows; k++) {
            Label[] row = topLabels[k];
            row[0].setText(points.get(k).label());
            int col = 1;
            for (LogitLens.Guess g : l.top(k, i, TOP_K)) {
                Label x = row[col++];
                x.setText(a.vocab().get(g.token()) + " " + String.format(Locale.ROOT, "%.0f%%", 100 * g.probability()));
                x.getStyleClass().remove(Styles.CORRECT_TOKEN);
                if (g.token() == target) {
                    x.getStyleClass().add(Styles.CORRECT_TOKEN);
                }
            }
            while (col < cols - 1) {
                row[col++].setText("");
            }
            row[cols - 1].setText(target >= 0 ? String.format(Locale.ROOT, "p(%s) %.2f", a.vocab().get(target),
                    l.probability(k, i, target)) : "");
        }
    }

    private void showAttribution(Analysis a) {
        int i = position, target = a.targets()[i];
        int token = target >= 0 ? target : a.predicted(i);
        String name = "'" + a.vocab().get(token) + "'";
        if (!DirectLogitAttribution.supported(a.config())) {
            dlaTitle.setText("Direct logit attribution");
            dla.setData(List.of(), new double[0]);
            dlaCaption.setText("Not available for a post-LN model: every sublayer's output is renormalized, so the "
                    + "residual stream is not a sum of what each component wrote.");
            return;
        }
        DirectLogitAttribution.Result r = DirectLogitAttribution.compute(a.params(), a.cache(), i, token);
        dlaTitle.setText("Direct logit attribution \u2192 " + name + " at position " + i);
        List<String> labels = new ArrayList<>();
        double[] v = new double[r.components().size()];
        for (int k = 0; k < v.length; k++) {
            labels.add(r.components().get(k).label());
            v[k] = r.components().get(k).value();
        }
        dla.setData(labels, v);
        dlaCaption.setText(String.format(Locale.ROOT, "What each component writes along %s's unembedding direction, with the "
                        + "final LayerNorm scale frozen at %.3f (centred per component). Sum %.4f = logit %.4f%s.",
                name, r.lnScale(), r.total(), r.logit(), target >= 0 ? "" : " (the predicted token: the probe has no target here)"));
    }
}
