package org.attnlab.engine.tasks;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.attnlab.engine.model.Batch;
import org.attnlab.engine.model.TransformerConfig.AttentionDir;

/**
 * A toy task: a vocabulary with readable token strings, a generator of batches in the
 * engine's format ({@link Batch}: tokens and targets {@code [B, T]}, targets -1 where
 * unscored, loss mask 1 where scored) and a metric. Spec: {@code docs/tasks.md}.
 *
 * <p>Shape letters: {@code B} batch, {@code T} = {@link #seqLen()}, {@code V} = d_vocab of the
 * model, at least {@code vocabulary().size()}.
 *
 * <p>Determinism: {@link #sample} draws only from the generator it is given (through
 * {@code nextInt(bound)} and {@code nextDouble()}), so the same generator state gives the
 * same batch; {@link #evalBatch} builds its own generator from the seed.
 *
 * <p>Capabilities: what a task offers beyond batches and its logit metrics is declared by the
 * task itself, through default methods that a task overrides, so no caller tells tasks apart
 * by class: {@link #displayName()}, {@link #attentionDir()}, {@link #modelMetrics()} (metrics
 * that need the model: sort's greedy decoding, induction's per-head scores) and
 * {@link #corruptions()} (corrupted inputs for activation patching). A task is made by name
 * through {@link Tasks}; a new task type registers there (see {@link TaskType}).
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
     * @return a readable title for menus and window titles, e.g. {@code "LEGO (chain reasoning)"}
     *     or {@code "Cyclic group C5"}; by default {@link #name()}
     */
    default String displayName() {
        return name();
    }

    /**
     * The attention direction the task is built for, the {@code attention_dir} key of
     * {@code docs/engine.md}: {@link AttentionDir#CAUSAL} (the default, every next-token and
     * running-state task) or {@link AttentionDir#BIDIRECTIONAL} (LEGO, where the label of a
     * variable sits before the clause that defines it).
     */
    default AttentionDir attentionDir() {
        return AttentionDir.CAUSAL;
    }

    /**
     * Metrics that need the model itself, not only its logits on the batch: a greedy decode
     * (sort), per-head scores from the attention patterns of the evaluation's forward pass
     * (induction). The evaluator runs them after {@link #evaluate} and adds their values.
     *
     * @return the task's model metrics, in the order their values are listed; none by default
     */
    default List<ModelMetric> modelMetrics() {
        return List.of();
    }

    /**
     * The part of this task's metrics that judges what training on it teaches: a curriculum
     * stage of this task is mastered when the run's target holds on them ({@code Curriculum}).
     * By default all of them; a task that scores only part of its sequences in training (LEGO's
     * {@code n_train}) leaves out the rest.
     *
     * @param evaluated metrics of {@link #evaluate} on this task
     * @return the metrics training on this task is judged by
     */
    default Metrics trainedPart(Metrics evaluated) {
        return evaluated;
    }

    /**
     * Named ways to corrupt a clean input of this task for activation patching, in the order a
     * menu offers them. Every task can replace one token ({@link Corruption#replaceToken});
     * a task adds corruptions that keep the input well formed (LEGO: flip one clause's sign).
     *
     * @return the corruptions, by default only {@link Corruption#replaceToken(Task)}
     */
    default List<Corruption> corruptions() {
        return List.of(Corruption.replaceToken(this));
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
