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
 * After the last stage the full task is used. Evaluation always uses the full task.
 */
public final class Curriculum {
    /**
     * One stage.
     *
     * @param options   task options that differ from the full task (e.g. {@code n_var=3})
     * @param untilStep the last step (1-based, inclusive) this stage is used for
     */
    public record Stage(Map<String, String> options, long untilStep) {
    }

    private final List<Stage> stages;
    private final List<Task> tasks = new ArrayList<>();

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
    }

    /** @return the task to sample step {@code step} (1-based) from, or {@code null} for the full task */
    public Task taskAt(long step) {
        for (int i = 0; i < stages.size(); i++) {
            if (step <= stages.get(i).untilStep()) {
                return tasks.get(i);
            }
        }
        return null;
    }

    /** @return the stages */
    public List<Stage> stages() {
        return stages;
    }
}
