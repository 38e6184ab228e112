package org.attnlab.tests.intervene;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attnlab.app.training.TrainingSession;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.tasks.Tasks;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.RunSpec;
import org.attnlab.engine.train.TrainingHistory;
import org.attnlab.engine.train.TrainingSettings;

/**
 * Trains the smallest model through the window's real training thread ({@link TrainingSession}:
 * the same recording of the training history every k steps, the same snapshots) for N steps as
 * fast as it goes, and measures the heap in use after a full GC ({@link MemoryMXBean}) at every
 * tenth of the way. The history must stay bounded: the heap at the end may exceed the heap after
 * the first tenth by at most the history's own bound ({@link TrainingHistory#maxBytes}) plus
 * {@value #SLACK_BYTES} bytes of slack.
 *
 * <p>Run: {@code mvn -B test -pl tests -Dtest=HistoryMemoryTest -Dattnlab.historySteps=100000}
 * (the test runs it with fewer steps by default).
 */
public final class HistoryMemoryBenchmark {
    /** Allowed growth beyond the history's bound (snapshots in flight, JIT, class data). */
    static final long SLACK_BYTES = 8L << 20;

    /**
     * @param steps        steps trained
     * @param heapUsed     heap in use after a GC at each tenth, bytes
     * @param moments      moments held at the end
     * @param paramCopies  parameter copies held at the end
     * @param every        the history's interval at the end
     * @param boundBytes   the history's own bound for this model
     * @param seconds      wall time of the training
     */
    record Result(long steps, List<Long> heapUsed, int moments, long paramCopies, long every, long boundBytes,
                  double seconds) {
        long growth() {
            return heapUsed.get(heapUsed.size() - 1) - heapUsed.get(0);
        }

        long cap() {
            return boundBytes + SLACK_BYTES;
        }
    }

    private HistoryMemoryBenchmark() {
    }

    static Result run(int steps) throws InterruptedException {
        Task task = Tasks.byName("flipflop", Map.of("T", "8"));
        TransformerConfig c = TransformerConfig.builder(task.vocabulary().size(), 8, 8, 1, 1).attnOnly(true).build();
        TrainingSettings s = Presets.byName("flipflop16").training().withSteps(steps).withBatchSize(4)
                .withEvalEvery(1000).withEvalBatchSize(16);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        List<Long> used = new ArrayList<>();
        long start = System.nanoTime();
        TrainingSnapshot last;
        try (TrainingSession session = new TrainingSession(RunSpec.of(task, c, s).withName("flipflop16", null), 5)) {
            while (session.latest() == null) {
                Thread.sleep(10);
            }
            session.play();
            for (int tenth = 1; tenth <= 10; tenth++) {
                long target = (long) steps * tenth / 10;
                while (session.latest().step() < target) {
                    Thread.sleep(20);
                }
                System.gc();
                used.add(mem.getHeapMemoryUsage().getUsed());
                System.out.printf("step %,d: heap used %.2f MB, %d moments%n", session.latest().step(),
                        used.get(used.size() - 1) / 1e6, session.latest().history().size());
            }
            session.pause();
            last = session.latest();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<TrainingHistory.Moment> h = last.history();
        long every = h.size() < 2 ? 0 : h.get(h.size() - 1).step() - h.get(h.size() - 2).step();
        TrainingHistory probe = new TrainingHistory();
        return new Result(last.step(), used, h.size(), h.stream().filter(m -> m.params() != null).count(), every,
                probe.maxBytes(c, 8), seconds);
    }

    /** Runs N steps (first argument, default 100,000) and prints the measurements. */
    public static void main(String[] args) throws InterruptedException {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Result r = run(steps);
        System.out.println(r);
        System.out.printf("growth after the first tenth: %.2f MB; cap %.2f MB%n", r.growth() / 1e6, r.cap() / 1e6);
    }
}
