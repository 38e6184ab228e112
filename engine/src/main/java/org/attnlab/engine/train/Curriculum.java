package org.attnlab.engine.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.Tasks;

/**
 * A schedule of easier versions of a task for the first steps of training (Bengio et al. 2009,
 * "Curriculum Learning"), e.g. LEGO with 2, then 3, ... variables before the full chain: each
 * stage is the task with some options changed, used for steps up to its {@code untilStep}.
 * A stage that is {@code untilMastered} ends earlier, at the first evaluation at which its own
 * task reaches the run's target (the trainer evaluates it on its own held-out batch and calls
 * {@link #markMastered}): a mastery-based curriculum, so that a stage is neither left before its
 * task is learned (LEGO's 3-variable stage needed 575 to 675 steps for seeds 2 and 3, more than
 * a fixed 500) nor kept after. After the last stage the full task is used. The run's reported
 * evaluation always uses the full task.
 */
public final class Curriculum {
    /**
     * One stage.
     *
     * @param options       task options that differ from the full task (e.g. {@code n_var=3})
     * @param untilStep     the last step (1-based, inclusive) this stage is used for, at most
     * @param untilMastered whether the stage also ends at the first evaluation at which its
     *                      task reaches the run's target
     */
    public record Stage(Map<String, String> options, long untilStep, boolean untilMastered) {
        /** A stage that lasts until {@code untilStep}, whatever the evaluations say. */
        public Stage(Map<String, String> options, long untilStep) {
            this(options, untilStep, false);
        }
    }

    private final List<Stage> stages;
    private final List<Task> tasks = new ArrayList<>();
    /** per stage, the step of the evaluation at which it was mastered, or 0 */
    private final long[] masteredAt;

    /**
     * @param full   the task trained after the last stage (its options are the base of each stage)
     * @param stages stages in order of increasing {@code untilStep}
     * @throws IllegalArgumentException if the steps do not increase or a stage's options are invalid
     */
    public Curriculum(Task full, List<Stage> stages) {
        this.stages = List.copyOf(stages);
        long prev = 0;
        for (Stage s : stages) {
            if (s.untilStep() <= prev) {
                throw new IllegalArgumentException("curriculum stages must end at increasing steps");
            }
            prev = s.untilStep();
            Map<String, String> o = new LinkedHashMap<>(full.options());
            o.putAll(s.options());
            Task t = Tasks.byName(full.name(), o);
            if (t.vocabulary().size() > full.vocabulary().size() || t.seqLen() > full.seqLen()) {
                throw new IllegalArgumentException("a curriculum stage (" + s.options()
                        + ") must not need a larger vocabulary or longer sequences than the full task");
            }
            tasks.add(t);
        }
        masteredAt = new long[stages.size()];
    }

    /** @return the task to sample step {@code step} (1-based) from, or {@code null} for the full task */
    public Task taskAt(long step) {
        int i = stageAt(step);
        return i < 0 ? null : tasks.get(i);
    }

    /**
     * @return the index of the stage step {@code step} (1-based) samples from: the first whose
     *     {@code untilStep} is not passed and that was not mastered before the step; -1 for the
     *     full task. A pure function of the step and the mastery steps recorded so far, so a
     *     step's batch is the same every time it is asked for.
     */
    public int stageAt(long step) {
        for (int i = 0; i < stages.size(); i++) {
            boolean over = masteredAt[i] > 0 && step > masteredAt[i];
            if (step <= stages.get(i).untilStep() && !over) {
                return i;
            }
        }
        return -1;
    }

    /** @return the task of stage {@code i} (its options over the full task's) */
    public Task stageTask(int i) {
        return tasks.get(i);
    }

    /**
     * Records that stage {@code i} reached the run's target at the evaluation after step
     * {@code step}: steps after it sample from the next stage. Ignored for a stage that is not
     * {@code untilMastered} or was mastered already.
     *
     * @throws IllegalArgumentException if {@code step} is not positive
     */
    public void markMastered(int i, long step) {
        if (step <= 0) {
            throw new IllegalArgumentException("a stage is mastered after a step >= 1 (got " + step + ")");
        }
        if (stages.get(i).untilMastered() && masteredAt[i] == 0) {
            masteredAt[i] = step;
        }
    }

    /** @return per stage, the step after which it was mastered, or 0 (a copy) */
    public long[] masteredAt() {
        return masteredAt.clone();
    }

    /**
     * Restores the mastery steps a checkpoint recorded ({@link #masteredAt}), to continue a run.
     *
     * @throws IllegalArgumentException if the array does not have one entry per stage, or an
     *     entry is negative or set for a stage that is not {@code untilMastered}
     */
    public void restoreMasteredAt(long[] steps) {
        if (steps.length != stages.size()) {
            throw new IllegalArgumentException("curriculum has " + stages.size() + " stages, the mastery steps "
                    + steps.length);
        }
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] < 0 || (steps[i] > 0 && !stages.get(i).untilMastered())) {
                throw new IllegalArgumentException("curriculum stage " + i + " cannot have been mastered at step "
                        + steps[i]);
            }
        }
        System.arraycopy(steps, 0, masteredAt, 0, steps.length);
    }

    /** @return the stages */
    public List<Stage> stages() {
        return stages;
    }
}
