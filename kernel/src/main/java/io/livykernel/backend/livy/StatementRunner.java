package io.livykernel.backend.livy;

import com.google.gson.JsonObject;
import io.livykernel.execution.CellOutput;
import io.livykernel.execution.CellResult;
import io.livykernel.execution.MimeBundle;
import io.livykernel.execution.UserFacingException;
import java.util.UUID;

/**
 * Runs one statement on a Livy session and follows it to the end: submitted exactly once, polled on the
 * {@link PollSchedule}, with a progress bar updated in place once it has run for a moment, cancelled on the
 * server when the user interrupts, and its output shown when it ends.
 */
final class StatementRunner {
    /** Quick statements finish without a progress bar flickering into the notebook. */
    private static final long SHOW_PROGRESS_AFTER_MILLIS = 500;
    private static final long PROGRESS_REFRESH_MILLIS = 300;
    private static final long CANCEL_WAIT_MILLIS = 10_000;
    /** How long polling may keep failing (Livy down, network) before the cell gives up waiting. */
    private static final long UNREACHABLE_GIVE_UP_MILLIS = 120_000;

    private final LivyClient client;
    private final RemoteSession session;
    private final int maxOutputBytes;
    private SparkJobsProbe jobsProbe;
    private int probedSessionId = -1;

    StatementRunner(LivyClient client, RemoteSession session, int maxOutputBytes) {
        this.client = client;
        this.session = session;
        this.maxOutputBytes = maxOutputBytes;
    }

    CellResult run(int sessionId, String code, String kind, CellOutput out, Interruption interruption)
            throws UserFacingException, InterruptedException {
        LivyStatement statement;
        try {
            statement = client.submitStatementExactlyOnce(sessionId, new StatementRequest(code, kind));
        } catch (LivySessionNotFoundException e) {
            session.markLost("the server no longer knows session " + sessionId);
            throw new UserFacingException("SparkSessionLost", "The Spark session " + sessionId + " is gone (the"
                    + " server does not know it any more), so the cell was not run. Run it again to start a new"
                    + " session; remote variables are lost.", e);
        } catch (LivyException e) {
            throw LivyProblems.explain("run the cell on session " + sessionId, e);
        }
        session.statementStarted();
        try {
            return follow(sessionId, statement, out, interruption);
        } finally {
            session.statementEnded();
        }
    }

    private CellResult follow(int sessionId, LivyStatement statement, CellOutput out, Interruption interruption)
            throws UserFacingException, InterruptedException {
        long began = System.currentTimeMillis();
        PollSchedule schedule = new PollSchedule();
        SparkJobsProbe jobs = jobsProbe(sessionId);
        String progressId = null;
        long lastRefresh = 0;
        long cancelSentAt = 0;
        long failingSince = 0;
        String lastFailure = null;
        while (!statement.state().isFinished()) {
            long elapsed = System.currentTimeMillis() - began;
            interruption.sleep(schedule.nextDelay(elapsed, statement.progress()));
            if (interruption.requested() && cancelSentAt == 0) {
                cancelSentAt = System.currentTimeMillis();
                cancel(sessionId, statement.id());
            }
            if (cancelSentAt != 0 && System.currentTimeMillis() - cancelSentAt > CANCEL_WAIT_MILLIS
                    && failingSince != 0) {
                // Livy has not answered since the interrupt: the statement may have stopped or finished meanwhile.
                finish(out, progressId, "Livy unreachable");
                return CellResult.interrupted("Interrupted, but Livy has not answered since (" + lastFailure
                        + "), so whether statement " + statement.id() + " was cancelled, finished or still runs is"
                        + " unknown. Its output cannot be shown; %%info shows the session's state once Livy answers"
                        + " again.");
            }
            if (cancelSentAt != 0 && System.currentTimeMillis() - cancelSentAt > CANCEL_WAIT_MILLIS) {
                finish(out, progressId, "statement " + statement.id() + " is still running on the driver");
                return CellResult.interrupted("Livy could not stop statement " + statement.id() + " within "
                        + CANCEL_WAIT_MILLIS / 1000 + " s. Livy cancels Spark jobs, but not plain Python looping on"
                        + " the driver: it keeps running, and later cells wait behind it. To stop it now, recreate"
                        + " the session with %%configure -f (remote variables are lost) or restart the kernel.");
            }
            try {
                statement = client.getStatement(sessionId, statement.id());
                failingSince = 0;
            } catch (LivySessionNotFoundException e) {
                session.markLost("it disappeared while statement " + statement.id() + " ran (killed, preempted,"
                        + " expired, or the Livy server restarted)");
                finish(out, progressId, "session lost");
                throw new UserFacingException("SparkSessionLost", "The Spark session " + sessionId + " disappeared"
                        + " while this cell ran. Its result and remote variables are lost. Run a cell to start a new"
                        + " session, or %%logs / %%info to see what happened first.", e);
            } catch (LivyException e) {
                lastFailure = e.getMessage();
                failingSince = failingSince == 0 ? System.currentTimeMillis() : failingSince;
                if (System.currentTimeMillis() - failingSince > UNREACHABLE_GIVE_UP_MILLIS) {
                    finish(out, progressId, "Livy unreachable");
                    throw new UserFacingException("LivyUnreachable", "Lost contact with Livy while statement "
                            + statement.id() + " ran on session " + sessionId + ": " + e.getMessage()
                            + "\nThe statement may still be running there; it was not sent twice.", e);
                }
            }
            long now = System.currentTimeMillis();
            if (now - began >= SHOW_PROGRESS_AFTER_MILLIS && now - lastRefresh >= PROGRESS_REFRESH_MILLIS) {
                lastRefresh = now;
                String jobDetails = null;
                if (jobs != null) {
                    jobs.refresh(statement.id());
                    jobDetails = jobs.latest();
                }
                MimeBundle bar = progressBar(statement, now - began, cancelSentAt != 0, failingSince != 0, jobDetails);
                if (progressId == null) {
                    progressId = "livy-statement-" + UUID.randomUUID();
                    out.display(bar, new JsonObject(), progressId);
                } else {
                    out.updateDisplay(bar, new JsonObject(), progressId);
                }
            }
        }
        long took = System.currentTimeMillis() - began;
        if (statement.state() == StatementState.CANCELLED) {
            finish(out, progressId, "statement " + statement.id() + " cancelled after " + SessionViews.seconds(took));
            return CellResult.interrupted("statement " + statement.id() + " was cancelled on the Spark driver");
        }
        finish(out, progressId, "statement " + statement.id() + " finished in " + SessionViews.seconds(took));
        StatementOutput output = statement.output();
        if (output != null && output.isError()) {
            return LivyOutputs.error(output);
        }
        LivyOutputs.show(output, out, maxOutputBytes);
        return CellResult.ok();
    }

    private void cancel(int sessionId, int statementId) throws InterruptedException {
        try {
            client.cancelStatement(sessionId, statementId);
        } catch (LivyException e) {
            // Polling goes on: the statement may still end by itself, and the wait below is bounded.
        }
    }

    private static void finish(CellOutput out, String progressId, String summary) {
        if (progressId != null) {
            out.updateDisplay(MimeBundle.textAndHtml(summary, "<div style=\"color:#666\">" + SessionViews.escape(summary)
                    + "</div>"), new JsonObject(), progressId);
        }
    }

    void close() {
        if (jobsProbe != null) {
            jobsProbe.close();
        }
    }

    /** The Spark UI probe for this session (one per session; null when its UI address is unknown). */
    private SparkJobsProbe jobsProbe(int sessionId) {
        if (sessionId != probedSessionId) {
            if (jobsProbe != null) {
                jobsProbe.close();
            }
            LivySession info = session.info();
            jobsProbe = info == null ? null : SparkJobsProbe.forSession(info, client.sparkUiAuth());
            probedSessionId = sessionId;
        }
        if (jobsProbe != null) {
            jobsProbe.forget();
        }
        return jobsProbe;
    }

    static MimeBundle progressBar(LivyStatement s, long elapsedMillis, boolean cancelling, boolean unreachable,
                                  String jobDetails) {
        int percent = (int) Math.round(Math.max(0, Math.min(1, s.progress())) * 100);
        int filled = percent / 5;
        String status = cancelling ? "cancelling" : unreachable ? "Livy unreachable, retrying" : s.rawState();
        String text = "[" + "#".repeat(filled) + "-".repeat(20 - filled) + "] " + percent + "%  " + status + ", "
                + SessionViews.seconds(elapsedMillis) + " (statement " + s.id() + ", Spark job group " + s.id() + ")"
                + (jobDetails == null ? "" : "\n" + jobDetails);
        String html = "<div><progress value=\"" + percent + "\" max=\"100\" style=\"width:30em\"></progress> "
                + percent + "% <code>" + SessionViews.escape(status) + "</code>, " + SessionViews.seconds(elapsedMillis)
                + " <span style=\"color:#666\">(statement " + s.id() + ", Spark job group " + s.id() + ")</span>"
                + (jobDetails == null ? "" : "<br><span style=\"color:#666\">" + SessionViews.escape(jobDetails)
                + "</span>") + "</div>";
        return MimeBundle.textAndHtml(text, html);
    }
}
