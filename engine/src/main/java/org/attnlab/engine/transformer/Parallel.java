package org.attnlab.engine.transformer;

import java.util.concurrent.locks.LockSupport;

/**
 * Runs the parts of a data-parallel job on the calling thread (part 0) and on shared daemon
 * helper threads (parts 1..n-1), without allocating: a job is a preallocated {@link Task}, the
 * hand-off is a volatile sequence number plus park/unpark. Which thread runs a part never
 * changes its result: each part works on its own fixed slice and its own buffers, so the
 * results depend only on the number of parts.
 *
 * <p>One job runs at a time (callers from several threads take turns); a job started from
 * inside a helper runs its parts one after another on that helper.
 */
final class Parallel {
    /** One part of a job. */
    interface Task {
        /** @param part in [0, parts) */
        void run(int part);
    }

    private static final Object LOCK = new Object();
    private static Helper[] helpers = new Helper[0];

    private Parallel() {
    }

    /**
     * Runs {@code task.run(p)} for every p in [0, parts) and returns when all are done.
     *
     * @throws RuntimeException or Error thrown by a part (the lowest-numbered part's wins)
     */
    static void run(int parts, Task task) {
        if (parts <= 1 || Thread.currentThread() instanceof Helper) {
            for (int p = 0; p < parts; p++) {
                task.run(p);
            }
            return;
        }
        synchronized (LOCK) {
            ensureHelpers(parts - 1);
            Thread caller = Thread.currentThread();
            for (int p = 1; p < parts; p++) {
                helpers[p - 1].start(task, p, caller);
            }
            Throwable error = null;
            try {
                task.run(0);
            } catch (Throwable t) {
                error = t;
            }
            for (int p = 1; p < parts; p++) {
                Throwable e = helpers[p - 1].await();
                if (error == null) {
                    error = e;
                }
            }
            if (error instanceof RuntimeException re) {
                throw re;
            }
            if (error instanceof Error err) {
                throw err;
            }
            if (error != null) {
                throw new IllegalStateException(error);
            }
        }
    }

    private static void ensureHelpers(int n) {
        if (helpers.length >= n) {
            return;
        }
        Helper[] h = java.util.Arrays.copyOf(helpers, n);
        for (int i = helpers.length; i < n; i++) {
            h[i] = new Helper(i + 1);
            h[i].start();
        }
        helpers = h;
    }

    /** A daemon thread that runs one part per job. */
    private static final class Helper extends Thread {
        private static final int SPIN = 2_000;
        private volatile int requested;
        private volatile int completed;
        private Task task;
        private int part;
        private Thread caller;
        private Throwable error;

        Helper(int index) {
            super("attnlab-worker-" + index);
            setDaemon(true);
        }

        /** Called by the job's thread: hands over one part. */
        void start(Task t, int p, Thread c) {
            task = t;
            part = p;
            caller = c;
            error = null;
            requested = requested + 1;            // volatile write publishes the fields above
            LockSupport.unpark(this);
        }

        /** Called by the job's thread: waits for the part and returns what it threw, if anything. */
        Throwable await() {
            int target = requested;
            for (int i = 0; completed != target; i++) {
                if (i < SPIN) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 50_000L);
                }
            }
            Throwable e = error;
            task = null;
            caller = null;
            return e;
        }

        @Override
        public void run() {
            int seen = 0;
            while (true) {
                for (int i = 0; requested == seen; i++) {
                    if (i < SPIN) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                seen = requested;
                try {
                    task.run(part);
                } catch (Throwable t) {
                    error = t;
                }
                Thread c = caller;
                completed = seen;                 // volatile write publishes error
                LockSupport.unpark(c);
            }
        }
    }
}
