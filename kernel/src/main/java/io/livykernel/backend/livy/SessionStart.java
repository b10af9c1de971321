package io.livykernel.backend.livy;

import com.google.gson.JsonObject;
import io.livykernel.api.CellOutput;
import io.livykernel.api.MimeBundle;
import io.livykernel.api.UserFacingException;
import io.livykernel.backend.livy.rest.CreateSessionRequest;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivyException;
import io.livykernel.backend.livy.rest.LivyOutcomeUnknownException;
import io.livykernel.backend.livy.rest.LivyProblems;
import io.livykernel.backend.livy.rest.LivySession;
import io.livykernel.backend.livy.view.SessionViews;
import io.livykernel.backend.livy.view.SparkCluster;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One start of a Livy session, on its own thread, so that it can begin before any cell waits for it (a
 * replacement for a lost session, or livy.session.createAtStart). A cell that needs the session watches it:
 * the start's live view is shown in that cell, and the cell's interrupt cancels it, which deletes the
 * half-started session. Nobody watching, the progress goes to the log.
 */
final class SessionStart {
    private static final Logger LOG = Logger.getLogger(SessionStart.class.getName());
    private static final List<String> AM_LIMIT_MARKERS = List.of("AM resource limit exceeded",
            "Queue's AM resource limit exceeded");
    /** A driver pod Kubernetes cannot place, in Livy's Kubernetes diagnostics (the pod's PodScheduled condition). */
    private static final Pattern UNSCHEDULABLE = Pattern.compile("message=(.*?), reason=Unschedulable");

    private final LivyClient client;
    private final LivyBackendConfig config;
    private final CreateSessionRequest request;
    private final String user;
    private final Consumer<SessionStart> onEnd;
    private final Interruption cancel = new Interruption();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;
    private volatile LivySession session;
    private volatile LivySession ready;
    private volatile UserFacingException failure;
    private volatile String cancelled;
    /** Set (under {@code cancel}'s lock) once the start deletes what it made: cancel() interrupts no more. */
    private boolean cleaningUp;
    private CellOutput watcher;
    private String displayId;
    private MimeBundle view;

    /** Starts at once; {@code onEnd} is called on the start's thread when it has ended, however. */
    SessionStart(LivyClient client, LivyBackendConfig config, CreateSessionRequest request, String user,
                 Consumer<SessionStart> onEnd) {
        this.client = client;
        this.config = config;
        this.request = request;
        this.user = user;
        this.onEnd = onEnd;
        this.thread = new Thread(this::run, "livy-session-start");
        thread.setDaemon(true);
        thread.start();
    }

    /** The session once it is ready; null before, and after a failed or cancelled start. */
    LivySession ready() {
        return ready;
    }

    /** Why the start failed, or null. */
    UserFacingException failure() {
        return failure;
    }

    /** What the cancelled start left behind, in words; null when it was not cancelled. */
    String cancelled() {
        return cancelled;
    }

    boolean awaitEnd(long millis) throws InterruptedException {
        return done.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Shows the start's live view in {@code out} from now on (and where it stands now). */
    synchronized void watch(CellOutput out) {
        watcher = out;
        displayId = "livy-session-" + UUID.randomUUID();
        if (view != null) {
            out.display(view, new JsonObject(), displayId);
        }
    }

    synchronized void unwatch(CellOutput out) {
        if (watcher == out) {
            watcher = null;
        }
    }

    /** Stops the start: the session is deleted (also when its POST is still out: by its name, when it shows up). */
    void cancel() {
        synchronized (cancel) {
            cancel.request();
            if (!cleaningUp) {
                thread.interrupt();
            }
        }
    }

    private synchronized void show(MimeBundle next) {
        boolean first = view == null;
        view = next;
        if (watcher == null) {
            LOG.fine(next::plainText);
        } else if (first) {
            watcher.display(next, new JsonObject(), displayId);
        } else {
            watcher.updateDisplay(next, new JsonObject(), displayId);
        }
    }

    private void run() {
        try {
            follow();
        } catch (InterruptedException e) {
            synchronized (cancel) {
                // From here on the start's own requests (the DELETE) must not be cut short by the cancel.
                cleaningUp = true;
                Thread.interrupted();
            }
            cancelled = removeHalfStarted();
        } catch (UserFacingException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new UserFacingException("SparkSessionFailed", "The Spark session could not be started: " + e);
            removeHalfStarted();
        } finally {
            try {
                onEnd.accept(this);
            } finally {
                done.countDown();
            }
        }
    }

    private void follow() throws UserFacingException, InterruptedException {
        long began = System.currentTimeMillis();
        try {
            session = client.createSessionExactlyOnce(request);
        } catch (LivyOutcomeUnknownException e) {
            sweepOrphan(client, config, request.name());
            throw new UserFacingException("LivyOutcomeUnknown", "Unknown whether Livy created the Spark session: "
                    + e.getMessage() + "\nA session '" + request.name() + "' that shows up later is deleted; run the"
                    + " cell again to start one.", e);
        } catch (LivyException e) {
            throw LivyProblems.explain("create a Spark session", e);
        }
        show(SessionViews.starting(session, config.endpoint(), 0, null));
        String warning = null;
        long nextLogCheck = began + 3000;
        long deadline = began + config.startupTimeout().toMillis();
        try {
            while (!session.state().isReady()) {
                if (session.state().isFinished()) {
                    throw failedStart("ended in state '" + session.rawState() + "' while starting");
                }
                if (System.currentTimeMillis() > deadline) {
                    throw failedStart("did not become ready within " + config.startupTimeout().toSeconds()
                            + " s (livy.session.startupTimeoutSeconds)" + (warning == null ? "" : ". " + warning));
                }
                cancel.sleep(Math.min(1000, 200 + (System.currentTimeMillis() - began) / 10));
                if (cancel.requested()) {
                    throw new InterruptedException("cancelled");
                }
                session = client.getSession(session.id());
                if (System.currentTimeMillis() > nextLogCheck) {
                    nextLogCheck = System.currentTimeMillis() + 5000;
                    String found = amLimitWarning(session.id());
                    warning = found != null ? found : warning;
                }
                show(SessionViews.starting(session, config.endpoint(), System.currentTimeMillis() - began, warning));
            }
        } catch (LivyException e) {
            deleteQuietly(client, session.id());
            throw LivyProblems.explain("follow the start of Spark session " + session.id(), e);
        }
        ready = session;
        LOG.info("Livy session " + session.id() + " (" + session.name() + ") is " + session.rawState());
        show(SessionViews.summary(session, config.endpoint(), session.proxyUser() == null ? user : session.proxyUser(),
                summaryLog(session)));
    }

    /** On Kubernetes the driver pod is named at the head of the log's diagnostics, past the last 10 lines. */
    private List<String> summaryLog(LivySession s) throws InterruptedException {
        if (SparkCluster.of(s) != SparkCluster.KUBERNETES) {
            return s.log();
        }
        try {
            return client.getSessionLog(s.id(), 0, 5000).log();
        } catch (LivyException e) {
            return s.log();
        }
    }

    /** Deletes what a cancelled start created; says what became of it. */
    private String removeHalfStarted() {
        LivySession created = session;
        if (created != null) {
            return deleteQuietly(client, created.id()) ? "session " + created.id() + " was deleted"
                    : "session " + created.id() + " could not be deleted (see the kernel log); Livy reclaims it after"
                    + " its heartbeat timeout";
        }
        sweepOrphan(client, config, request.name());
        return "no session had been created yet (one named '" + request.name() + "' that Livy creates late is"
                + " deleted)";
    }

    private String amLimitWarning(String id) {
        try {
            for (String line : client.getSessionLog(id, null, 100).log()) {
                Matcher unschedulable = UNSCHEDULABLE.matcher(line);
                if (unschedulable.find()) {
                    return "Waiting for Kubernetes: the driver pod cannot be scheduled yet (" + unschedulable.group(1)
                            + "). The session starts when the cluster has room; ask your platform team or ask for"
                            + " less with %%configure -f.";
                }
                for (String marker : AM_LIMIT_MARKERS) {
                    if (line.contains(marker)) {
                        return "Waiting for YARN: the queue cannot place the application master yet (" + marker
                                + "). The session starts when the queue has room; ask your platform team or choose"
                                + " another queue with %%configure -f.";
                    }
                }
            }
        } catch (LivyException | InterruptedException e) {
            LOG.fine(() -> "could not read the start-up log: " + e.getMessage());
        }
        return null;
    }

    /** Reports a failed start with the server's last log lines, and deletes the half-started session. */
    private UserFacingException failedStart(String what) throws InterruptedException {
        String id = session.id();
        String log;
        try {
            log = SessionViews.lastLines(client.getSessionLog(id, null, 40).log(), 30);
        } catch (LivyException e) {
            log = SessionViews.lastLines(session.log(), 30);
        }
        deleteQuietly(client, id);
        return new UserFacingException("SparkSessionFailed", "The Spark session " + id + " " + what
                + ". It was deleted. Last lines of its log:\n" + log
                + "\nFix the settings with %%configure -f (or ask your platform team), then run a cell to try again.");
    }

    /**
     * Deletes, in the background, a session of this name that a POST with an unknown outcome may still
     * create: it looks until the POST can no longer land (twice the request timeout), so no orphan is left idle.
     */
    static void sweepOrphan(LivyClient client, LivyBackendConfig config, String name) {
        long until = System.nanoTime() + config.http().requestTimeout().multipliedBy(2).toNanos();
        Thread sweeper = new Thread(() -> {
            try {
                do {
                    try {
                        if (!client.deleteSessionsNamed(name).isEmpty()) {
                            LOG.info("deleted the orphaned Livy session '" + name + "'");
                            return;
                        }
                    } catch (LivyException e) {
                        LOG.fine(() -> "looking for the orphaned session '" + name + "': " + e.getMessage());
                    }
                    Thread.sleep(1000);
                } while (System.nanoTime() < until);
                // One last look, once the POST can no longer land.
                client.deleteSessionsNamed(name);
            } catch (LivyException e) {
                LOG.warning("could not check for an orphaned Livy session '" + name + "': " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "livy-orphan-sweep");
        sweeper.setDaemon(true);
        sweeper.start();
    }

    /** Deletes a session, logging a failure; true when it is gone. */
    static boolean deleteQuietly(LivyClient client, String id) {
        try {
            client.deleteSessionQuietly(id);
            LOG.info("deleted Livy session " + id);
            return true;
        } catch (LivyException e) {
            LOG.warning("could not delete Livy session " + id + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
