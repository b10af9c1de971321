package io.livykernel.backend.livy;

import com.google.gson.JsonObject;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.MimeBundle;
import io.livykernel.api.UserFacingException;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivyConnectionException;
import io.livykernel.backend.livy.rest.LivyException;
import io.livykernel.backend.livy.rest.LivyProblems;
import io.livykernel.backend.livy.rest.LivySession;
import io.livykernel.backend.livy.rest.LivyStatement;
import io.livykernel.backend.livy.rest.SessionState;
import io.livykernel.backend.livy.rest.SessionStateInfo;
import io.livykernel.backend.livy.rest.StatementOutput;
import io.livykernel.backend.livy.rest.StatementRequest;
import io.livykernel.backend.livy.rest.StatementState;
import io.livykernel.backend.livy.view.LivyOutputs;
import io.livykernel.backend.livy.view.SessionViews;
import java.util.UUID;

/**
 * Runs one statement on a Livy session and follows it to the end: submitted exactly once, its end seen on the
 * session's cheap {@code /state} and confirmed by one statement GET (see {@link PollSchedule}), a progress bar
 * updated in place once it has run for a second, cancelled on the server when the user interrupts, and its
 * output shown when it ends. A session that dies, or a server that answers nonsense, ends the cell within
 * seconds; every wait gives way to an interrupt.
 */
final class StatementRunner {
    private static final String NO_ANSWER = "Livy did not answer";
    /** Quick statements finish without a progress bar flickering into the notebook. */
    private static final long SHOW_PROGRESS_AFTER_MILLIS = 1000;
    /** The bar's clock ticks this often between the statement GETs that bring new progress. */
    private static final long BAR_TICK_MILLIS = 1000;
    /** How long after an interrupt the cell waits for Livy to stop the statement (Spark jobs stop in ~0.1 s). */
    private static final long CANCEL_WAIT_MILLIS = 1500;
    /** How long polling may keep failing to connect (Livy restarting, network) before the cell gives up. */
    private static final long UNREACHABLE_GIVE_UP_MILLIS = 120_000;
    /** Answers in a row that are errors or not Livy's JSON before the cell gives up (a proxy hiccup is one). */
    private static final int BAD_ANSWERS_GIVE_UP = 3;

    private final LivyClient client;
    private final RemoteSession session;
    private final int maxOutputBytes;
    private final Ticker ticker;
    /** Told of each cell's statement that ended with its output shown; null: no hints. */
    private final SlowStatementHints hints;
    private SparkJobsProbe jobsProbe;
    private String probedSessionId;

    StatementRunner(LivyClient client, RemoteSession session, int maxOutputBytes) {
        this(client, session, maxOutputBytes, Ticker.SYSTEM, null);
    }

    StatementRunner(LivyClient client, RemoteSession session, int maxOutputBytes, Ticker ticker) {
        this(client, session, maxOutputBytes, ticker, null);
    }

    StatementRunner(LivyClient client, RemoteSession session, int maxOutputBytes, Ticker ticker,
                    SlowStatementHints hints) {
        this.client = client;
        this.session = session;
        this.maxOutputBytes = maxOutputBytes;
        this.ticker = ticker;
        this.hints = hints;
    }

    /** Runs code the kernel runs for itself (its output is captured): never hinted. */
    CellResult run(String sessionId, String code, String kind, CellOutput out, Interruption interruption)
            throws UserFacingException, InterruptedException {
        return run(sessionId, code, kind, out, interruption, false);
    }

    /** Runs a notebook cell's statement: when it was slow, a line may follow under its output (see hints). */
    CellResult runCell(String sessionId, String code, String kind, CellOutput out, Interruption interruption)
            throws UserFacingException, InterruptedException {
        return run(sessionId, code, kind, out, interruption, hints != null);
    }

    private CellResult run(String sessionId, String code, String kind, CellOutput out, Interruption interruption,
                           boolean hinted) throws UserFacingException, InterruptedException {
        LivyStatement statement;
        try {
            StatementRequest request = new StatementRequest(code, kind);
            statement = interruption.await(() -> client.submitStatementExactlyOnce(sessionId, request), Long.MAX_VALUE);
        } catch (Interruption.Abandoned abandoned) {
            // Nothing is sent again; whether Livy got the POST before it was given up cannot be known here.
            return CellResult.interrupted("interrupted before Livy answered the POST of this cell, so it is unknown"
                    + " whether the cell started on session " + sessionId + " (it was not sent twice). Check its"
                    + " effects (a variable it sets) before running it again.");
        } catch (LivyException e) {
            String gone = LivyProblems.sessionGone(sessionId, e);
            if (gone == null) {
                throw LivyProblems.explain("run the cell on session " + sessionId, e);
            }
            session.markLost(gone);
            throw session.lostError(sessionId, gone, e);
        }
        session.statementStarted();
        try {
            return new Follow(sessionId, statement, out, interruption, hinted).toTheEnd();
        } finally {
            session.statementEnded();
        }
    }

    /** Following one statement: what has been seen so far and when to ask next. */
    private final class Follow {
        private final String sessionId;
        private final CellOutput out;
        private final Interruption interruption;
        private final SparkJobsProbe jobs;
        private final boolean hinted;
        private final long began = ticker.nowMillis();
        private LivyStatement statement;
        private long nextStatePoll = began + PollSchedule.FIRST_STATE_MILLIS;
        private long nextStatementGet = began + PollSchedule.statementInterval(0);
        /** An idle is confirmed at once unless an earlier idle was false and no busy has been seen since. */
        private boolean idleTrusted = true;
        private int falseIdles;
        private long confirmNotBefore;
        private long cancelSentAt = -1;
        private int failures;
        private long unreachableSince = -1;
        private String progressId;
        private long lastBar;

        Follow(String sessionId, LivyStatement statement, CellOutput out, Interruption interruption, boolean hinted) {
            this.sessionId = sessionId;
            this.hinted = hinted;
            this.statement = statement;
            this.out = out;
            this.interruption = interruption;
            this.jobs = jobsProbe(sessionId);
        }

        CellResult toTheEnd() throws UserFacingException, InterruptedException {
            while (!statement.state().isFinished()) {
                long wake = Math.min(nextStatePoll, nextStatementGet);
                if (cancelSentAt >= 0) {
                    wake = Math.min(wake, cancelSentAt + CANCEL_WAIT_MILLIS);
                }
                long now = ticker.nowMillis();
                if (wake > now) {
                    ticker.sleep(wake - now, interruption);
                    now = ticker.nowMillis();
                }
                if (interruption.take()) {
                    if (cancelSentAt >= 0) {
                        return notStopped("interrupted again");
                    }
                    cancelSentAt = now;
                    cancelInBackground();
                    continue;
                }
                if (cancelSentAt >= 0 && now - cancelSentAt >= CANCEL_WAIT_MILLIS) {
                    return notStopped(SessionViews.seconds(CANCEL_WAIT_MILLIS) + " after the cancel");
                }
                try {
                    poll(now);
                    failures = 0;
                    unreachableSince = -1;
                } catch (Interruption.Abandoned abandoned) {
                    if (!abandoned.byInterrupt()) {
                        return notStopped(NO_ANSWER);
                    }
                } catch (LivyException e) {
                    failed(now, e);
                }
                showProgress(ticker.nowMillis(), false);
            }
            return ended();
        }

        /** The polls that are due: /state, a statement GET to confirm an idle, a statement GET for progress. */
        private void poll(long now)
                throws LivyException, UserFacingException, InterruptedException, Interruption.Abandoned {
            if (now >= nextStatePoll) {
                nextStatePoll = now + PollSchedule.stateInterval(now - began);
                SessionStateInfo state = ask(() -> client.pollSessionState(sessionId));
                if (state.state().isFinished()) {
                    throw lost("Livy reports it " + state.rawState(), null);
                }
                if (state.state() == SessionState.BUSY) {
                    idleTrusted = true;
                } else if (state.state() == SessionState.IDLE && (idleTrusted || now >= confirmNotBefore)) {
                    getStatement(now);
                    if (!statement.state().isFinished()) {
                        // Right after the POST, or a gap between two jobs of one statement: not the end.
                        falseIdles++;
                        idleTrusted = false;
                        confirmNotBefore = now + PollSchedule.confirmBackoff(falseIdles);
                    }
                    return;
                }
            }
            if (now >= nextStatementGet) {
                getStatement(now);
                showProgress(now, true);
            }
        }

        private void getStatement(long now) throws LivyException, InterruptedException, Interruption.Abandoned {
            statement = ask(() -> client.pollStatement(sessionId, statement.id()));
            nextStatementGet = now + PollSchedule.statementInterval(now - began);
        }

        /** A request whose wait ends at once on an interrupt, and once cancelled, with the cancel's wait. */
        private <T> T ask(Interruption.Call<T> call) throws LivyException, InterruptedException,
                Interruption.Abandoned {
            long limit = cancelSentAt < 0 ? Long.MAX_VALUE
                    : Math.max(1, cancelSentAt + CANCEL_WAIT_MILLIS - ticker.nowMillis());
            return interruption.await(call, limit);
        }

        /**
         * A failed poll: a lost session ends the cell at once; answers that are errors or not Livy's JSON end it
         * after a few tries (seconds); a Livy that cannot be reached (restarting) is waited for a while.
         */
        private void failed(long now, LivyException e) throws UserFacingException {
            String gone = LivyProblems.sessionGone(sessionId, e);
            if (gone != null) {
                throw lost(gone, e);
            }
            failures++;
            long pause = PollSchedule.failureBackoff(failures);
            nextStatePoll = now + pause;
            nextStatementGet = Math.max(nextStatementGet, now + pause);
            if (e instanceof LivyConnectionException) {
                unreachableSince = unreachableSince < 0 ? now : unreachableSince;
                if (now - unreachableSince > UNREACHABLE_GIVE_UP_MILLIS) {
                    finish("Livy unreachable");
                    throw new UserFacingException("LivyUnreachable", "Lost contact with Livy while statement "
                            + statement.id() + " ran on session " + sessionId + ": " + e.getMessage()
                            + "\nThe statement may still be running there; it was not sent twice.", e);
                }
            } else if (failures >= BAD_ANSWERS_GIVE_UP) {
                finish("Livy answered with errors");
                UserFacingException problem = LivyProblems.explain("follow statement " + statement.id()
                        + " on session " + sessionId, e);
                throw new UserFacingException(problem.errorName(), problem.getMessage() + "\nThe statement may"
                        + " still be running there; it was not sent twice. %%info and %%logs show the session.", e);
            }
        }

        private UserFacingException lost(String why, LivyException cause) {
            session.markLost(why + " while statement " + statement.id() + " ran");
            finish("session lost");
            return new UserFacingException("SparkSessionLost", "The Spark session " + sessionId + " ended while this"
                    + " cell ran (" + why + "): its result and remote variables are lost; run the cell again for"
                    + " a new session.", cause);
        }

        private void cancelInBackground() {
            String id = statement.id();
            // Sent on its own thread: the cell's wait is bounded by CANCEL_WAIT_MILLIS even if Livy hangs.
            Interruption.inBackground(() -> {
                client.cancelStatement(sessionId, id);
                return null;
            });
            showProgress(ticker.nowMillis(), true);
        }

        /** The cell stops waiting for the cancel ({@code why}: after how long, or what ended the wait). */
        private CellResult notStopped(String why) {
            if (failures > 0 || unreachableSince >= 0 || why.equals(NO_ANSWER)) {
                // Livy has not answered since the interrupt: the statement may have stopped or finished meanwhile.
                finish("Livy not answering");
                return CellResult.interrupted("Interrupted, but Livy has not answered since (" + why + "), so"
                        + " whether statement " + statement.id() + " was cancelled, finished or still runs is"
                        + " unknown. Its output cannot be shown; %%info shows the session's state once Livy answers"
                        + " again.");
            }
            finish("statement " + statement.id() + " is still running on the driver");
            return CellResult.interrupted("Livy had not stopped statement " + statement.id() + " when the cell stopped"
                    + " waiting (" + why + "). Livy cancels Spark jobs, but not plain Python looping on the driver:"
                    + " it keeps running, and later cells wait behind it. To stop it now, recreate the session with"
                    + " %%configure -f (remote variables are lost) or restart the kernel.");
        }

        private CellResult ended() {
            long took = ticker.nowMillis() - began;
            if (statement.state() == StatementState.CANCELLED) {
                finish("statement " + statement.id() + " cancelled after " + SessionViews.seconds(took));
                return CellResult.interrupted("statement " + statement.id() + " was cancelled on the Spark driver");
            }
            finish("statement " + statement.id() + " finished in " + SessionViews.seconds(took));
            StatementOutput output = statement.output();
            if (output != null && output.isError()) {
                return LivyOutputs.error(output);
            }
            LivyOutputs.show(output, out, maxOutputBytes);
            LivySession info = session.info();
            if (hinted && info != null && info.id().equals(sessionId)) {
                // After the output: the line goes under it. Not after an error, whose traceback is shown later.
                hints.statementEnded(info, statement.id(), took, out);
            }
            return CellResult.ok();
        }

        /** Shows or updates the bar: with news from a statement GET, or as the clock ticks. */
        private void showProgress(long now, boolean news) {
            if (now - began < SHOW_PROGRESS_AFTER_MILLIS || !news && now - lastBar < BAR_TICK_MILLIS) {
                return;
            }
            lastBar = now;
            String jobDetails = null;
            if (jobs != null && news) {
                jobs.refresh(statement.id());
            }
            if (jobs != null) {
                jobDetails = jobs.latest();
            }
            MimeBundle bar = progressBar(statement, now - began, cancelSentAt >= 0, unreachableSince >= 0, jobDetails);
            if (progressId == null) {
                progressId = "livy-statement-" + UUID.randomUUID();
                out.display(bar, new JsonObject(), progressId);
            } else {
                out.updateDisplay(bar, new JsonObject(), progressId);
            }
        }

        private void finish(String summary) {
            StatementRunner.finish(out, progressId, summary);
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
    private SparkJobsProbe jobsProbe(String sessionId) {
        if (!sessionId.equals(probedSessionId)) {
            if (jobsProbe != null) {
                jobsProbe.close();
            }
            LivySession info = session.info();
            jobsProbe = info == null ? null : SparkJobsProbe.forSession(info, client.otherServices());
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
