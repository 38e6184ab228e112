package org.attnlab.app.inside;

import java.util.Arrays;
import java.util.function.BooleanSupplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import org.attnlab.engine.inspect.PositionalAnalysis;
import org.attnlab.engine.inspect.SetFunctionCheck;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.PositionalEncodings;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.model.TransformerConfig.PositionalEmbedding;

/**
 * The positions view's model: the current model's positional encoding (the W_pos or sinusoidal
 * matrix and its cosine similarity, the rotary angles, the ALiBi biases) and the set-function
 * demonstration (the model, or its position-free bidirectional copy, run on the probe and on a
 * permutation of it), computed in the background for the shared analysis.
 */
public final class PositionalViewModel extends ViewAnalysis<PositionalViewModel.Choice, PositionalViewModel.Positions> {
    /**
     * @param positionFree whether the demonstration runs on the position-free, bidirectional copy
     * @param seed         the permutation's seed
     */
    public record Choice(boolean positionFree, long seed) {
    }

    /**
     * What the view draws. Of the encodings only those of the model's kind are set (else null).
     *
     * @param analysis      the analysis
     * @param kind          the positional encoding
     * @param encoding      learned or sinusoidal: the encoding of the probe's positions {@code [T][D]};
     *                      rotary: cos(t theta_j) {@code [T][D_head/2]}
     * @param similarity    learned or sinusoidal: the cosine similarity of positions {@code [T][T]}
     * @param frequencies   rotary: theta_j per dimension pair, radians per position
     * @param alibi         ALiBi: per head the bias added to the scores {@code [H][T][T]}
     * @param slopes        ALiBi: m_h per head
     * @param check         the set-function check
     * @param permutation   the permutation applied to the probe
     * @param positionFree  whether {@code check} ran on the position-free copy
     * @param seesPositions whether the model itself can tell positions apart
     */
    public record Positions(Analysis analysis, PositionalEmbedding kind, double[][] encoding, double[][] similarity,
                            double[] frequencies, double[][][] alibi, double[] slopes, SetFunctionCheck.Result check,
                            int[] permutation, boolean positionFree, boolean seesPositions) {
    }

    private final BooleanProperty positionFree = new SimpleBooleanProperty(this, "positionFree");
    private long seed = 1;

    /** @param inside the shared analysis */
    public PositionalViewModel(InsideViewModel inside) {
        super(inside);
        positionFree.addListener((o, a, b) -> refresh());
    }

    /** @return whether the demonstration runs on the position-free, bidirectional copy of the model */
    public BooleanProperty positionFreeProperty() {
        return positionFree;
    }

    /** Permutes the probe another way. */
    public void permute() {
        seed++;
        refresh();
    }

    @Override
    protected Choice choices(Analysis a) {
        return new Choice(positionFree.get(), seed);
    }

    @Override
    protected Positions compute(Analysis a, Choice choice, BooleanSupplier stale) {
        TransformerConfig c = a.config();
        int t = a.length();
        PositionalEmbedding pe = c.positionalEmbeddingType();
        double[][] encoding = null, similarity = null, alibi[] = null;
        double[] frequencies = null, slopes = null;
        switch (pe) {
            case STANDARD, SINUSOIDAL -> {
                encoding = Arrays.copyOf(PositionalAnalysis.encodingMatrix(a.params()), t);
                similarity = PositionalAnalysis.cosineSimilarity(encoding);
            }
            case ROTARY -> {
                double[][] ang = PositionalAnalysis.rotaryAngles(c, t);
                encoding = new double[t][ang[0].length];
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < encoding[i].length; j++) {
                        encoding[i][j] = Math.cos(ang[i][j]);
                    }
                }
                frequencies = PositionalAnalysis.rotaryFrequencies(c);
            }
            case ALIBI -> {
                alibi = new double[c.nHeads()][][];
                slopes = new double[c.nHeads()];
                for (int h = 0; h < c.nHeads(); h++) {
                    alibi[h] = PositionalAnalysis.alibiBias(c, h, t);
                    slopes[h] = PositionalEncodings.alibiSlope(h, c.nHeads());
                }
            }
            default -> { }
        }
        boolean sees = SetFunctionCheck.seesPositions(c);
        Parameters p = choice.positionFree() ? SetFunctionCheck.positionFreeCopy(a.params()) : a.params();
        int[] perm = SetFunctionCheck.shuffle(t, choice.seed());
        SetFunctionCheck.Result r = SetFunctionCheck.check(p, a.tokenIds(), perm);
        return new Positions(a, pe, encoding, similarity, frequencies, alibi, slopes, r, perm, choice.positionFree(),
                sees);
    }
}
