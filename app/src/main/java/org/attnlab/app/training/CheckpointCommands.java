package org.attnlab.app.training;

import java.io.IOException;
import java.nio.file.Path;
import org.attnlab.engine.train.Trainer;
import org.attnlab.engine.train.TrainingCheckpoints;

/**
 * The file commands of a {@link TrainingSession}, run on its training thread between two steps:
 * saving the current run (model, optimizer, run spec, step, and the history next to it) and
 * opening a checkpoint as a run to continue (its own spec: task, model, training settings,
 * curriculum and target; rebuilt for a checkpoint written before specs were stored).
 */
final class CheckpointCommands {
    private CheckpointCommands() {
    }

    /**
     * A checkpoint opened as a run.
     *
     * @param trainer continues the checkpoint's parameters, AdamW state (if saved) and step
     * @param loaded  the checkpoint
     * @param opened  what the window is told about where the run came from
     */
    record Opening(Trainer trainer, TrainingCheckpoints.Loaded loaded, TrainingSession.Opened opened) {
    }

    /** Saves {@code run}'s trainer and history to {@code path} ({@link TrainingCheckpoints#save}). */
    static void save(Path path, RunState run) throws IOException {
        TrainingCheckpoints.save(path, run.trainer(), run.history());
    }

    /**
     * @return the checkpoint at {@code path} as a run to continue
     * @throws IOException with the file's one-line error if it cannot be read or is not a checkpoint
     */
    static Opening open(Path path) throws IOException {
        TrainingCheckpoints.Loaded loaded = TrainingCheckpoints.load(path);
        return new Opening(loaded.resume(), loaded, new TrainingSession.Opened(path, loaded.weightsOnly()));
    }

    /** Takes the history saved next to an opened checkpoint, if any; a broken one is reported, not fatal. */
    static void restoreHistory(Path path, TrainingCheckpoints.Loaded loaded, RunState run) {
        try {
            TrainingCheckpoints.history(path, loaded).ifPresent(run::restoreHistory);
        } catch (Exception e) {
            run.error("The training history next to the checkpoint was not restored: " + TrainingLoop.oneLine(e));
        }
    }
}
