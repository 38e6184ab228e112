package org.attnlab.tests.lessons;

import java.io.IOException;
import java.nio.file.Path;
import org.attnlab.engine.hooks.ActivationCache;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.Parameters;
import org.attnlab.engine.tasks.LegoTask;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.train.Evaluation;
import org.attnlab.engine.train.Evaluator;
import org.attnlab.engine.train.TrainingCheckpoints;
import org.attnlab.engine.transformer.Transformer;

/**
 * The measures behind the lessons' claims, computed on the shipped checkpoints with the engine
 * (held-out batches from the task's own evaluation seed).
 */
final class LessonMeasures {
    /** The source tree's checkpoints folder (tests run from tests/). */
    static final Path CHECKPOINTS = Path.of("..", "assets", "lessons", "checkpoints");
    static final long SEED = 12345;
    /** The LEGO checkpoint of lessons 3 and 5. */
    static final String LEGO = "lego3";

    private LessonMeasures() {
    }

    /** A checkpoint: its task, parameters and the step it was saved at. */
    record Model(Task task, Parameters params, long step) {
        Transformer transformer() {
            return new Transformer(params);
        }

        /** @return the task's metrics on {@code n} held-out sequences */
        Evaluation evaluate(int n) {
            return Evaluator.evaluate(task, transformer(), task.evalBatch(n, SEED), step);
        }
    }

    static Model load(String name) throws IOException {
        TrainingCheckpoints.Loaded l = TrainingCheckpoints.load(CHECKPOINTS.resolve(name + ".safetensors"));
        return new Model(l.task(), l.checkpoint().params(), l.step());
    }

    /** @return attention patterns of a batch: [layer] -> [B*H*T*T] */
    static double[][] patterns(Model m, Batch batch) {
        ActivationCache cache = m.transformer().runWithCache(batch.tokens(), batch.batchSize(), batch.seqLen());
        int layers = m.params().config().nLayers();
        double[][] out = new double[layers][];
        for (int l = 0; l < layers; l++) {
            out[l] = cache.get("blocks." + l + ".attn.hook_pattern").data();
        }
        return out;
    }

    /**
     * Flip-flop: per head of layer 0, the mean attention weight from each query on the position of
     * the last write (input 1..n) at or before it, over queries that have one.
     *
     * @return [head] the mean weight on the last write, then (last entry) what an even spread over
     *     the keys a query may see (1/(q+1) under causal attention) would put there
     */
    static double[] lastWriteAttention(Model m, int n) {
        Batch b = m.task().evalBatch(n, SEED);
        double[] pat = patterns(m, b)[0];
        int h = m.params().config().nHeads(), t = b.seqLen();
        double[] sum = new double[h + 1];
        int count = 0;
        for (int r = 0; r < b.batchSize(); r++) {
            int last = -1;
            for (int q = 0; q < t; q++) {
                if (isWrite(m.task(), b.token(r, q))) {
                    last = q;
                }
                if (last < 0) {
                    continue;
                }
                count++;
                sum[h] += 1.0 / (q + 1);
                for (int k = 0; k < h; k++) {
                    sum[k] += pat[((r * h + k) * t + q) * t + last];
                }
            }
        }
        for (int k = 0; k <= h; k++) {
            sum[k] /= count;
        }
        return sum;
    }

    private static boolean isWrite(Task task, int token) {
        String s = task.vocabulary().token(token);
        return !s.equals("0") && s.matches("\\d+");
    }

    /**
     * LEGO association: per layer and head, the mean attention mass from the right-hand variable
     * of each non-root clause (the {@code a} in {@code b = - a ;}) onto the five tokens of the
     * clause where that variable is assigned ({@code a = + 1 ;}). A head that ignored names would
     * put about 5/T there.
     *
     * @return [layer][head] the mean mass
     */
    static double[][] associationMass(Model m, int n) {
        Batch b = m.task().evalBatch(n, SEED);
        double[][] pats = patterns(m, b);
        int h = m.params().config().nHeads(), t = b.seqLen(), c = LegoTask.CLAUSE_LENGTH;
        double[][] out = new double[pats.length][h];
        int count = 0;
        for (int r = 0; r < b.batchSize(); r++) {
            for (int clause = 0; clause < t / c; clause++) {
                int rhs = b.token(r, clause * c + 3);
                if (m.task().vocabulary().token(rhs).equals("1")) {
                    continue;                               // the root clause
                }
                int home = -1;
                for (int other = 0; other < t / c; other++) {
                    if (b.token(r, other * c) == rhs) {
                        home = other;
                    }
                }
                count++;
                int q = clause * c + 3;
                for (int l = 0; l < pats.length; l++) {
                    for (int k = 0; k < h; k++) {
                        double mass = 0;
                        for (int key = home * c; key < home * c + c; key++) {
                            mass += pats[l][((r * h + k) * t + q) * t + key];
                        }
                        out[l][k] += mass;
                    }
                }
            }
        }
        for (double[] row : out) {
            for (int k = 0; k < row.length; k++) {
                row[k] /= count;
            }
        }
        return out;
    }

    /**
     * The logit lens (ln_final and the unembedding applied at every stream point): the mean
     * probability of the right token over every scored position of {@code n} held-out sequences.
     *
     * @return [stream point] the mean probability, in the order of {@code StreamPoint.of}
     */
    static double[] lensProbability(Model m, int n) {
        Batch b = m.task().evalBatch(n, SEED);
        int t = b.seqLen();
        double[] sum = null;
        int count = 0;
        for (int r = 0; r < b.batchSize(); r++) {
            int[] toks = java.util.Arrays.copyOfRange(b.tokens(), r * t, (r + 1) * t);
            org.attnlab.engine.inspect.LogitLens lens = org.attnlab.engine.inspect.LogitLens.compute(m.params(),
                    m.transformer().runWithCache(toks, 1, t));
            if (sum == null) {
                sum = new double[lens.points().size()];
            }
            for (int i = 0; i < t; i++) {
                if (!b.scored(r, i)) {
                    continue;
                }
                count++;
                for (int p = 0; p < sum.length; p++) {
                    sum[p] += lens.probability(p, i, b.target(r, i));
                }
            }
        }
        for (int p = 0; p < sum.length; p++) {
            sum[p] /= count;
        }
        return sum;
    }

    /**
     * LEGO association in the paper's sense: per layer and head, the mean attention weight from
     * each variable token onto the other occurrence of the same variable name (a variable appears
     * twice: where it is assigned and where it is used), over variable tokens that have one.
     * A head that ignored names would put about 1/T there.
     *
     * @return [layer][head] the mean weight on the same name elsewhere
     */
    static double[][] sameNameWeight(Model m, int n) {
        Batch b = m.task().evalBatch(n, SEED);
        double[][] pats = patterns(m, b);
        int h = m.params().config().nHeads(), t = b.seqLen();
        double[][] out = new double[pats.length][h];
        int count = 0;
        for (int r = 0; r < b.batchSize(); r++) {
            for (int q = 0; q < t; q++) {
                int tok = b.token(r, q);
                if (!m.task().vocabulary().token(tok).matches("[a-z]")) {
                    continue;
                }
                int other = -1;
                for (int k = 0; k < t; k++) {
                    if (k != q && b.token(r, k) == tok) {
                        other = k;
                    }
                }
                if (other < 0) {
                    continue;                               // the last variable: used nowhere
                }
                count++;
                for (int l = 0; l < pats.length; l++) {
                    for (int k = 0; k < h; k++) {
                        out[l][k] += pats[l][((r * h + k) * t + q) * t + other];
                    }
                }
            }
        }
        for (double[] row : out) {
            for (int k = 0; k < row.length; k++) {
                row[k] /= count;
            }
        }
        return out;
    }

    /**
     * LEGO manipulation (a local band): per layer and head, the mean attention mass from each
     * token onto the five tokens of its own clause. A head that ignored positions would put
     * about 5/T there.
     *
     * @return [layer][head] the mean mass on the own clause
     */
    static double[][] ownClauseMass(Model m, int n) {
        Batch b = m.task().evalBatch(n, SEED);
        double[][] pats = patterns(m, b);
        int h = m.params().config().nHeads(), t = b.seqLen(), c = LegoTask.CLAUSE_LENGTH;
        double[][] out = new double[pats.length][h];
        for (int r = 0; r < b.batchSize(); r++) {
            for (int q = 0; q < t; q++) {
                int from = q / c * c;
                for (int l = 0; l < pats.length; l++) {
                    for (int k = 0; k < h; k++) {
                        for (int key = from; key < from + c; key++) {
                            out[l][k] += pats[l][((r * h + k) * t + q) * t + key];
                        }
                    }
                }
            }
        }
        for (double[] row : out) {
            for (int k = 0; k < row.length; k++) {
                row[k] /= (double) b.batchSize() * t;
            }
        }
        return out;
    }
}
