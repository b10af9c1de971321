package io.livykernel.batch;

import io.livykernel.backend.livy.rest.AppInfo;
import io.livykernel.backend.livy.rest.LivyBatch;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivyException;
import io.livykernel.backend.livy.rest.LivySessionNotFoundException;
import io.livykernel.backend.livy.rest.SessionLog;
import io.livykernel.backend.livy.rest.SessionState;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Follows a batch to its end: log lines go to {@code out} once each, in order (incremental
 * GET /batches/{id}/log, see {@link BatchLogCursor}); state changes, the YARN application id and its URLs go
 * to {@code err} as they become known. Stops at a final state, at the timeout (killing the batch), or when
 * {@link #requestStop()} is called (Ctrl-C), leaving the decision to kill or detach to the caller.
 */
public final class BatchFollower {
    /** How many log lines one request asks for; a full page means there may be more right away. */
    static final int LOG_PAGE = 500;

    /**
     * How following ended; {@code state} is the last one seen (null if the batch vanished), {@code last} the
     * batch as last seen (its application and URLs; null if it vanished before the first read).
     */
    public record Outcome(BatchExitCode exitCode, SessionState state, boolean stopRequested, LivyBatch last) {
    }

    private final LivyClient client;
    private final PrintStream out;
    private final PrintStream err;
    private final Duration pollInterval;
    private final Object wakeUp = new Object();
    private volatile boolean stopRequested;

    public BatchFollower(LivyClient client, PrintStream out, PrintStream err, Duration pollInterval) {
        this.client = client;
        this.out = out;
        this.err = err;
        this.pollInterval = pollInterval;
    }

    /** Makes {@link #follow} return soon with {@code stopRequested}; safe from a signal handler. */
    public void requestStop() {
        stopRequested = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /**
     * Follows batch {@code id}, printing its whole log; {@code timeout} null means no limit, and
     * {@code reportStates} false prints log lines only ({@code logs --follow}).
     */
    public Outcome follow(String id, Duration timeout, boolean reportStates)
            throws LivyException, InterruptedException {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        SessionState lastState = null;
        LivyBatch last = null;
        Set<String> reported = new LinkedHashSet<>();
        BatchLogCursor cursor = new BatchLogCursor();
        while (true) {
            LivyBatch batch;
            try {
                batch = client.getBatch(id);
                if (reportStates) {
                    report(batch, lastState, reported);
                }
                // The state was read before the log: when it is final, this read gets every line.
                printNewLines(id, cursor);
            } catch (LivySessionNotFoundException e) {
                // Livy forgets a batch only when it is deleted (or long after it ended): someone killed it,
                // possibly between the two reads above.
                err.println("batch " + id + " no longer exists on the server: it was killed (deleted)");
                return new Outcome(BatchExitCode.KILLED, lastState, false, last);
            }
            lastState = batch.state();
            last = batch;
            if (batch.state().isFinished()) {
                return new Outcome(BatchExitCode.forState(batch.state()), batch.state(), false, batch);
            }
            if (stopRequested) {
                return new Outcome(BatchExitCode.NOT_FINISHED, batch.state(), true, batch);
            }
            if (System.nanoTime() >= deadline) {
                err.println("batch " + id + ": timeout after " + timeout.toSeconds() + " s; killing it");
                kill(id);
                return new Outcome(BatchExitCode.TIMEOUT, batch.state(), false, batch);
            }
            long waitMillis = Math.min(pollInterval.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            synchronized (wakeUp) {
                if (!stopRequested) {
                    wakeUp.wait(waitMillis);
                }
            }
        }
    }

    /** Prints the log lines {@code cursor} has not printed yet. */
    public void printNewLines(String id, BatchLogCursor cursor) throws LivyException, InterruptedException {
        List<String> lines = new ArrayList<>();
        while (true) {
            SessionLog page = client.getBatchLog(id, cursor.nextFrom() + lines.size(), LOG_PAGE);
            lines.addAll(page.log());
            if (page.log().size() < LOG_PAGE) {
                break;
            }
        }
        cursor.advance(lines).forEach(out::println);
        out.flush();
    }

    /** Deletes the batch (Livy's only way to kill one); a batch already gone counts as killed. */
    public void kill(String id) throws LivyException, InterruptedException {
        try {
            client.deleteBatch(id);
        } catch (LivySessionNotFoundException e) {
            // already gone: nothing left to kill
        }
    }

    /** Prints a changed state and, once each, the application id (YARN's or Kubernetes') and its URLs. */
    private void report(LivyBatch batch, SessionState lastState, Set<String> reported) {
        if (batch.state() != lastState) {
            err.println("batch " + batch.id() + ": " + batch.rawState());
        }
        reportOnce(reported, "application: ", batch.appId());
        AppInfo info = batch.appInfo();
        reportOnce(reported, "tracking URL (Spark UI): ", info.sparkUiUrl());
        reportOnce(reported, "driver log: ", info.driverLogUrl());
    }

    private void reportOnce(Set<String> reported, String label, String value) {
        if (value != null && !value.isBlank() && reported.add(label + value)) {
            err.println(label + value);
        }
    }
}
