package io.livykernel.backend.livy.rest;

import static io.livykernel.backend.livy.rest.FakeLivy.dropConnection;
import static io.livykernel.backend.livy.rest.FakeLivy.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lost answers to POSTs that must not run twice: the client finds out what Livy did instead of repeating
 * blindly. The fake keeps statements and sessions like Livy does and counts what it really created.
 */
class LivyClientReconciliationTest {
    private FakeLivy livy;
    private final StatefulLivy state = new StatefulLivy();

    /** What happens to the POST with a given number (1 = the first). */
    private enum Fault {
        NONE, DROP_BEFORE_CREATING, CREATE_THEN_DROP, CREATE_THEN_STALL, CREATE_LATE,
        /** A proxy holds the POST past the client's timeout, then Livy creates it (after the client's first look). */
        STALL_THEN_CREATE,
        /** Livy creates it, then a proxy answers 503 Service Unavailable. */
        CREATE_THEN_503
    }

    @BeforeEach
    void start() throws Exception {
        livy = new FakeLivy();
        livy.handle(state::handle);
    }

    @AfterEach
    void stop() {
        livy.close();
    }

    private LivyClient client() {
        return new LivyClient(LivySettings.builder(livy.url().toString()).retryPolicy(LivyClientTest.FAST_RETRIES)
                .requestTimeout(Duration.ofMillis(500)).build());
    }

    @Test
    void happyPathIsOneRequestForASessionThisClientCreated() throws Exception {
        LivyClient client = client();
        String session = client.createSession(CreateSessionRequest.builder().kind("pyspark").name("k-1").build()).id();

        LivyStatement first = client.submitStatementExactlyOnce(session, new StatementRequest("1 + 1", null));
        LivyStatement second = client.submitStatementExactlyOnce(session, new StatementRequest("2 + 2", null));

        assertEquals(List.of("0", "1"), List.of(first.id(), second.id()));
        assertEquals(3, livy.requests().size(), "POST /sessions and one POST per statement");
    }

    @Test
    void anAttachedSessionIsListedOnceBeforeItsFirstStatement() throws Exception {
        state.addExisting("spark.range(3).count()", 5);
        LivyClient client = client();

        client.submitStatementExactlyOnce("0", new StatementRequest("1 + 1", null));
        client.submitStatementExactlyOnce("0", new StatementRequest("2 + 2", null));

        assertEquals(1, livy.count("GET", "/sessions/0/statements"));
        assertEquals(2, livy.count("POST", "/sessions/0/statements"));
    }

    @Test
    void aLostAnswerIsReconciledToTheStatementLivyCreated() throws Exception {
        state.addExisting("1 + 1", 3);
        state.fault(1, Fault.CREATE_THEN_DROP);
        LivyClient client = client();

        LivyStatement statement = client.submitStatementExactlyOnce("0", new StatementRequest("1 + 1", "pyspark"));

        assertEquals("3", statement.id(), "the new statement, not an older one with the same code");
        assertEquals(1, state.created.get(), "created exactly once");
        assertEquals(1, livy.count("POST", "/sessions/0/statements"));
    }

    @Test
    void aTimedOutPostIsReconciledToo() throws Exception {
        state.fault(2, Fault.CREATE_THEN_STALL);
        LivyClient client = client();
        client.createSession(CreateSessionRequest.builder().name("k-2").build());

        LivyStatement statement = client.submitStatementExactlyOnce("0", new StatementRequest("x = 1", null));

        assertEquals("0", statement.id());
        assertEquals(1, state.created.get());
        assertEquals(1, livy.count("POST", "/sessions/0/statements"));
    }

    @Test
    void aPostThatNeverLandedIsNotSentAgainButReportedAsNotRun() throws Exception {
        state.addExisting("other", 2);
        state.fault(1, Fault.DROP_BEFORE_CREATING);
        LivyClient client = client();

        LivyNotCreatedException e = assertThrows(LivyNotCreatedException.class,
                () -> client.submitStatementExactlyOnce("0", new StatementRequest("1 + 1", null)));

        assertEquals(0, state.created.get());
        assertEquals(1, livy.count("POST", "/sessions/0/statements"), "never sent a second time");
        assertTrue(e.getMessage().contains("did not act on it"), e.getMessage());
    }

    @Test
    void aSlowPostThatLandsAfterTheFirstLookIsFoundNotSentAgain() throws Exception {
        // Issue 11 item 1: the POST outlasts the request timeout in a proxy; the first look finds nothing yet.
        state.addExisting("L.append(1)", 1);
        state.fault(1, Fault.STALL_THEN_CREATE);
        LivyClient client = client();

        LivyStatement statement = client.submitStatementExactlyOnce("0", new StatementRequest("L.append(1)", null));

        assertEquals("1", statement.id());
        assertEquals(1, state.created.get(), "created exactly once");
        assertEquals(1, livy.count("POST", "/sessions/0/statements"));
    }

    @Test
    void a503AfterLivyCreatedTheStatementIsReconciledNotReportedAsRefused() throws Exception {
        // Issue 11 item 2.
        state.fault(1, Fault.CREATE_THEN_503);
        LivyClient client = client();

        LivyStatement statement = client.submitStatementExactlyOnce("0", new StatementRequest("x += 1", null));

        assertEquals("0", statement.id());
        assertEquals(1, state.created.get());
        assertEquals(1, livy.count("POST", "/sessions/0/statements"));
    }

    @Test
    void livyRefusingForADeadSessionIsNotAnUnknownOutcome() throws Exception {
        state.sessionDead = true;
        LivyClient client = client();

        LivyHttpException e = assertThrows(LivyHttpException.class,
                () -> client.submitStatementExactlyOnce("0", new StatementRequest("1", null)));

        assertEquals("Livy reports it dead", LivyProblems.sessionGone("0", e),
                "the Spark session's end, not a lost answer");
        assertEquals(1, livy.count("POST", "/sessions/0/statements"));
    }

    @Test
    void a503AfterLivyCreatedTheSessionFindsItInsteadOfOrphaningIt() throws Exception {
        // Issue 11 item 3.
        state.fault(1, Fault.CREATE_THEN_503);
        LivyClient client = client();

        LivySession session = client.createSessionExactlyOnce(CreateSessionRequest.builder().name("kernel-503").build());

        assertEquals("kernel-503", session.name());
        assertEquals(1, state.sessions.size(), "no second session");
    }

    @Test
    void aSessionThatAppearsAfterTheKernelGaveUpIsDeletedByName() throws Exception {
        state.sessions.add("someone-else");
        state.sessions.add("kernel-orphan");
        LivyClient client = client();

        assertEquals(List.of("1"), client.deleteSessionsNamed("kernel-orphan"));
        assertEquals(1, livy.count("DELETE", "/sessions/"));
        assertEquals(1, livy.count("DELETE", "/sessions/1"));
    }

    @Test
    void aBatchWhoseAnswerIsLostIsFoundByItsNameNotSentTwice() throws Exception {
        // Issue 11 item 7: a 40 s POST that Livy processes late, and an older batch of the same name.
        state.batches.add("nightly");
        state.fault(1, Fault.STALL_THEN_CREATE);
        LivyClient client = client();

        LivyBatch batch = client.createBatchExactlyOnce(CreateBatchRequest.builder("/jobs/pi.py").name("nightly").build());

        assertEquals("1", batch.id(), "the new batch, not the earlier one of the same name");
        assertEquals(2, state.batches.size());
        assertEquals(1, livy.count("POST", "/batches"));
    }

    @Test
    void aBatchPostAnswered503AfterLivyCreatedItIsFound() throws Exception {
        state.fault(1, Fault.CREATE_THEN_503);
        LivyClient client = client();

        LivyBatch batch = client.createBatchExactlyOnce(CreateBatchRequest.builder("/jobs/pi.py").name("pi-1").build());

        assertEquals("0", batch.id());
        assertEquals(1, livy.count("POST", "/batches"));
    }

    @Test
    void aBatchPostWhoseOutcomeCannotBeCheckedStaysUnknown() throws Exception {
        state.fault(1, Fault.CREATE_THEN_DROP);
        LivyClient client = client();
        state.listingsFailAfterAPost = true;

        assertThrows(LivyOutcomeUnknownException.class,
                () -> client.createBatchExactlyOnce(CreateBatchRequest.builder("/jobs/pi.py").name("pi-2").build()));
        assertEquals(1, livy.count("POST", "/batches"));
    }

    @Test
    void serversIgnoringOrderDescAreReadFromTheTail() throws Exception {
        // Livy before 0.8 ignores order=desc; 30 statements with our very code must not fool the check.
        state.ignoresOrder = true;
        state.addExisting("1 + 1", 30);
        state.fault(1, Fault.CREATE_THEN_DROP);
        LivyClient client = client();

        LivyStatement statement = client.submitStatementExactlyOnce("0", new StatementRequest("1 + 1", null));

        assertEquals("30", statement.id());
        assertEquals(1, state.created.get());
        assertTrue(livy.requests().stream().anyMatch(r -> "from=10&size=20".equals(r.query())),
                "read the newest 20 in ascending order");
    }

    @Test
    void whenLivyCannotBeAskedTheOutcomeStaysUnknown() throws Exception {
        state.fault(2, Fault.CREATE_THEN_DROP);
        LivyClient client = client();
        client.createSession(CreateSessionRequest.builder().name("k-3").build());
        state.listingsFail = true;

        LivyOutcomeUnknownException e = assertThrows(LivyOutcomeUnknownException.class,
                () -> client.submitStatementExactlyOnce("0", new StatementRequest("1 + 1", null)));

        assertEquals(1, state.created.get());
        assertEquals(1, livy.count("POST", "/sessions/0/statements"));
        assertEquals(1, e.getSuppressed().length, "the failed check is attached");
    }

    @Test
    void sessionCreationWithALostAnswerFindsTheSessionByName() throws Exception {
        state.fault(1, Fault.CREATE_THEN_DROP);
        LivyClient client = client();

        LivySession session = client.createSessionExactlyOnce(
                CreateSessionRequest.builder().kind("pyspark").name("kernel-7f3a").build());

        assertEquals("kernel-7f3a", session.name());
        assertEquals(1, state.sessions.size());
        assertEquals(1, livy.count("POST", "/sessions"));
        // The session came from our POST: the next statement needs no listing.
        client.submitStatementExactlyOnce(session.id(), new StatementRequest("1", null));
        assertEquals(0, livy.count("GET", "/sessions/0/statements"));
    }

    @Test
    void sessionCreationLandingLateIsCaughtByLivysDuplicateNameCheck() throws Exception {
        state.fault(1, Fault.CREATE_LATE);
        LivyClient client = client();

        LivySession session = client.createSessionExactlyOnce(
                CreateSessionRequest.builder().name("kernel-late").build());

        assertEquals("kernel-late", session.name());
        assertEquals(1, state.sessions.size(), "no twin");
        assertEquals(2, livy.count("POST", "/sessions"));
    }

    @Test
    void sessionCreationRefusedForADuplicateNameOnTheFirstTryIsTheCallersProblem() throws Exception {
        LivyClient client = client();
        client.createSession(CreateSessionRequest.builder().name("taken").build());

        LivyHttpException e = assertThrows(LivyHttpException.class,
                () -> client.createSessionExactlyOnce(CreateSessionRequest.builder().name("taken").build()));
        assertEquals(400, e.status());
        assertTrue(e.livyMessage().contains("Duplicate session name"));
    }

    /** Livy's bookkeeping of sessions (session 0, 1, ...) and of session 0's statements, with injected faults. */
    private static final class StatefulLivy {
        final List<JsonObject> statements = new CopyOnWriteArrayList<>();
        final List<String> sessions = new CopyOnWriteArrayList<>();
        final List<String> batches = new CopyOnWriteArrayList<>();
        final AtomicInteger created = new AtomicInteger();
        final Map<Integer, Fault> faults = new ConcurrentHashMap<>();
        final AtomicInteger posts = new AtomicInteger();
        volatile boolean ignoresOrder;
        volatile boolean listingsFail;
        volatile boolean sessionDead;
        volatile boolean listingsFailAfterAPost;
        private volatile String lateSession;

        void fault(int post, Fault fault) {
            faults.put(post, fault);
        }

        /** Statements that were there before the test: not counted as created. */
        void addExisting(String code, int count) {
            for (int i = 0; i < count; i++) {
                statements.add(statement(code));
            }
        }

        void handle(FakeLivy.Request request, HttpExchange exchange) throws Exception {
            String route = request.method() + " " + request.path();
            if (route.equals("POST /sessions/0/statements") && sessionDead) {
                reply(exchange, 500, "\"java.lang.IllegalStateException: Session is in state dead\"");
                return;
            }
            if (route.equals("POST /sessions") || route.equals("POST /sessions/0/statements")
                    || route.equals("POST /batches")) {
                Fault fault = faults.getOrDefault(posts.incrementAndGet(), Fault.NONE);
                listingsFail |= listingsFailAfterAPost;
                if (fault == Fault.DROP_BEFORE_CREATING) {
                    throw dropConnection();
                }
                if (fault == Fault.STALL_THEN_CREATE) {
                    Thread.sleep(700);
                }
                JsonObject body = JsonParser.parseString(request.bodyText()).getAsJsonObject();
                if (fault == Fault.CREATE_LATE) {
                    lateSession = body.get("name").getAsString();
                    throw dropConnection();
                }
                String answer = route.equals("POST /sessions") ? createSession(body)
                        : route.equals("POST /batches") ? createBatch(body) : createStatement(body);
                if (answer == null) {
                    reply(exchange, 400, "{\"msg\":\"Rejected, Reason: Duplicate session name: Some("
                            + body.get("name").getAsString() + ") for session 9\"}");
                    return;
                }
                if (fault == Fault.CREATE_THEN_DROP) {
                    throw dropConnection();
                }
                if (fault == Fault.CREATE_THEN_STALL) {
                    Thread.sleep(1500);
                }
                if (fault == Fault.STALL_THEN_CREATE) {
                    throw dropConnection();
                }
                if (fault == Fault.CREATE_THEN_503) {
                    reply(exchange, 503, "text/html", "<html><title>503 Service Unavailable</title></html>");
                    return;
                }
                reply(exchange, 201, answer);
            } else if (route.equals("GET /sessions")) {
                list(sessions, exchange);
            } else if (route.equals("GET /batches")) {
                if (listingsFail) {
                    reply(exchange, 500, "\"java.lang.RuntimeException: down\"");
                    return;
                }
                list(batches, exchange);
            } else if (route.startsWith("DELETE /sessions/")) {
                reply(exchange, 200, "{\"msg\":\"deleted\"}");
            } else if (route.equals("GET /sessions/0/statements")) {
                if (listingsFail) {
                    reply(exchange, 500, "\"java.lang.RuntimeException: down\"");
                    return;
                }
                listStatements(request.query(), exchange);
            } else {
                reply(exchange, 404, "{\"msg\":\"Session '" + request.path() + "' not found.\"}");
            }
        }

        private String createSession(JsonObject body) {
            if (lateSession != null) {
                // The first POST's session shows up only now, after the client looked for it.
                sessions.add(lateSession);
                lateSession = null;
            }
            String name = body.has("name") ? body.get("name").getAsString() : null;
            if (name != null && sessions.contains(name)) {
                return null;
            }
            sessions.add(name);
            return session(sessions.size() - 1).toString();
        }

        private JsonObject session(int id) {
            JsonObject s = named(id, sessions);
            s.addProperty("kind", "pyspark");
            return s;
        }

        private String createBatch(JsonObject body) {
            batches.add(body.get("name").getAsString());
            return named(batches.size() - 1, batches).toString();
        }

        /** A session or batch: Livy lists both as {"id", "name", "state", ...}. */
        private static JsonObject named(int id, List<String> names) {
            JsonObject o = new JsonObject();
            o.addProperty("id", id);
            o.addProperty("name", names.get(id));
            o.addProperty("state", "starting");
            return o;
        }

        /** GET /sessions or GET /batches: one page with all of them (Livy names the array "sessions" for both). */
        private void list(List<String> names, HttpExchange exchange) throws IOException {
            JsonArray all = new JsonArray();
            for (int id = 0; id < names.size(); id++) {
                all.add(names == sessions ? session(id) : named(id, names));
            }
            JsonObject page = new JsonObject();
            page.addProperty("from", 0);
            page.addProperty("total", names.size());
            page.add("sessions", all);
            reply(exchange, 200, page.toString());
        }

        private String createStatement(JsonObject body) {
            JsonObject s = statement(body.get("code").getAsString());
            statements.add(s);
            created.incrementAndGet();
            return s.toString();
        }

        private JsonObject statement(String code) {
            JsonObject s = new JsonObject();
            s.addProperty("id", statements.size());
            s.addProperty("code", code);
            s.addProperty("state", "waiting");
            s.add("output", null);
            s.addProperty("progress", 0.0);
            return s;
        }

        /** Livy's paging: from/size over the list, reversed first for order=desc (unless too old for that). */
        private void listStatements(String query, HttpExchange exchange) throws IOException {
            Map<String, String> params = new HashMap<>();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(kv[0], kv[1]);
            }
            List<JsonObject> ordered = new ArrayList<>(statements);
            if ("desc".equals(params.get("order")) && !ignoresOrder) {
                Collections.reverse(ordered);
            }
            int from = Integer.parseInt(params.getOrDefault("from", "0"));
            int size = Integer.parseInt(params.getOrDefault("size", String.valueOf(ordered.size())));
            JsonArray page = new JsonArray();
            ordered.subList(Math.min(from, ordered.size()), Math.min(from + size, ordered.size())).forEach(page::add);
            JsonObject answer = new JsonObject();
            answer.addProperty("total_statements", ordered.size());
            answer.add("statements", page);
            reply(exchange, 200, answer.toString());
        }
    }
}
