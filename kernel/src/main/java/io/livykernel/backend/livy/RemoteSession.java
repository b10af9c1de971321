package io.livykernel.backend.livy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.livykernel.config.JsonMerge;
import io.livykernel.execution.CellOutput;
import io.livykernel.execution.UserFacingException;
import io.livykernel.messages.Json;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This kernel's Livy session, as one object with an explicit state machine:
 * <pre>
 *   NONE --start--> STARTING --idle--> READY --404 / dead / killed--> LOST --next cell--> STARTING
 *             start fails: deleted, back to NONE          close(): deleted --> CLOSED
 * </pre>
 * It is created lazily by the first remote cell, shows its start-up live, keeps the server's heartbeat fed
 * while the kernel lives (without resetting the idle clock, so abandoned notebooks are still reclaimed),
 * notices when the session dies under the notebook, and deletes it when the kernel ends.
 */
final class RemoteSession {
    enum State { NONE, STARTING, READY, LOST, CLOSED }

    private static final Logger LOG = Logger.getLogger(RemoteSession.class.getName());
    private static final List<String> AM_LIMIT_MARKERS = List.of("AM resource limit exceeded",
            "Queue's AM resource limit exceeded");
    /** Livy's idle clock is reset by activity only; a running statement is kept alive with /connect. */
    private static final long CONNECT_WHILE_BUSY_MILLIS = 5 * 60_000;
    private static final long CLOSE_DEADLINE_MILLIS = 1200;

    private final LivyClient client;
    private final LivyBackendConfig config;
    private final String kernelId;
    private final String user;
    private final ScheduledExecutorService heartbeat;
    private volatile State state = State.NONE;
    private volatile LivySession session;
    private volatile String lostReason;
    private volatile boolean statementRunning;
    private volatile boolean attached;
    private volatile long lastConnectMillis;
    private JsonObject notebookSettings = new JsonObject();
    private String nextName;

    RemoteSession(LivyClient client, LivyBackendConfig config, String kernelId, String user) {
        this.client = client;
        this.config = config;
        this.kernelId = kernelId;
        this.user = user;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "livy-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = config.heartbeatInterval().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    State state() {
        return state;
    }

    LivySession info() {
        return session;
    }

    /** The session id, ready for statements; starts (or restarts) the session first when needed. */
    synchronized int ensureReady(CellOutput out, Interruption interruption) throws UserFacingException, InterruptedException {
        if (state == State.READY) {
            return session.id();
        }
        if (state == State.CLOSED) {
            throw new UserFacingException("KernelShuttingDown", "The kernel is shutting down.");
        }
        if (state == State.LOST) {
            out.stream(CellOutput.Stream.STDERR, "The Spark session " + session.id() + " is gone: " + lostReason
                    + "\nIts variables and cached data are lost. Starting a new session with the same configuration."
                    + "\n");
        }
        start(out, interruption);
        return session.id();
    }

    /** The body of POST /sessions: platform defaults, the notebook's settings merged over them, and ours. */
    JsonObject effectiveRequest() {
        JsonObject request = config.sessionDefaults();
        JsonMerge.deep(request, notebookSettings);
        request.addProperty("kind", config.kind());
        if (!request.has("proxyUser") && user != null) {
            request.addProperty("proxyUser", user);
        }
        if (!request.has("name")) {
            request.addProperty("name", nextName());
        }
        if (!request.has("heartbeatTimeoutInSecond") && config.heartbeatTimeoutSeconds() > 0) {
            request.addProperty("heartbeatTimeoutInSecond", config.heartbeatTimeoutSeconds());
        }
        return request;
    }

    /**
     * The name of the next session: user and kernel, plus a random part drawn once per start, so that a
     * restarted kernel (same kernel id) never collides with a session its predecessor left behind.
     */
    private synchronized String nextName() {
        if (nextName == null) {
            nextName = namePrefix() + UUID.randomUUID().toString().substring(0, 4);
        }
        return nextName;
    }

    private String namePrefix() {
        return "livy-kernel-" + (user == null ? "" : user + "-") + kernelId + "-";
    }

    /** Whether this kernel (or its predecessor, restarted with the same kernel id) created {@code other}. */
    boolean createdHere(LivySession other) {
        return other.name() != null && other.name().startsWith(namePrefix());
    }

    private void start(CellOutput out, Interruption interruption) throws UserFacingException, InterruptedException {
        CreateSessionRequest request;
        try {
            request = Json.gson().fromJson(effectiveRequest(), CreateSessionRequest.class);
            nextName = null;
        } catch (JsonParseException e) {
            throw new UserFacingException("SessionConfigError", "The session settings cannot be sent to Livy: "
                    + e.getMessage() + "\nFix them with %%configure -f or in the configuration file.");
        }
        state = State.STARTING;
        long began = System.currentTimeMillis();
        try {
            session = client.createSessionExactlyOnce(request);
        } catch (LivyException e) {
            state = State.NONE;
            throw LivyProblems.explain("create a Spark session", e);
        }
        String displayId = "livy-session-" + UUID.randomUUID();
        out.display(SessionViews.starting(session, config.endpoint(), 0, null), new JsonObject(), displayId);
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
                            + " s (livy.session.startupTimeoutSeconds)"
                            + (warning == null ? "" : ". " + warning));
                }
                interruption.sleep(Math.min(1000, 200 + (System.currentTimeMillis() - began) / 10));
                if (interruption.requested()) {
                    deleteQuietly(session.id());
                    state = State.NONE;
                    throw new InterruptedException("session start interrupted; session " + session.id() + " deleted");
                }
                session = client.getSession(session.id());
                if (System.currentTimeMillis() > nextLogCheck) {
                    nextLogCheck = System.currentTimeMillis() + 5000;
                    String found = amLimitWarning(session.id());
                    warning = found != null ? found : warning;
                }
                out.updateDisplay(SessionViews.starting(session, config.endpoint(),
                        System.currentTimeMillis() - began, warning), new JsonObject(), displayId);
            }
        } catch (LivyException e) {
            deleteQuietly(session.id());
            state = State.NONE;
            throw LivyProblems.explain("follow the start of Spark session " + session.id(), e);
        }
        state = State.READY;
        lostReason = null;
        out.updateDisplay(SessionViews.summary(session, config.endpoint(), session.proxyUser() == null ? user
                : session.proxyUser()), new JsonObject(), displayId);
    }

    private String amLimitWarning(int id) {
        try {
            for (String line : client.getSessionLog(id, null, 100).log()) {
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
        int id = session.id();
        String log;
        try {
            log = SessionViews.lastLines(client.getSessionLog(id, null, 40).log(), 30);
        } catch (LivyException e) {
            log = SessionViews.lastLines(session.log(), 30);
        }
        deleteQuietly(id);
        state = State.NONE;
        return new UserFacingException("SparkSessionFailed", "The Spark session " + id + " " + what
                + ". It was deleted. Last lines of its log:\n" + log
                + "\nFix the settings with %%configure -f (or ask your platform team), then run a cell to try again.");
    }

    /**
     * Replaces the notebook's own settings (from %%configure); they take effect at the next start. With
     * {@code recreate}, the running session is deleted first (an attached one is only let go); returns
     * whether one was deleted. A DELETE that fails is thrown and changes nothing.
     */
    synchronized boolean configure(JsonObject settings, boolean recreate) throws LivyException, InterruptedException {
        boolean deleted = false;
        if (recreate && session != null && state != State.NONE && state != State.CLOSED) {
            if (!attached) {
                client.deleteSessionQuietly(session.id());
                deleted = true;
            }
            forget();
        }
        notebookSettings = settings.deepCopy();
        return deleted;
    }

    /** Uses an existing session of the endpoint; this kernel's own session, if any, is deleted. */
    synchronized LivySession attach(int id) throws LivyException, InterruptedException, UserFacingException {
        LivySession other = client.getSession(id);
        if (other.state().isFinished()) {
            throw new UserFacingException("SessionEnded", "Session " + id + " has ended (" + other.rawState()
                    + "); attach to a running one (%%info lists yours).");
        }
        if (session != null && !attached && state != State.NONE && session.id() != id) {
            deleteQuietly(session.id());
        }
        session = other;
        attached = true;
        state = State.READY;
        lostReason = null;
        return other;
    }

    /** Stops using an attached session, which keeps running; returns it, or null when none was attached. */
    synchronized LivySession detach() {
        if (!attached) {
            return null;
        }
        LivySession was = session;
        forget();
        return was;
    }

    /** The session was deleted elsewhere (e.g. %%cleanup): the next cell starts a new one quietly. */
    synchronized void forget() {
        session = null;
        attached = false;
        lostReason = null;
        state = State.NONE;
    }

    boolean attached() {
        return attached;
    }

    String user() {
        return user;
    }

    void statementStarted() {
        statementRunning = true;
        lastConnectMillis = System.currentTimeMillis();
    }

    void statementEnded() {
        statementRunning = false;
    }

    /** Called when a request shows the session is gone; the next cell explains and starts a new one. */
    void markLost(String reason) {
        if (state == State.READY || state == State.STARTING) {
            lostReason = reason;
            state = State.LOST;
            LOG.warning("Livy session " + (session == null ? "?" : session.id()) + " lost: " + reason);
        }
    }

    private void beat() {
        LivySession current = session;
        if (state != State.READY || current == null) {
            return;
        }
        try {
            // GETs under /sessions/{id} feed Livy's heartbeat but not its idle clock, on purpose.
            SessionState remote = client.getSessionState(current.id()).state();
            if (remote.isFinished()) {
                markLost("Livy reports it " + remote.wireName().toLowerCase(Locale.ROOT)
                        + " (killed, preempted, or its driver died)");
            } else if (statementRunning && System.currentTimeMillis() - lastConnectMillis > CONNECT_WHILE_BUSY_MILLIS) {
                lastConnectMillis = System.currentTimeMillis();
                client.connectSession(current.id());
            }
        } catch (LivySessionNotFoundException e) {
            markLost("the server no longer knows session " + current.id()
                    + " (deleted, expired, or the Livy server restarted)");
        } catch (LivyException e) {
            LOG.fine(() -> "heartbeat failed, will retry: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "heartbeat failed", e);
        }
    }

    /** Deletes the session (when the kernel ends); returns within about a second. */
    void close() {
        State before = state;
        state = State.CLOSED;
        heartbeat.shutdownNow();
        LivySession current = session;
        if (current == null || before == State.NONE || attached) {
            return;
        }
        Thread deleter = new Thread(() -> deleteQuietly(current.id()), "livy-delete");
        deleter.setDaemon(true);
        deleter.start();
        try {
            deleter.join(CLOSE_DEADLINE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (deleter.isAlive()) {
            LOG.warning("Livy did not confirm deleting session " + current.id() + " in time; its heartbeat"
                    + " timeout (" + config.heartbeatTimeoutSeconds() + " s) reclaims it");
        }
    }

    private void deleteQuietly(int id) {
        try {
            client.deleteSessionQuietly(id);
            LOG.info("deleted Livy session " + id);
        } catch (LivyException e) {
            LOG.warning("could not delete Livy session " + id + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


}
