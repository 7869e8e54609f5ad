package io.envelope.jdbc.keys;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The process's background executor for key refreshes: two daemon threads (a refresh may wait on KMS or the
 * database), shared by every key ring, started by the first and shut down when the last one closes. Daemon
 * threads never keep a JVM alive.
 */
final class RefreshExecutor {

    private static ScheduledThreadPoolExecutor executor;
    private static int users;

    private RefreshExecutor() {
    }

    static synchronized ScheduledExecutorService acquire() {
        if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(2, r -> {
                Thread t = new Thread(r, "envelope-jdbc-key-refresh");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }
        users++;
        return executor;
    }

    static synchronized void release(ScheduledExecutorService released) {
        if (released != executor || users == 0) {
            return;
        }
        users--;
        if (users == 0) {
            executor.shutdownNow();
            executor = null;
        }
    }

    /** How many key rings use the executor (tests). */
    static synchronized int users() {
        return users;
    }
}
