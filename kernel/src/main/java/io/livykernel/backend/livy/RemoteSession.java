package io.livykernel.backend.livy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.livykernel.api.CellOutput;
import io.livykernel.api.UserFacingException;
import io.livykernel.backend.livy.rest.CreateSessionRequest;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivyException;
import io.livykernel.backend.livy.rest.LivyProblems;
import io.livykernel.backend.livy.rest.LivySession;
import io.livykernel.backend.livy.rest.LivySessionNotFoundException;
import io.livykernel.backend.livy.rest.LivyVersion;
import io.livykernel.backend.livy.rest.SessionState;
import io.livykernel.config.JsonMerge;
import io.livykernel.logging.KernelLogging;
import io.livykernel.messages.Json;
import io.livykernel.policy.AccountingTags;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This kernel's Livy session, as one object with an explicit state machine:
 * <pre>
 *   NONE --start--> STARTING --idle--> READY --404 / dead / killed / not ours--> LOST --replacement idle--> READY
 *             start fails or is interrupted: deleted, back to NONE      close(): deleted --> CLOSED
 * </pre>
 * It is created by the first remote cell (or at kernel start), each start on its own thread ({@link
 * SessionStart}) that the waiting cell watches and can interrupt. It keeps the server's heartbeat fed while
 * the kernel lives (without resetting the idle clock, so abandoned notebooks are still reclaimed), checks that
 * the session behind its id is still its own (Livy reuses ids after a restart), starts a replacement at once
 * when the session dies under the notebook, and deletes it when the kernel ends.
 */
final class RemoteSession {
    enum State { NONE, STARTING, READY, LOST, CLOSED }

    private static final Logger LOG = Logger.getLogger(RemoteSession.class.getName());
    private static final Logger ACCOUNTING = Logger.getLogger(KernelLogging.ACCOUNTING);
    /** Livy's idle clock is reset by activity only; a running statement is kept alive with /connect. */
    private static final long CONNECT_WHILE_BUSY_MILLIS = 5 * 60_000;
    private static final long CLOSE_DEADLINE_MILLIS = 1200;
    /** How soon a cell's interrupt ends its wait for a start; the cancelled start is given this to delete. */
    private static final long START_WAIT_STEP_MILLIS = 50;
    private static final long CANCEL_DEADLINE_MILLIS = 1500;

    private final LivyClient client;
    private final LivyBackendConfig config;
    private final String kernelId;
    private final String user;
    /** The notebook's path as the Jupyter server names it (JPY_SESSION_NAME), else the kernel id. */
    private final String notebook;
    private final ScheduledExecutorService heartbeat;
    private volatile State state = State.NONE;
    private volatile LivySession session;
    /** The notice for the next cell about a loss no cell has reported yet; null when there is none. */
    private volatile String untoldLoss;
    /** Why the session was lost, for the cell that noticed it. */
    private volatile String lossReason;
    private volatile SessionStart start;
    private volatile SessionIdentity identity;
    /** A request about the session failed without an answer (Livy down or restarting): check it before use. */
    private volatile boolean statementRunning;
    private volatile boolean attached;
    private volatile long lastConnectMillis;
    /** When the kernel asked for the session, and when the server last counted activity on it (null: not known). */
    private volatile Long createdMillis;
    private volatile Long lastActivityMillis;
    private long startBeganMillis;
    private JsonObject notebookSettings = new JsonObject();
    private String nextName;

    RemoteSession(LivyClient client, LivyBackendConfig config, String kernelId, String user) {
        this.client = client;
        this.config = config;
        this.kernelId = kernelId;
        this.user = user;
        String path = System.getenv("JPY_SESSION_NAME");
        this.notebook = path == null || path.isBlank() ? kernelId : path;
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

    /**
     * The session id, ready for statements; starts (or restarts) the session first when needed, or waits for
     * the start already under way, showing it in {@code out}. An interrupt during the start returns at once
     * and deletes the half-started session.
     */
    String ensureReady(CellOutput out, Interruption interruption) throws UserFacingException, InterruptedException {
        SessionStart pending;
        synchronized (this) {
            if (state == State.CLOSED) {
                throw new UserFacingException("KernelShuttingDown", "The kernel is shutting down.");
            }
            if (state == State.READY && untoldLoss == null) {
                String id = session.id();
                if (stillOurs()) {
                    return id;
                }
                if (state == State.LOST) {
                    // Noticed by this cell: it fails in one line while the replacement starts (as on a refused POST).
                    throw lostError(id, lossReason, null);
                }
            }
            if (untoldLoss != null) {
                out.stream(CellOutput.Stream.STDERR, untoldLoss + "\nIts variables and cached data are lost. "
                        + (state == State.READY ? "This cell runs in the new session " + session.id()
                        : "Starting a new session") + " with the same configuration.\n");
                untoldLoss = null;
            }
            if (state == State.READY) {
                return session.id();
            }
            pending = start != null ? start : beginStart();
        }
        return await(pending, out, interruption);
    }

    /** Waits for a start with the cell's output and interrupt. */
    private String await(SessionStart pending, CellOutput out, Interruption interruption)
            throws UserFacingException, InterruptedException {
        pending.watch(out);
        try {
            while (!pending.awaitEnd(0)) {
                interruption.sleep(START_WAIT_STEP_MILLIS);
                if (interruption.requested()) {
                    pending.cancel();
                    pending.awaitEnd(CANCEL_DEADLINE_MILLIS);
                    throw new InterruptedException("the session start was interrupted; "
                            + (pending.cancelled() == null ? "its session is being deleted" : pending.cancelled()));
                }
            }
        } finally {
            pending.unwatch(out);
        }
        if (pending.ready() == null) {
            throw pending.failure() != null ? pending.failure()
                    : new UserFacingException("SparkSessionFailed", "The session start was cancelled; run the cell"
                    + " again to start one.");
        }
        return pending.ready().id();
    }

    /** Begins starting a session in the background (livy.session.createAtStart): a first cell joins it. */
    synchronized void startInBackground() {
        if (state == State.NONE && start == null) {
            try {
                beginStart();
            } catch (UserFacingException e) {
                LOG.warning("eager session start failed; the first cell will try again: " + e.getMessage());
            }
        }
    }

    private synchronized SessionStart beginStart() throws UserFacingException {
        CreateSessionRequest request;
        try {
            request = Json.gson().fromJson(effectiveRequest(), CreateSessionRequest.class);
            nextName = null;
        } catch (JsonParseException e) {
            throw new UserFacingException("SessionConfigError", "The session settings cannot be sent to Livy: "
                    + e.getMessage() + "\nFix them with %%configure -f or in the configuration file.");
        }
        if (state != State.LOST) {
            state = State.STARTING;
        }
        startBeganMillis = System.currentTimeMillis();
        start = new SessionStart(client, config, request, user, this::startEnded);
        return start;
    }

    /** Called on the start's thread when it has ended. */
    private synchronized void startEnded(SessionStart ended) {
        if (start != ended) {
            return;
        }
        start = null;
        if (state == State.CLOSED) {
            if (ended.ready() != null) {
                SessionStart.deleteQuietly(client, ended.ready().id());
            }
            return;
        }
        if (ended.ready() == null) {
            state = State.NONE;
            session = null;
            if (ended.failure() != null) {
                LOG.warning("the Livy session did not start: " + ended.failure().getMessage());
            }
            return;
        }
        session = ended.ready();
        identity = SessionIdentity.of(session);
        attached = false;
        state = State.READY;
        createdMillis = startBeganMillis;
        lastActivityMillis = System.currentTimeMillis(); // Livy's idle clock starts when the session turns idle
    }

    /**
     * True when the session behind our id is still ours. Livy reuses ids after a restart, and a restart (or a
     * fail-over to another Livy) can fall between two cells however close they are, so before every statement its
     * name, proxy user and application id are checked (one GET /sessions/{id}, which Livy answers without asking
     * the driver); a mismatch, 404 or finished state marks it lost.
     */
    private boolean stillOurs() throws UserFacingException, InterruptedException {
        String id = session.id();
        LivySession seen;
        try {
            seen = client.getSession(id);
        } catch (LivyException e) {
            String gone = LivyProblems.sessionGone(id, e);
            if (gone == null) {
                throw LivyProblems.explain("check Spark session " + id, e);
            }
            markLost(gone);
            return false;
        }
        return checkIdentity(seen, true);
    }

    /**
     * Passes an answer about our session's id (e.g. %%info's) through the checks of {@link #checkIdentity};
     * true when it describes our session (whatever its state), false when another session has our id.
     */
    boolean observe(LivySession seen) {
        SessionIdentity known = identity;
        checkIdentity(seen, true);
        return known == null || known.mismatch(seen) == null;
    }

    /** Compares an answer about our id with who our session is; a stranger or a finished session is a loss. */
    private synchronized boolean checkIdentity(LivySession seen, boolean replace) {
        if (session == null || !Objects.equals(seen.id(), session.id())) {
            return state == State.READY;
        }
        String stranger = identity == null ? null : identity.mismatch(seen);
        if (stranger != null) {
            lose(stranger + "; the Livy server probably restarted", replace);
            return false;
        }
        if (seen.state().isFinished() || seen.state() == SessionState.SHUTTING_DOWN) {
            lose("Livy reports it " + seen.rawState() + " (killed, preempted, or its driver died)", replace);
            return false;
        }
        identity = identity == null ? null : identity.learn(seen);
        return true;
    }

    /**
     * The body of POST /sessions: platform defaults, the notebook's settings merged over them, and ours. Its
     * name is the running session's as Livy reports it, else the one the next start sends.
     */
    JsonObject effectiveRequest() {
        return new AccountingTags(user, notebook, config.platformTag()).applyTo(requestWith(notebookSettings));
    }

    /**
     * The body a start would send with these notebook settings, before the tags that say who uses it: over the
     * platform's defaults, completed by the platform's policy (dynamic allocation).
     */
    private JsonObject requestWith(JsonObject settings) {
        JsonObject request = config.sessionDefaults();
        JsonMerge.deep(request, settings);
        request.addProperty("kind", config.kind());
        if (!request.has("proxyUser") && user != null) {
            request.addProperty("proxyUser", user);
        }
        if (!request.has("name")) {
            LivySession current = session;
            boolean running = current != null && !attached && current.name() != null
                    && (state == State.READY || state == State.STARTING);
            request.addProperty("name", running ? current.name() : nextName());
        }
        if (!request.has("heartbeatTimeoutInSecond") && config.heartbeatTimeoutSeconds() > 0) {
            request.addProperty("heartbeatTimeoutInSecond", config.heartbeatTimeoutSeconds());
        }
        return config.limits().applyPolicy(request);
    }

    /** The caps these settings are over (the kernel's own tags not counted), one line each; empty when within. */
    List<String> overCaps(JsonObject settings) {
        return config.limits().violations(requestWith(settings));
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

    /**
     * Makes the first start quick (POST /sessions within milliseconds of the first cell): draws the name, builds
     * the request once (Gson and the merge code loaded) and asks Livy its version, which opens the connection,
     * authenticates (Kerberos buys its cookie here) and loads the HTTP client. Failures only cost the head start.
     */
    void prepareStart() {
        try {
            Json.gson().toJson(Json.gson().fromJson(effectiveRequest(), CreateSessionRequest.class));
            LivyVersion version = client.getVersion();
            LOG.fine(() -> "Livy " + version + " answers; the session request is ready");
        } catch (LivyException | RuntimeException e) {
            LOG.fine(() -> "preparing the session start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Replaces the notebook's own settings (from %%configure); they take effect at the next start. With
     * {@code recreate}, the running session is deleted first (an attached one is only let go); returns
     * whether one was deleted. A DELETE that fails is thrown and changes nothing.
     */
    boolean configure(JsonObject settings, boolean recreate) throws LivyException, InterruptedException {
        LivySession toDelete = null;
        synchronized (this) {
            if (recreate && start != null) {
                start.cancel();
                start = null;
            }
            if (recreate && session != null && !attached && state != State.NONE && state != State.CLOSED
                    && state != State.LOST) {
                toDelete = session;
            }
        }
        if (toDelete != null) {
            // Outside the lock: the heartbeat must go on while Livy is asked (and retried), or Livy would reclaim
            // the session that a failing DELETE leaves running.
            client.deleteSessionQuietly(toDelete.id());
        }
        synchronized (this) {
            if (recreate && session != null && state != State.NONE && state != State.CLOSED) {
                forget();
            }
            notebookSettings = settings.deepCopy();
        }
        return toDelete != null;
    }

    /** Uses an existing session of the endpoint; this kernel's own session, if any, is deleted. */
    synchronized LivySession attach(String id) throws LivyException, InterruptedException, UserFacingException {
        LivySession other = client.getSession(id);
        if (other.state().isFinished()) {
            throw new UserFacingException("SessionEnded", "Session " + id + " has ended (" + other.rawState()
                    + "); attach to a running one (%%info lists yours).");
        }
        if (session != null && !attached && state != State.NONE && !session.id().equals(id)) {
            deleteQuietly(session.id());
        }
        if (start != null) {
            start.cancel();
            start = null;
        }
        session = other;
        identity = SessionIdentity.of(other);
        attached = true;
        state = State.READY;
        untoldLoss = null;
        createdMillis = null;
        lastActivityMillis = null;
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
        identity = null;
        attached = false;
        untoldLoss = null;
        state = start != null ? State.STARTING : State.NONE;
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
        lastActivityMillis = System.currentTimeMillis();
    }

    /** When the kernel asked for this session (its own, not an attached one); null when not known. */
    Long createdMillis() {
        return createdMillis;
    }

    /** When a statement of this kernel last ended in the session (or it turned idle); null when not known. */
    Long lastActivityMillis() {
        return lastActivityMillis;
    }

    /**
     * Called when an answer seen for a cell shows the session is gone (dead, killed, 404, another session
     * behind our id). The replacement starts at once in the background with the same settings; the next cell explains
     * (unless the cell that noticed already did, with {@link #lostError}) and waits only for the rest of it.
     */
    void markLost(String reason) {
        lose(reason, true);
    }

    /**
     * Marks the session lost; with {@code replace}, its replacement starts at once. The heartbeat finds
     * losses between cells too, often Livy's idle timeout reclaiming an unused notebook's session: starting
     * another one then would defeat that policy, so the next cell does it.
     */
    private synchronized void lose(String reason, boolean replace) {
        if (state != State.READY) {
            return;
        }
        LivySession was = session;
        state = State.LOST;
        lossReason = reason;
        untoldLoss = "The Spark session " + (was == null ? "?" : was.id()) + " is gone: " + reason + ".";
        LOG.warning("Livy session " + (was == null ? "?" : was.id()) + " lost: " + reason);
        attached = false;
        if (!replace) {
            return;
        }
        try {
            beginStart();
        } catch (UserFacingException e) {
            LOG.warning("could not start a replacement session: " + e.getMessage());
        }
    }

    /**
     * The error of the cell that noticed the session is gone (after {@link #markLost}): one line saying so,
     * that its variables are lost, that a new session is starting, and to run the cell again.
     */
    synchronized UserFacingException lostError(String sessionId, String reason, Throwable cause) {
        untoldLoss = null;
        return new UserFacingException("SparkSessionLost", "The Spark session " + sessionId + " is gone: " + reason
                + ". Its variables are lost, and a new session is starting; run the cell again.", cause);
    }

    private void beat() {
        LivySession current = session;
        if (state != State.READY || current == null) {
            return;
        }
        try {
            // GETs under /sessions/{id} feed Livy's heartbeat but not its idle clock, on purpose. The full answer
            // (not /state) also says who the session is, so a Livy restart that reused our id is noticed here.
            if (checkIdentity(client.getSession(current.id()), statementRunning)
                    && statementRunning && System.currentTimeMillis() - lastConnectMillis > CONNECT_WHILE_BUSY_MILLIS) {
                lastConnectMillis = System.currentTimeMillis();
                client.connectSession(current.id());
            }
        } catch (LivySessionNotFoundException e) {
            lose(LivyProblems.sessionGone(current.id(), e), statementRunning);
        } catch (LivyException e) {
            LOG.fine(() -> "heartbeat failed, will retry: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "heartbeat failed", e);
        }
    }

    /** Deletes the session (when the kernel ends); returns within about a second. */
    /** One line in the log with what the deleted session used, for the platform team's accounting. */
    private void logUsage(LivySession deleted) {
        try {
            ACCOUNTING.info("Livy session " + deleted.id() + " (" + deleted.name() + ", user " + user + ") ended. "
                    + Usage.of(deleted, client, config).line());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void close() {
        State before;
        SessionStart starting;
        synchronized (this) {
            before = state;
            state = State.CLOSED;
            starting = start;
        }
        heartbeat.shutdownNow();
        if (starting != null) {
            starting.cancel();
            awaitQuietly(starting);
        }
        LivySession current = session;
        if (current == null || before == State.NONE || before == State.LOST || attached) {
            return;
        }
        Thread deleter = new Thread(() -> {
            deleteQuietly(current.id());
            logUsage(current);
        }, "livy-delete");
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

    private void deleteQuietly(String id) {
        SessionStart.deleteQuietly(client, id);
    }

    private static void awaitQuietly(SessionStart starting) {
        try {
            starting.awaitEnd(CLOSE_DEADLINE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


}
