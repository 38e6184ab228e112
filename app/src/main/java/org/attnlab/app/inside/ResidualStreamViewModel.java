package org.attnlab.app.inside;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.attnlab.engine.inspect.DirectLogitAttribution;
import org.attnlab.engine.inspect.LogitLens;
import org.attnlab.engine.inspect.StreamPoint;

/**
 * The residual stream view's model: the logit lens of the shared analysis (every stream point x
 * position: the lens's top guess, the probability of the correct token, the stream's norm), the
 * lens's top tokens at the selected position, and the direct logit attribution there, computed in
 * the background. The selected position is kept while the probe stays, else it moves to the last
 * scored position.
 */
public final class ResidualStreamViewModel extends ViewAnalysis<Integer, ResidualStreamViewModel.Residual> {
    /** Tokens listed per stream point at the selected position. */
    public static final int TOP_K = 3;

    /**
     * What the view draws for one analysis and position; {@code [P*T]} arrays are row-major over
     * stream points (rows) and positions (columns).
     *
     * @param analysis  the analysis
     * @param lens      the logit lens (for the hover readout)
     * @param position  the selected position
     * @param rows      the stream points' labels, {@code [P]}
     * @param colour    the probability of the correct token (of the guess where the probe has no target), {@code [P*T]}
     * @param guess     the lens's top token, {@code [P*T]}
     * @param right     whether the guess is the correct token, {@code [P*T]}
     * @param norm      the stream's norm divided by the largest, {@code [P*T]}
     * @param normText  the norm as shown in the cell, {@code [P*T]}
     * @param top       per stream point the {@link #TOP_K} guesses at the position, each "token p%"
     * @param topRight  per stream point and guess whether it is the correct token
     * @param pTarget   per stream point "p(target) x.xx", or "" where the probe has no target
     * @param dla       the direct logit attribution at the position, or null (not defined for post-LN)
     * @param dlaToken  the token attributed: the target, or the prediction where there is none
     */
    public record Residual(Analysis analysis, LogitLens lens, int position, List<String> rows, double[] colour,
                           String[] guess, boolean[] right, double[] norm, String[] normText, List<List<String>> top,
                           List<boolean[]> topRight, List<String> pTarget, DirectLogitAttribution.Result dla,
                           int dlaToken) {
    }

    private int position = -1;
    private long probeKey = Long.MIN_VALUE;

    /** @param inside the shared analysis */
    public ResidualStreamViewModel(InsideViewModel inside) {
        super(inside);
    }

    /** Selects position {@code t} (a column), if the probe has it. */
    public void select(int t) {
        Analysis a = analysis();
        if (a != null && t >= 0 && t < a.length()) {
            position = t;
            refresh();
        }
    }

    @Override
    protected Integer choices(Analysis a) {
        long key = a.runId() * 1_000_003L + a.probeId();
        if (key != probeKey || position < 0 || position >= a.length()) {
            probeKey = key;
            position = a.defaultPosition();
        }
        return position;
    }

    @Override
    protected Residual compute(Analysis a, Integer at, BooleanSupplier stale) {
        int i = at;
        LogitLens l = LogitLens.compute(a.params(), a.cache());
        List<StreamPoint> points = l.points();
        int p = points.size(), t = a.length();
        double[] colour = new double[p * t], norm = new double[p * t];
        String[] guess = new String[p * t], normText = new String[p * t];
        boolean[] right = new boolean[p * t];
        double maxNorm = 0;
        for (int k = 0; k < p; k++) {
            for (int j = 0; j < t; j++) {
                maxNorm = Math.max(maxNorm, l.norm(k, j));
            }
        }
        List<String> rows = new ArrayList<>();
        for (int k = 0; k < p; k++) {
            rows.add(points.get(k).label());
            for (int j = 0; j < t; j++) {
                LogitLens.Guess g = l.top(k, j, 1).get(0);
                int target = a.targets()[j];
                colour[k * t + j] = target >= 0 ? l.probability(k, j, target) : g.probability();
                guess[k * t + j] = a.vocab().get(g.token());
                right[k * t + j] = target >= 0 && g.token() == target;
                norm[k * t + j] = maxNorm == 0 ? 0 : l.norm(k, j) / maxNorm;
                normText[k * t + j] = String.format(Locale.ROOT, l.norm(k, j) >= 1 ? "%.0f" : "%.1f", l.norm(k, j));
            }
        }
        int target = a.targets()[i];
        List<List<String>> top = new ArrayList<>();
        List<boolean[]> topRight = new ArrayList<>();
        List<String> pTarget = new ArrayList<>();
        for (int k = 0; k < p; k++) {
            List<String> texts = new ArrayList<>();
            List<LogitLens.Guess> gs = l.top(k, i, TOP_K);
            boolean[] ok = new boolean[gs.size()];
            for (int g = 0; g < gs.size(); g++) {
                texts.add(a.vocab().get(gs.get(g).token()) + " "
                        + String.format(Locale.ROOT, "%.0f%%", 100 * gs.get(g).probability()));
                ok[g] = gs.get(g).token() == target;
            }
            top.add(List.copyOf(texts));
            topRight.add(ok);
            pTarget.add(target >= 0 ? String.format(Locale.ROOT, "p(%s) %.2f", a.vocab().get(target),
                    l.probability(k, i, target)) : "");
        }
        int token = target >= 0 ? target : a.predicted(i);
        DirectLogitAttribution.Result dla = DirectLogitAttribution.supported(a.config())
                ? DirectLogitAttribution.compute(a.params(), a.cache(), i, token) : null;
        return new Residual(a, l, i, List.copyOf(rows), colour, guess, right, norm, normText, List.copyOf(top),
                List.copyOf(topRight), List.copyOf(pTarget), dla, token);
    }
}
