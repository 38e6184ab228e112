package org.attnlab.engine.tasks;

import java.util.Map;
import java.util.random.RandomGenerator;
import org.attnlab.engine.model.Batch;

/**
 * A toy task: a vocabulary with readable token strings, a generator of batches in the
 * engine's format ({@link Batch}: tokens and targets {@code [B, T]}, targets -1 where
 * unscored, loss mask 1 where scored) and a metric. Spec: tasks.md.
 *
 * <p>Shape letters: {@code B} batch, {@code T} = {@link #seqLen()}, {@code V} = d_vocab of the
 * model, at least {@code vocabulary().size()}.
 *
 * <p>Determinism: {@link #sample} draws only from the generator it is given (through
 * {@code nextInt(bound)} and {@code nextDouble()}), so the same generator state gives the
 * same batch; {@link #evalBatch} builds its own generator from the seed.
 */
public interface Task {

    /** @return the command-line id, e.g. {@code "lego"}, {@code "parity"}, {@code "ffl"} (see {@link Tasks}) */
    String name();

    /**
     * @return the options that {@link Tasks#byName(String, Map)} takes to rebuild this exact task
     *     (e.g. {@code n_var=6, n_train=6, shuffle=true}), in a stable order; store them with a
     *     checkpoint
     */
    Map<String, String> options();

    /** @return the vocabulary; token ids of all batches lie in {@code [0, vocabulary().size())} */
    Vocabulary vocabulary();

    /** @return T, the sequence length of every batch this task makes */
    int seqLen();

    /**
     * The attention direction the task is built for: {@code "causal"} (the default, every
     * next-token and running-state task) or {@code "bidirectional"} (LEGO, where the label
     * of a variable sits before the clause that defines it). Same strings as the
     * {@code attention_dir} key of docs/engine.md.
     */
    default String attentionDir() {
        return "causal";
    }

    /**
     * A training batch.
     *
     * @param batchSize B, at least 1
     * @param rng       the generator to draw from; advanced, nothing else is touched
     * @return a batch of shape {@code [B, T]}
     */
    Batch sample(int batchSize, RandomGenerator rng);

    /**
     * A held-out batch made from its own seed: the same seed always gives the same batch.
     * Unless a task says otherwise it is drawn like {@link #sample} from
     * {@code new SplittableRandom(seed)}.
     *
     * @param batchSize B, at least 1
     * @param seed      the seed of the batch
     */
    Batch evalBatch(int batchSize, long seed);

    /**
     * Scores a model's output on a batch of this task, predicting by argmax over the
     * {@code dVocab} logits at each position. Reads only the positions whose loss mask is 1.
     *
     * @param batch  a batch of this task, {@code [B, T]}
     * @param logits {@code [B, T, V]} row-major, index {@code (b*T + t)*V + v}; not modified
     * @param dVocab V, at least {@code vocabulary().size()}
     * @throws IllegalArgumentException if the shapes do not match
     */
    Metrics evaluate(Batch batch, double[] logits, int dVocab);
}
