package org.attnlab.tests.inside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.attnlab.engine.inspect.PositionalAnalysis;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.model.TransformerConfig.AttentionDir;
import org.attnlab.engine.model.TransformerConfig.PositionalEmbedding;
import org.junit.jupiter.api.Test;

/** The positional encodings as the view shows them, against engine.md's formulas written out here. */
class PositionalAnalysisTest {
    private static TransformerConfig config(PositionalEmbedding pe, AttentionDir dir) {
        return TransformerConfig.builder(5, 12, 8, 4, 1).positionalEmbeddingType(pe).attentionDir(dir).build();
    }

    @Test
    void learnedEncodingIsWPosAndSinusoidalIsVaswanisTable() {
        Parameters learned = InsideModels.random("l", config(PositionalEmbedding.STANDARD, AttentionDir.CAUSAL), 3).params();
        double[][] m = PositionalAnalysis.encodingMatrix(learned);
        double[] wpos = learned.get("pos_embed.W_pos").toFileOrder();
        assertEquals(12, m.length);
        for (int t = 0; t < 12; t++) {
            for (int d = 0; d < 8; d++) {
                assertEquals(wpos[t * 8 + d], m[t][d], 0);
            }
        }
        Parameters sin = new Parameters(config(PositionalEmbedding.SINUSOIDAL, AttentionDir.CAUSAL));
        double[][] s = PositionalAnalysis.encodingMatrix(sin);
        for (int t = 0; t < 12; t++) {
            for (int i = 0; i < 8; i += 2) {
                double div = Math.pow(10000, i / 8.0);
                assertEquals(Math.sin(t / div), s[t][i], 1e-15);
                assertEquals(Math.cos(t / div), s[t][i + 1], 1e-15);
            }
        }
        assertNull(PositionalAnalysis.encodingMatrix(new Parameters(config(PositionalEmbedding.ROTARY, AttentionDir.CAUSAL))));
        assertNull(PositionalAnalysis.encodingMatrix(new Parameters(config(PositionalEmbedding.NONE, AttentionDir.CAUSAL))));
    }

    @Test
    void cosineSimilarityOfSinusoidalRowsDependsOnlyOnTheDistance() {
        double[][] s = PositionalAnalysis.encodingMatrix(new Parameters(config(PositionalEmbedding.SINUSOIDAL,
                AttentionDir.CAUSAL)));
        double[][] cos = PositionalAnalysis.cosineSimilarity(s);
        for (int i = 0; i < 12; i++) {
            assertEquals(1, cos[i][i], 1e-12);
            for (int j = 0; j < 12; j++) {
                assertEquals(cos[i][j], cos[j][i], 1e-15);
                double dot = 0, ni = 0, nj = 0;
                for (int d = 0; d < 8; d++) {
                    dot += s[i][d] * s[j][d];
                    ni += s[i][d] * s[i][d];
                    nj += s[j][d] * s[j][d];
                }
                assertEquals(dot / Math.sqrt(ni * nj), cos[i][j], 1e-12);
                // sin a sin b + cos a cos b = cos(a - b): each pair's term depends on i - j only
                if (i + 1 < 12 && j + 1 < 12) {
                    assertEquals(cos[i][j], PositionalAnalysis.cosineSimilarity(s)[i + 1][j + 1], 1e-12);
                }
            }
        }
    }

    @Test
    void rotaryAnglesAndAlibiBiases() {
        TransformerConfig r = config(PositionalEmbedding.ROTARY, AttentionDir.CAUSAL);   // d_head 2
        double[][] a = PositionalAnalysis.rotaryAngles(r, 12);
        assertEquals(1, a[0].length);
        for (int t = 0; t < 12; t++) {
            assertEquals(t * Math.pow(10000, -2.0 * 0 / 2), a[t][0], 1e-15);
        }
        TransformerConfig wide = TransformerConfig.builder(5, 12, 16, 2, 1).positionalEmbeddingType(PositionalEmbedding.ROTARY)
                .build();                                                                  // d_head 8
        double[] th = PositionalAnalysis.rotaryFrequencies(wide);
        assertEquals(4, th.length);
        for (int j = 0; j < 4; j++) {
            assertEquals(Math.pow(10000, -2.0 * j / 8), th[j], 1e-15);
            assertEquals(7 * th[j], PositionalAnalysis.rotaryAngles(wide, 8)[7][j], 1e-15);
        }
        TransformerConfig al = config(PositionalEmbedding.ALIBI, AttentionDir.CAUSAL);
        for (int h = 0; h < 4; h++) {
            double[][] b = PositionalAnalysis.alibiBias(al, h, 6);
            double m = Math.pow(2, -8.0 * (h + 1) / 4);
            assertEquals(-m * 5, b[5][0], 1e-15);
            assertEquals(0, b[3][3], 0);
            assertEquals(Double.NEGATIVE_INFINITY, b[0][1], 0);
        }
        double[][] bi = PositionalAnalysis.alibiBias(config(PositionalEmbedding.ALIBI, AttentionDir.BIDIRECTIONAL), 0, 6);
        assertEquals(bi[5][0], bi[0][5], 0);
    }
}
