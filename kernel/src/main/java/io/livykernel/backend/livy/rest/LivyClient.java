package io.livykernel.backend.livy.rest;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.livykernel.http.AuthenticationException;
import io.livykernel.http.HttpFailures;
import io.livykernel.http.HttpStack;
import io.livykernel.http.SpnegoAuth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The client for Livy's REST API: one method per endpoint, answers parsed into the value records of this
 * package, failures thrown as {@link LivyException} subclasses. Thread-safe; make one per Livy server.
 *
 * <p>Every request sends X-Requested-By (Livy's CSRF protection), Accept: application/json, the configured
 * custom headers and, when configured, Basic auth or Kerberos (SPNEGO, see {@link SpnegoAuth}). Requests that
 * may safely run twice (GET, DELETE, connect, cancel) are retried with the settings' backoff on connection failures
 * and HTTP 5xx. Requests that must not
 * run twice (creating a session, statement or batch; uploads) are repeated only when the failure proves they
 * never reached the server; when the outcome is unknown (no answer, or any 5xx but Livy refusing for the
 * session's state) they throw {@link LivyOutcomeUnknownException}, and {@link #submitStatementExactlyOnce},
 * {@link #createSessionExactlyOnce} and {@link #createBatchExactlyOnce} find out what happened.
 *
 * <p>Methods block; they throw InterruptedException when the thread is interrupted, which leaves the outcome
 * of a request in flight unknown.
 */
public final class LivyClient {
    private static final Logger LOG = Logger.getLogger(LivyClient.class.getName());
    /** How many of a session's newest statements reconciliation reads; more new ones make it give up. */
    private static final int RECENT_STATEMENTS = 20;
    private static final int SESSION_PAGE = 100;
    private static final String JSON = "application/json";
    /** The largest answer read: far above Livy's (outputs are capped by the kernel too), far below the heap. */
    static final int MAX_ANSWER_BYTES = 32 * 1024 * 1024;

    private final LivySettings settings;
    /** TLS, credentials and configured headers: the same stack every other endpoint uses. */
    private final HttpStack stack;
    private final HttpClient http;
    private final SpnegoAuth spnego;
    /** For the Spark UI: this client's settings and Kerberos login, the UI's own cookies. */
    private final HttpStack otherServices;
    private final Random jitterSource = new Random();
    /**
     * Per session, the statement ids this client has seen in any answer: the "before" mark of
     * {@link #submitStatementExactlyOnce}. Learnt for free from the traffic, so that its happy path is one POST.
     */
    private final ConcurrentMap<String, StatementMark> newestStatementIds = new ConcurrentHashMap<>();

    /** Throws IllegalArgumentException when the configured trust store cannot be loaded. */
    public LivyClient(LivySettings settings) {
        this.settings = settings;
        this.stack = HttpStack.forLivy(settings.httpSettings(), settings.baseUrl());
        this.http = stack.client();
        this.spnego = stack.kerberos();
        this.otherServices = stack.forOtherServices();
    }

    /**
     * The HTTP stack for the sessions' Spark UI (YARN proxy), a History Server or WebHDFS: Livy's TLS, headers and
     * credentials; with Kerberos this client's login, but each server's own cookie.
     */
    public HttpStack otherServices() {
        return otherServices;
    }

    /** The settings this client was made with (their toString hides secrets). */
    public LivySettings settings() {
        return settings;
    }

    /** GET /version. */
    public LivyVersion getVersion() throws LivyException, InterruptedException {
        return get("/version", LivyVersion::fromJson);
    }

    // ---- sessions -------------------------------------------------------------------------------------

    /** GET /sessions: {@code size} sessions starting at index {@code from}. */
    public SessionList listSessions(int from, int size) throws LivyException, InterruptedException {
        return get("/sessions" + query("from", from, "size", size), SessionList::fromJson);
    }

    /**
     * POST /sessions. Never repeated once sent: if the answer is lost (or is a 5xx) this throws
     * {@link LivyOutcomeUnknownException}; prefer {@link #createSessionExactlyOnce}.
     */
    public LivySession createSession(CreateSessionRequest request) throws LivyException, InterruptedException {
        LivySession session = parse(postOnce("/sessions", jsonBody(request.toJson())), LivySession::fromJson);
        newestStatementIds.put(session.id(), StatementMark.NONE);
        return session;
    }

    /**
     * POST /sessions that survives a lost answer without creating a second session. The request needs a
     * {@code name} that is unique to this attempt (e.g. "kernel-" + a UUID). Throws
     * {@link LivyOutcomeUnknownException} only when Livy cannot be asked; a session of that name may then
     * still appear, and {@link #deleteSessionsNamed} removes it.
     */
    public LivySession createSessionExactlyOnce(CreateSessionRequest request)
            throws LivyException, InterruptedException {
        // A session's name is our receipt: after an unknown outcome, GET /sessions shows whether a session of that
        // name exists, i.e. whether our POST created it. And Livy refuses a second live session with a taken name
        // (HTTP 400 "Duplicate session name"), so even a resubmission racing a late first POST cannot create a twin.
        String name = request.name();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("createSessionExactlyOnce needs a request with a unique name");
        }
        LivyOutcomeUnknownException unknown = null;
        for (int attempt = 1; attempt <= settings.retryPolicy().maxAttempts(); attempt++) {
            long sent = System.nanoTime();
            try {
                return createSession(request);
            } catch (LivyOutcomeUnknownException e) {
                if (settings.flavor() == ServerFlavor.LIGHTER) {
                    // Lighter names every session itself ("session_" + a UUID), so ours cannot be found by name.
                    throw e;
                }
                unknown = e;
            } catch (LivyHttpException e) {
                boolean ourEarlierPostLanded = unknown != null && e.status() == 400
                        && e.livyMessage().contains("Duplicate session name");
                if (!ourEarlierPostLanded) {
                    throw e;
                }
                return findSessionByName(name).orElseThrow(() -> e);
            }
            try {
                LivySession created = reconcile("POST /sessions", "session '" + name + "'", sent, unknown,
                        () -> findSessionByName(name));
                newestStatementIds.put(created.id(), StatementMark.NONE);
                return created;
            } catch (LivyNotCreatedException notCreated) {
                LOG.info(() -> "POST /sessions: no session is named '" + name + "', so Livy did not create it;"
                        + " sending again");
            }
        }
        throw unknown;
    }

    /**
     * Deletes the sessions of this name (an orphan: created by a POST whose outcome was unknown); returns
     * their ids. Names are unique per start, so this never touches another notebook's session.
     */
    public List<String> deleteSessionsNamed(String name) throws LivyException, InterruptedException {
        List<String> deleted = new ArrayList<>();
        for (LivySession session : allSessions()) {
            if (name.equals(session.name()) && deleteSessionQuietly(session.id())) {
                deleted.add(session.id());
            }
        }
        return deleted;
    }

    /** GET /sessions/{id}; {@link LivySessionNotFoundException} when the session is gone. */
    public LivySession getSession(String sessionId) throws LivyException, InterruptedException {
        return get("/sessions/" + segment(sessionId), LivySession::fromJson);
    }

    /** GET /sessions/{id}/state: the cheapest poll. Counts as a heartbeat, like every per-session request. */
    public SessionStateInfo getSessionState(String sessionId) throws LivyException, InterruptedException {
        return get("/sessions/" + segment(sessionId) + "/state", SessionStateInfo::fromJson);
    }

    /** GET /sessions/{id}/log. Null {@code from} and {@code size} mean Livy's default: the last 100 lines. */
    public SessionLog getSessionLog(String sessionId, Integer from, Integer size)
            throws LivyException, InterruptedException {
        return get("/sessions/" + segment(sessionId) + "/log" + query("from", from, "size", size), SessionLog::fromJson)
                .slice(from, size);
    }

    /**
     * POST /sessions/{id}/connect: checks the caller may use the session and, unlike a GET, resets Livy's
     * idle timeout (livy.server.session.timeout), so it doubles as a keep-alive.
     */
    public LivySession connectSession(String sessionId) throws LivyException, InterruptedException {
        if (settings.flavor() == ServerFlavor.LIGHTER) {
            // Lighter has no /connect (its SessionController): asking for the session is the keep-alive there.
            return getSession(sessionId);
        }
        return parse(send("POST", "/sessions/" + segment(sessionId) + "/connect", jsonBody("{}"), Retry.SAFE),
                LivySession::fromJson);
    }

    /** DELETE /sessions/{id}: stops the session and its Spark application; 404 throws. */
    public void deleteSession(String sessionId) throws LivyException, InterruptedException {
        send("DELETE", "/sessions/" + segment(sessionId), null, Retry.SAFE);
        newestStatementIds.remove(sessionId);
    }

    /**
     * DELETE /sessions/{id}, where a session that is already gone counts as success (a retried DELETE can
     * meet the 404 its own first attempt caused). Returns false when the session did not exist.
     */
    public boolean deleteSessionQuietly(String sessionId) throws LivyException, InterruptedException {
        try {
            deleteSession(sessionId);
            return true;
        } catch (LivySessionNotFoundException gone) {
            newestStatementIds.remove(sessionId);
            return false;
        }
    }

    // ---- statements -----------------------------------------------------------------------------------

    /**
     * POST /sessions/{id}/statements. Never repeated once sent: a lost answer (or a 5xx) throws
     * {@link LivyOutcomeUnknownException}; prefer {@link #submitStatementExactlyOnce}.
     */
    public LivyStatement submitStatement(String sessionId, StatementRequest request)
            throws LivyException, InterruptedException {
        LivyStatement statement = parse(postOnce("/sessions/" + segment(sessionId) + "/statements",
                jsonBody(JsonFields.GSON.toJson(request))), LivyStatement::fromJson);
        noteStatement(sessionId, statement.id());
        return statement;
    }

    /**
     * POST /sessions/{id}/statements such that the code runs at most once even when an answer is lost. Costs
     * one request when all goes well, plus one listing before the first statement of a session this client
     * neither created nor listed. After a lost answer it never posts again: it returns the statement Livy
     * created, or throws {@link LivyNotCreatedException} when Livy shows none once the POST can no longer
     * land, or {@link LivyOutcomeUnknownException} when it cannot tell.
     */
    public LivyStatement submitStatementExactlyOnce(String sessionId, StatementRequest request)
            throws LivyException, InterruptedException {
        // Livy numbers a session's statements upwards and lists them with their code. So a statement that has
        // our code and an id newer than all that existed before we posted (see StatementMark) can only come from our
        // POST: after a lost answer we look for it instead of posting again. A POST stuck in a proxy may land
        // after our first look, so we keep looking until it can no longer land (see reconcile). Livy does not
        // echo a statement's kind, so the match is on the code alone.
        StatementMark known = newestStatementIds.get(sessionId);
        StatementMark before = known != null ? known : StatementMark.of(recentStatements(sessionId).newestFirst());
        String endpoint = "POST /sessions/" + segment(sessionId) + "/statements";
        long sent = System.nanoTime();
        LivyOutcomeUnknownException unknown;
        try {
            return submitStatement(sessionId, request);
        } catch (LivyOutcomeUnknownException e) {
            unknown = e;
        }
        LivyStatement ours = reconcile(endpoint, "the statement", sent, unknown, () -> {
            RecentStatements recent = recentStatements(sessionId);
            Optional<LivyStatement> found = recent.newestFirst().stream()
                    .filter(s -> before.isNewer(s.id()) && sameCode(s.code(), request.code()))
                    .reduce((newer, older) -> older);
            if (found.isEmpty() && !recent.reachesBack(before)) {
                throw new LivyOutcomeUnknownException(unknown.endpoint(), unknown.getMessage() + "; more than "
                        + RECENT_STATEMENTS + " statements arrived since, so it cannot be checked", unknown);
            }
            return found;
        });
        LOG.info(() -> endpoint + ": the lost answer's statement exists as id " + ours.id());
        return ours;
    }

    /**
     * GET /sessions/{id}/statements: {@code size} statements from index {@code from}, oldest first, or newest
     * first when {@code newestFirst} (Livy 0.8+; older servers ignore it and answer oldest first).
     */
    public StatementList listStatements(String sessionId, int from, int size, boolean newestFirst)
            throws LivyException, InterruptedException {
        String q = newestFirst ? query("order", "desc", "from", from, "size", size) : query("from", from, "size", size);
        StatementList list = get("/sessions/" + segment(sessionId) + "/statements" + q, StatementList::fromJson);
        list.statements().forEach(s -> noteStatement(sessionId, s.id()));
        return list;
    }

    /**
     * GET /sessions/{id}/state for a poll: one attempt (the poller decides when to ask again, and a 5xx is
     * reported at once instead of after the retries).
     */
    public SessionStateInfo pollSessionState(String sessionId) throws LivyException, InterruptedException {
        return parse(send("GET", "/sessions/" + segment(sessionId) + "/state", null, Retry.NEVER), SessionStateInfo::fromJson);
    }

    /** GET /sessions/{id}/statements/{sid} for a poll: one attempt, as {@link #pollSessionState}. */
    public LivyStatement pollStatement(String sessionId, String statementId) throws LivyException, InterruptedException {
        LivyStatement statement = parse(send("GET", statementPath(sessionId, statementId), null, Retry.NEVER),
                LivyStatement::fromJson);
        noteStatement(sessionId, statement.id());
        return statement;
    }

    /** GET /sessions/{id}/statements/{sid}: the poll for a statement's progress and output. */
    public LivyStatement getStatement(String sessionId, String statementId) throws LivyException, InterruptedException {
        LivyStatement statement = get(statementPath(sessionId, statementId), LivyStatement::fromJson);
        noteStatement(sessionId, statement.id());
        return statement;
    }

    /**
     * POST /sessions/{id}/statements/{sid}/cancel. Livy answers at once; the statement then goes through
     * "cancelling" to "cancelled". Code that runs no Spark job (a Python loop) keeps running in the driver.
     */
    public void cancelStatement(String sessionId, String statementId) throws LivyException, InterruptedException {
        send("POST", statementPath(sessionId, statementId) + "/cancel", jsonBody("{}"), Retry.SAFE);
    }

    /** POST /sessions/{id}/completion. One attempt only: completion must answer promptly or not at all. */
    public CompletionResult complete(String sessionId, CompletionRequest request)
            throws LivyException, InterruptedException {
        return parse(send("POST", "/sessions/" + segment(sessionId) + "/completion", jsonBody(JsonFields.GSON.toJson(request)),
                Retry.NEVER), CompletionResult::fromJson);
    }

    /**
     * POST /sessions/{id}/upload-jar|upload-pyfile|upload-file as multipart/form-data. Livy copies the file to
     * the session's staging directory and adds it to the session (limit livy.file.upload.max.size, 100 MB).
     */
    public void upload(String sessionId, UploadKind kind, String fileName, byte[] content)
            throws LivyException, InterruptedException {
        String boundary = "livy-kernel-" + UUID.randomUUID();
        Body body = new Body(multipart(boundary, kind.formField(), fileName, content),
                "multipart/form-data; boundary=" + boundary);
        send("POST", "/sessions/" + segment(sessionId) + "/" + kind.pathSegment(), body, Retry.UNSAFE);
    }

    // ---- batches --------------------------------------------------------------------------------------

    /** POST /batches. Never repeated once sent: a lost answer (or a 5xx) throws {@link LivyOutcomeUnknownException}. */
    public LivyBatch createBatch(CreateBatchRequest request) throws LivyException, InterruptedException {
        return parse(postOnce("/batches", jsonBody(settings.flavor().batchBody(request))), LivyBatch::fromJson);
    }

    /**
     * POST /batches, sent once; after a lost answer the batch is looked up by its name (which the request
     * must have) among the batches that were not there before. Returns the batch, or throws
     * {@link LivyNotCreatedException} when Livy shows none once the POST can no longer land, or
     * {@link LivyOutcomeUnknownException} when it cannot tell.
     */
    public LivyBatch createBatchExactlyOnce(CreateBatchRequest request) throws LivyException, InterruptedException {
        String name = request.name();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("createBatchExactlyOnce needs a request with a name");
        }
        // The name may be the user's and reused by earlier runs: only a batch that was not listed before is ours.
        List<String> before;
        try {
            before = batchesNamed(name).stream().map(LivyBatch::id).toList();
        } catch (LivyHttpException e) {
            // A server that will not list batches can still take one; a lost answer is then left unknown.
            LOG.fine(() -> "GET /batches failed before POST /batches: " + e.getMessage());
            before = null;
        }
        List<String> earlier = before;
        long sent = System.nanoTime();
        try {
            return createBatch(request);
        } catch (LivyOutcomeUnknownException unknown) {
            if (earlier == null) {
                throw unknown;
            }
            return reconcile("POST /batches", "batch '" + name + "'", sent, unknown,
                    () -> batchesNamed(name).stream().filter(b -> !earlier.contains(b.id())).findFirst());
        }
    }

    /** GET /batches. */
    public BatchList listBatches(int from, int size) throws LivyException, InterruptedException {
        return get("/batches" + query("from", from, "size", size), BatchList::fromJson);
    }

    /** GET /batches/{id}; {@link LivySessionNotFoundException} when the batch is gone. */
    public LivyBatch getBatch(String batchId) throws LivyException, InterruptedException {
        return get("/batches/" + segment(batchId), LivyBatch::fromJson);
    }

    /** GET /batches/{id}/state. */
    public SessionStateInfo getBatchState(String batchId) throws LivyException, InterruptedException {
        return get("/batches/" + segment(batchId) + "/state", SessionStateInfo::fromJson);
    }

    /**
     * GET /batches/{id}/log. Null {@code from} and {@code size} mean Livy's default: the last 100 lines. Lighter
     * answers 404 until the batch's driver runs (it reads the log from there): that is an empty log, and
     * {@link #getBatch} tells whether the batch is gone.
     */
    public SessionLog getBatchLog(String batchId, Integer from, Integer size) throws LivyException, InterruptedException {
        try {
            return get("/batches/" + segment(batchId) + "/log" + query("from", from, "size", size),
                    SessionLog::fromJson).slice(from, size);
        } catch (LivySessionNotFoundException e) {
            if (settings.flavor() != ServerFlavor.LIGHTER) {
                throw e;
            }
            return new SessionLog(batchId, from == null ? 0 : from, 0, List.of());
        }
    }

    /** DELETE /batches/{id}: kills the batch if it still runs and forgets it. */
    public void deleteBatch(String batchId) throws LivyException, InterruptedException {
        send("DELETE", "/batches/" + segment(batchId), null, Retry.SAFE);
    }

    // ---- reconciliation helpers -----------------------------------------------------------------------

    /** A look at the server for what a POST with a lost answer created: empty when nothing (yet). */
    @FunctionalInterface
    private interface Lookup<T> {
        Optional<T> look() throws LivyException, InterruptedException;
    }

    /**
     * Finds out what a POST whose outcome is unknown did: looks (with the retry policy's pauses) until
     * {@code lookup} finds what it created, or until the POST can no longer land and Livy still shows
     * nothing (then {@link LivyNotCreatedException}). A POST that got no answer may still be held by a proxy
     * and land later, so it counts as landed-or-never only after twice the request timeout; one that Livy
     * answered (its own 500) is decided by the first look. When Livy cannot be asked, {@code unknown} is
     * thrown with the last failure attached.
     */
    private <T> T reconcile(String endpoint, String what, long sentNanos, LivyOutcomeUnknownException unknown,
                            Lookup<T> lookup) throws LivyException, InterruptedException {
        long settleNanos = unknown.requestEnded() ? 0 : settings.requestTimeout().multipliedBy(2).toNanos();
        LivyException lastFailure = null;
        for (int attempt = 1; ; attempt++) {
            pause(attempt, endpoint + ": outcome unknown; looking for " + what);
            boolean settled = System.nanoTime() - sentNanos >= settleNanos;
            try {
                Optional<T> found = lookup.look();
                if (found.isPresent()) {
                    return found.get();
                }
                lastFailure = null;
            } catch (LivyOutcomeUnknownException | LivySessionNotFoundException decided) {
                throw decided;
            } catch (LivyException e) {
                lastFailure = e;
            }
            if (settled) {
                if (lastFailure != null) {
                    unknown.addSuppressed(lastFailure);
                    throw unknown;
                }
                long seconds = Math.round((System.nanoTime() - sentNanos) / 1e9);
                throw new LivyNotCreatedException(unknown.endpoint(), unknown.getMessage() + "; " + seconds
                        + " s after the request Livy shows no " + what + ", so it did not act on it", unknown);
            }
        }
    }

    /** A POST that must not run twice, sent once; a 5xx other than Livy refusing for its session's state means unknown. */
    private Answer postOnce(String path, Body body) throws LivyException, InterruptedException {
        try {
            return send("POST", path, body, Retry.UNSAFE);
        } catch (LivyHttpException e) {
            if (e.status() < 500 || LivyProblems.refusedForSessionState(e)) {
                throw e;
            }
            // A proxy's 503 may come after Livy acted; even Livy's own 500 can follow a statement it created.
            throw new LivyOutcomeUnknownException(e.endpoint(), e.getMessage() + ", so it is unknown whether"
                    + " Livy acted on the request", e, e.status() == 500);
        }
    }

    private Optional<LivySession> findSessionByName(String name) throws LivyException, InterruptedException {
        return allSessions().stream().filter(s -> name.equals(s.name())).findFirst();
    }

    private List<LivySession> allSessions() throws LivyException, InterruptedException {
        List<LivySession> all = new ArrayList<>();
        while (true) {
            SessionList page = listSessions(all.size(), SESSION_PAGE);
            all.addAll(page.sessions());
            if (lastPage(page.sessions().size(), all.size(), page.total())) {
                return all;
            }
        }
    }

    private List<LivyBatch> batchesNamed(String name) throws LivyException, InterruptedException {
        List<LivyBatch> named = new ArrayList<>();
        int from = 0;
        while (true) {
            BatchList page = listBatches(from, SESSION_PAGE);
            page.batches().stream().filter(b -> name.equals(b.name())).forEach(named::add);
            from += page.batches().size();
            if (lastPage(page.batches().size(), from, page.total())) {
                return named;
            }
        }
    }

    /**
     * True when a list page ends the listing. Lighter's {@code total} counts the page, not the list, so there
     * only a page shorter than asked for is the last.
     */
    private boolean lastPage(int pageSize, int listedSoFar, int total) {
        return pageSize < SESSION_PAGE || listedSoFar >= total && settings.flavor() == ServerFlavor.LIVY;
    }

    /** The session's newest statements, newest first, also from servers that ignore order=desc. */
    private RecentStatements recentStatements(String sessionId) throws LivyException, InterruptedException {
        StatementList page = listStatements(sessionId, 0, RECENT_STATEMENTS, true);
        boolean includesOldest = page.statements().size() >= page.totalStatements();
        List<LivyStatement> statements = page.statements();
        boolean ordered = StatementMark.ordered(statements);
        boolean oldestFirst = ordered && statements.size() >= 2
                && StatementMark.order(statements.get(0).id()) < StatementMark.order(statements.get(statements.size() - 1).id());
        if (oldestFirst && !includesOldest) {
            // Livy before 0.8 ignores order=desc and returned the oldest statements: read the tail instead.
            int from = Math.max(0, page.totalStatements() - RECENT_STATEMENTS);
            statements = listStatements(sessionId, from, RECENT_STATEMENTS, false).statements();
            includesOldest = from == 0;
        }
        List<LivyStatement> newestFirst = new ArrayList<>(statements);
        if (StatementMark.ordered(newestFirst)) {
            newestFirst.sort(Comparator.comparingLong((LivyStatement s) -> StatementMark.order(s.id())).reversed());
        }
        return new RecentStatements(newestFirst, includesOldest);
    }

    /** A session's newest statements; {@code includesOldest} when they are all the statements Livy keeps. */
    private record RecentStatements(List<LivyStatement> newestFirst, boolean includesOldest) {
        /** True when every statement newer than {@code mark} is in the list. */
        boolean reachesBack(StatementMark mark) {
            return includesOldest
                    || !newestFirst.isEmpty() && mark.reachedBy(newestFirst.get(newestFirst.size() - 1).id());
        }
    }

    private void noteStatement(String sessionId, String statementId) {
        newestStatementIds.merge(sessionId, StatementMark.NONE.with(statementId), (known, seen) -> known.with(statementId));
    }

    private static boolean sameCode(String listed, String sent) {
        return listed != null && listed.replace("\r\n", "\n").equals(sent.replace("\r\n", "\n"));
    }

    // ---- HTTP -----------------------------------------------------------------------------------------

    /** What may be repeated after a failure. */
    private enum Retry {
        /** Idempotent: repeat on connection failures and HTTP 5xx. */
        SAFE,
        /** Must not run twice: repeat only when the request never reached the server. */
        UNSAFE,
        /** One attempt whatever happens. */
        NEVER
    }

    private record Body(byte[] bytes, String contentType) {
    }

    /** The text of a 2xx answer and the request it answers, e.g. "GET http://livy:8998/sessions/3". */
    private record Answer(String endpoint, String text) {
    }

    private static Body jsonBody(String json) {
        return new Body(json.getBytes(StandardCharsets.UTF_8), JSON);
    }

    private <T> T get(String pathAndQuery, Function<JsonObject, T> reader) throws LivyException, InterruptedException {
        return parse(send("GET", pathAndQuery, null, Retry.SAFE), reader);
    }

    /** Sends the request, retrying as {@code retry} allows; returns the 2xx answer. */
    private Answer send(String method, String pathAndQuery, Body body, Retry retry)
            throws LivyException, InterruptedException {
        URI uri = URI.create(settings.baseUrl() + pathAndQuery);
        String endpoint = method + " " + uri;
        String shortName = method + " " + pathAndQuery;
        int maxAttempts = retry == Retry.NEVER ? 1 : settings.retryPolicy().maxAttempts();
        boolean freshToken = false;
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            HttpRequest httpRequest = request(method, uri, body, endpoint, freshToken);
            HttpResponse<byte[]> response;
            try {
                response = http.send(httpRequest, info -> new CappedBody());
            } catch (InterruptedException e) {
                stack.unanswered(uri, httpRequest);
                throw e;
            } catch (IOException e) {
                stack.unanswered(uri, httpRequest);
                if (LivyErrors.causeOf(e, AnswerTooLarge.class) != null) {
                    throw new LivyException(endpoint, endpoint + ": the answer is larger than "
                            + MAX_ANSWER_BYTES / (1024 * 1024) + " MB, so it was not read. Livy's own answers are far"
                            + " smaller: a cell that printed that much should print less (or write it to storage),"
                            + " otherwise something other than Livy answers at this address.", e);
                }
                String why = LivyErrors.describe(e, settings.connectTimeout(), settings.requestTimeout());
                LOG.fine(() -> shortName + " failed after " + millis(started) + " ms: " + why);
                if (retry == Retry.UNSAFE && !LivyErrors.neverSent(e)) {
                    throw new LivyOutcomeUnknownException(endpoint, endpoint + ": " + why + " after the request was "
                            + "sent, so it is unknown whether Livy acted on it", e);
                }
                if (attempt >= maxAttempts || HttpFailures.isPermanent(e)) {
                    throw new LivyConnectionException(endpoint, "cannot reach Livy: " + endpoint + ": " + why
                            + (attempt > 1 ? " (gave up after " + attempt + " attempts)" : ""), e);
                }
                pause(attempt, shortName + ": " + why + "; retry " + attempt + " of " + (maxAttempts - 1));
                continue;
            }
            int status = response.statusCode();
            LOG.fine(() -> shortName + " -> " + status + " (" + millis(started) + " ms)");
            String text = new String(response.body(), charset(response));
            boolean asksNegotiate = status == 401 && SpnegoAuth.asksForNegotiate(response);
            stack.remember(uri, response);
            if (!freshToken && stack.canAnswer(response)) {
                // A 401 comes from the authentication filter in front of Livy's servlets: Livy did not act on
                // the request, so sending it again with a fresh Kerberos or bearer token cannot run anything
                // twice, not even a statement's POST. It is the same attempt, not a retry.
                freshToken = true;
                attempt--;
                continue;
            }
            freshToken = false;
            if (status >= 200 && status < 300) {
                return new Answer(endpoint, text);
            }
            if (status >= 500 && retry == Retry.SAFE && attempt < maxAttempts) {
                String summary = LivyErrors.summary(LivyErrors.livyMessage(text));
                pause(attempt, shortName + ": HTTP " + status + (summary.isEmpty() ? "" : " " + summary) + "; retry "
                        + attempt + " of " + (maxAttempts - 1));
                continue;
            }
            if (retry == Retry.UNSAFE && (status == 502 || status == 504)) {
                // Livy itself answers errors with 4xx/500; 502/504 come from a proxy that lost track of Livy.
                throw new LivyOutcomeUnknownException(endpoint, endpoint + ": HTTP " + status + " from a proxy in "
                        + "front of Livy, so it is unknown whether Livy acted on the request", null);
            }
            String bearer = stack.refusal("Livy", response, endpoint + ": HTTP " + status);
            if (bearer != null) {
                throw new LivyUnauthorizedException(endpoint, status, LivyErrors.livyMessage(text), bearer, true);
            }
            if (status == 401 || status == 403) {
                LivyUnauthorizedException kerberos = KerberosRefusals.refusal(endpoint, status,
                        LivyErrors.livyMessage(text), asksNegotiate, spnego == null ? null : spnego.principal());
                if (kerberos != null) {
                    throw kerberos;
                }
            }
            String location = response.headers().firstValue("Location").orElse(null);
            throw LivyErrors.fromResponse(endpoint, status, text, location, settings.flavor().notFoundIsGone(endpoint));
        }
    }

    private HttpRequest request(String method, URI uri, Body body, String endpoint, boolean freshToken)
            throws LivyException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Accept", JSON)
                .header("X-Requested-By", settings.requestedBy());
        String[] compatibility = settings.flavor().compatibilityHeader();
        if (compatibility != null) {
            // Lighter answers lists and logs in Livy's shapes only for clients that say they are sparkmagic.
            builder.header(compatibility[0], compatibility[1]);
        }
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.method(method, HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                    .header("Content-Type", body.contentType());
        }
        try {
            stack.prepare(builder, uri, freshToken);
        } catch (AuthenticationException e) {
            // No Kerberos: a bearer token's source failed, and the message says which and what to do.
            throw spnego != null ? new LivyKerberosException(endpoint, e.getMessage(), e.getCause())
                    : new LivyException(endpoint, e.getMessage(), e.getCause());
        }
        return builder.build();
    }

    /** Sleeps the policy's pause after failed attempt number {@code attempt}, saying why and what comes next. */
    private void pause(int attempt, String reason) throws InterruptedException {
        Duration pause = settings.retryPolicy().pauseBeforeRetry(attempt, jitterSource);
        LOG.info(() -> reason + " in " + pause.toMillis() + " ms");
        Thread.sleep(pause.toMillis());
    }

    /** An answer over {@link #MAX_ANSWER_BYTES}: reading stops there instead of filling the heap. */
    private static final class AnswerTooLarge extends IOException {
        AnswerTooLarge() {
            super("answer larger than " + MAX_ANSWER_BYTES + " bytes");
        }
    }

    /** Collects an answer's bytes, up to {@link #MAX_ANSWER_BYTES}. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                if (result.isDone()) {
                    return;
                }
                if (bytes.size() + item.remaining() > MAX_ANSWER_BYTES) {
                    subscription.cancel();
                    result.completeExceptionally(new AnswerTooLarge());
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }

    private static <T> T parse(Answer answer, Function<JsonObject, T> reader) throws LivyException {
        try {
            return reader.apply(JsonFields.parseObject(answer.text()));
        } catch (JsonParseException | IllegalStateException e) {
            String why = e instanceof JsonParseException && e.getMessage() != null ? " (" + e.getMessage() + ")" : "";
            throw new LivyException(answer.endpoint(), answer.endpoint() + ": the answer is not Livy's JSON" + why
                    + ": " + LivyErrors.excerpt(answer.text()), e);
        }
    }

    private static Charset charset(HttpResponse<?> response) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                try {
                    return Charset.forName(p.substring(8).replace("\"", ""));
                } catch (IllegalArgumentException unsupported) {
                    break;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static String statementPath(String sessionId, String statementId) {
        return "/sessions/" + segment(sessionId) + "/statements/" + segment(statementId);
    }

    /** An id as one path segment: ids are the server's opaque text, so one with a '/' must not change the path. */
    private static String segment(String id) {
        return URLEncoder.encode(String.valueOf(id), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** "?k=v&k=v" for the pairs whose value is not null; "" when there are none. */
    private static String query(Object... pairs) {
        StringJoiner joiner = new StringJoiner("&", "?", "").setEmptyValue("");
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                joiner.add(pairs[i] + "=" + URLEncoder.encode(pairs[i + 1].toString(), StandardCharsets.UTF_8));
            }
        }
        return joiner.toString();
    }

    /** A multipart/form-data body with one file part; small enough (Livy caps uploads) to build in memory. */
    private static byte[] multipart(String boundary, String field, String fileName, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 512);
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + formFileName(fileName)
                + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * The file name as a quoted-string. Names that are not plain printable ASCII use the form Livy decodes
     * itself ({@code utf-8''} + URL encoding, see InteractiveSessionServlet.resolveResourceName).
     */
    private static String formFileName(String fileName) {
        boolean plain = fileName.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\');
        return plain ? fileName : "utf-8''" + URLEncoder.encode(fileName, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "LivyClient[" + settings.baseUrl() + "]";
    }
}
