package org.attnlab.tests.inside;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.attnlab.engine.golden.Golden;
import org.attnlab.engine.io.BatchFile;
import org.attnlab.engine.io.Checkpoint;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Param;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.model.TransformerConfig.AttentionDir;
import org.attnlab.engine.model.TransformerConfig.PositionalEmbedding;

/**
 * Models the inspection tests run on: the six golden models of the PyTorch reference (every
 * variant of engine.md: ALiBi, rotary attn_only, linear attention, no positions, post-LN
 * sinusoidal relu, pre-LN learned) with the first sequence of their golden batch, plus random
 * models whose every parameter (LayerNorm scales and biases included) is drawn at random, so
 * that bias terms and LayerNorm weights matter.
 */
final class InsideModels {
    /**
     * A model and one sequence to run it on.
     *
     * @param name   for test names
     * @param params the parameters
     * @param tokens one sequence
     */
    record Case(String name, Parameters params, int[] tokens) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<String> GOLDEN = Golden.CASES;

    private InsideModels() {
    }

    /** @return every golden case and a few random models */
    static List<Case> all() {
        List<Case> out = new ArrayList<>();
        for (String g : GOLDEN) {
            out.add(golden(g));
        }
        out.add(random("random_pre_ln_3_layers", TransformerConfig.builder(11, 9, 12, 3, 3).build(), 7));
        out.add(random("random_no_ln_gelu", TransformerConfig.builder(7, 8, 8, 2, 2)
                .normalizationType(TransformerConfig.Normalization.NONE).build(), 8));
        out.add(random("random_rotary_bidirectional", TransformerConfig.builder(9, 10, 16, 4, 2)
                .positionalEmbeddingType(PositionalEmbedding.ROTARY).attentionDir(AttentionDir.BIDIRECTIONAL).build(), 9));
        return out;
    }

    /** @return golden model {@code name} with the first sequence of its batch */
    static Case golden(String name) {
        try {
            Checkpoint ck = Checkpoint.load(resource(name + ".model.safetensors"));
            Batch b = BatchFile.read(resource(name + ".batch.safetensors"));
            return new Case(name, ck.params(), Arrays.copyOf(b.tokens(), b.seqLen()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read golden " + name + ": " + e, e);
        }
    }

    /** @return a model of {@code c} with every parameter N(0, 0.5^2) and a random full-length sequence */
    static Case random(String name, TransformerConfig c, long seed) {
        Parameters p = new Parameters(c);
        SplittableRandom rng = new SplittableRandom(seed);
        for (Param x : p.all()) {
            double[] d = x.value().data;
            boolean lnScale = x.name().endsWith(".w") && x.name().contains("ln");
            for (int i = 0; i < x.size(); i++) {
                d[i] = (lnScale ? 1 : 0) + 0.5 * rng.nextGaussian();
            }
        }
        int[] toks = new int[c.nCtx()];
        for (int i = 0; i < toks.length; i++) {
            toks[i] = rng.nextInt(c.dVocab());
        }
        return new Case(name, p, toks);
    }

    /** @return a label per position: {@code t<id>} */
    static List<String> labels(int[] tokens) {
        List<String> out = new ArrayList<>();
        for (int t : tokens) {
            out.add("t" + t);
        }
        return out;
    }

    private static Path resource(String file) {
        return Golden.file(file);
    }
}
