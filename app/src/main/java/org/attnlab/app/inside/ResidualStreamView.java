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
import org.attnlab.app.inside.ResidualStreamViewModel.Residual;
import org.attnlab.engine.inspect.DirectLogitAttribution;
import org.attnlab.engine.inspect.LogitLens;

/**
 * The residual stream of the probe: for every point of the stream (rows: embedding, then after
 * each attention and each MLP) and every position (columns), the token the logit lens reads
 * there (nostalgebraist 2020; Din et al. 2023) coloured by the probability of the correct token,
 * the stream's norm, the lens's top tokens at the selected position, and the direct logit
 * attribution of every head and MLP to the correct token's logit (Elhage et al. 2021). Computed by
 * its {@link ResidualStreamViewModel} in the background; this view draws.
 */
public final class ResidualStreamView extends InsidePane<Residual> {
    /** Node ids (for tests and styling). */
    public static final String LENS_ID = "logitLensGrid", NORM_ID = "residNormGrid", TOPK_ID = "lensTopK",
            DLA_ID = "dlaBars", DLA_CAPTION_ID = "dlaCaption", READOUT_ID = "residReadout";
    private static final int TOP_K = ResidualStreamViewModel.TOP_K;
    private final ResidualStreamViewModel vm;
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

    /** @param inside the shared analysis */
    public ResidualStreamView(InsideViewModel inside) {
        this(new ResidualStreamViewModel(inside));
    }

    private ResidualStreamView(ResidualStreamViewModel vm) {
        super(vm.resultProperty(), "residual-stream");
        this.vm = vm;
        vm.showingProperty().bind(showingProperty());
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
        dlaCaption.getStyleClass().add(Styles.HINT);
        dlaCaption.setWrapText(true);
        for (Label l : List.of(dlaCaption, dlaTitle, topTitle)) {
            l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        lens.setOnCellClicked((r, c) -> select(c));
        lens.setOnCellHovered(this::hover);
        norms.setOnCellHovered(this::hover);
        readout.setId(READOUT_ID);
        readout.getStyleClass().add(Styles.HOVER_READOUT);
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

    /** @return the view's model */
    public ResidualStreamViewModel viewModel() {
        return vm;
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

    /** @return the position shown selected, or -1 before the first analysis */
    public int position() {
        return shown() == null ? -1 : shown().position();
    }

    /** Selects a position (a column); the view shows it once computed. */
    public void select(int t) {
        vm.select(t);
    }

    @Override
    protected void show(Residual r) {
        Analysis a = r.analysis();
        int p = r.rows().size(), t = a.length();
        lens.setPrefHeight(22 + p * 26);
        lens.setMinHeight(22 + p * 18);
        norms.setPrefHeight(22 + p * 16);
        norms.setMinHeight(22 + p * 12);
        lens.setData(r.colour(), p, t, r.rows(), a.tokens(), MatrixView.Scale.UNIT);
        lens.setCellTexts(r.guess());
        lens.setOutlined(r.right());
        lens.setSelected(-1, r.position());
        norms.setData(r.norm(), p, t, r.rows(), a.tokens(), MatrixView.Scale.UNIT);
        norms.setCellTexts(r.normText());
        norms.setSelected(-1, r.position());
        showTopK(r);
        showAttribution(r);
    }

    private void hover(int row, int c) {
        Residual r = shown();
        if (r == null || row < 0 || c < 0) {
            return;
        }
        Analysis a = r.analysis();
        LogitLens l = r.lens();
        StringBuilder b = new StringBuilder(l.points().get(row).label() + " \u00b7 position " + c + " ('"
                + a.tokens().get(c) + "') \u00b7 \u2016x\u2016 = " + String.format(Locale.ROOT, "%.2f", l.norm(row, c))
                + " \u00b7 lens:");
        for (LogitLens.Guess g : l.top(row, c, TOP_K)) {
            b.append(String.format(Locale.ROOT, "  %s %.1f%%", a.vocab().get(g.token()), 100 * g.probability()));
        }
        readout.setText(b.toString());
    }

    private void showTopK(Residual r) {
        Analysis a = r.analysis();
        int i = r.position(), target = a.targets()[i];
        topTitle.setText("Top tokens at position " + i + " ('" + a.tokens().get(i) + "')"
                + (target >= 0 ? " \u00b7 correct '" + a.vocab().get(target) + "'" : ""));
        int rows = r.rows().size(), cols = TOP_K + 2;
        if (topLabels.length != rows) {              // while training only the texts change: reuse the labels
            topK.getChildren().clear();
            topLabels = new Label[rows][cols];
            for (int k = 0; k < rows; k++) {
                for (int c = 0; c < cols; c++) {
                    Label x = new Label();
                    x.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
                    if (c == cols - 1) {
                        x.getStyleClass().add(Styles.HINT);
                    }
                    topLabels[k][c] = x;
                    topK.add(x, c, k);
                }
            }
        }
        for (int k = 0; k < rows; k++) {
            Label[] row = topLabels[k];
            row[0].setText(r.rows().get(k));
            int col = 1;
            List<String> texts = r.top().get(k);
            for (int g = 0; g < texts.size(); g++) {
                Label x = row[col++];
                x.setText(texts.get(g));
                x.getStyleClass().remove(Styles.CORRECT_TOKEN);
                if (r.topRight().get(k)[g]) {
                    x.getStyleClass().add(Styles.CORRECT_TOKEN);
                }
            }
            while (col < cols - 1) {
                row[col++].setText("");
            }
            row[cols - 1].setText(r.pTarget().get(k));
        }
    }

    private void showAttribution(Residual r) {
        Analysis a = r.analysis();
        int i = r.position(), target = a.targets()[i];
        String name = "'" + a.vocab().get(r.dlaToken()) + "'";
        if (r.dla() == null) {
            dlaTitle.setText("Direct logit attribution");
            dla.setData(List.of(), new double[0]);
            dlaCaption.setText("Not available for a post-LN model: every sublayer's output is renormalized, so the "
                    + "residual stream is not a sum of what each component wrote.");
            return;
        }
        DirectLogitAttribution.Result d = r.dla();
        dlaTitle.setText("Direct logit attribution \u2192 " + name + " at position " + i);
        List<String> labels = new ArrayList<>();
        double[] v = new double[d.components().size()];
        for (int k = 0; k < v.length; k++) {
            labels.add(d.components().get(k).label());
            v[k] = d.components().get(k).value();
        }
        dla.setData(labels, v);
        dlaCaption.setText(String.format(Locale.ROOT, "What each component writes along %s's unembedding direction, with the "
                        + "final LayerNorm scale frozen at %.3f (centred per component). Sum %.4f = logit %.4f%s.",
                name, d.lnScale(), d.total(), d.logit(), target >= 0 ? "" : " (the predicted token: the probe has no target here)"));
    }
}
