package org.attnlab.engine.train;

import org.attnlab.engine.model.Batch;
import org.attnlab.engine.transformer.Transformer;
import org.attnlab.engine.tasks.Task;

/**
 * The fixed held-out batch a {@link Trainer} evaluates on: {@code evalBatchSize} sequences of the
 * full task from seed {@link Trainer#EVAL_SEED} (so runs with different seeds are scored on the
 * same data), drawn at the first evaluation and kept.
 */
final class HeldOutSet {
    private final Task task;
    private final int size;
    private Batch batch;

    HeldOutSet(Task task, int size) {
        this.task = task;
        this.size = size;
    }

    /** @return the task's metrics and loss of {@code model} on the held-out batch ({@link Evaluator}) */
    Evaluation evaluate(Transformer model, long step) {
        if (batch == null) {
            batch = task.evalBatch(size, Trainer.EVAL_SEED);
        }
        return Evaluator.evaluate(task, model, batch, step);
    }
}
