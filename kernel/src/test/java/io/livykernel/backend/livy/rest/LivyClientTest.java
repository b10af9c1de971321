package io.livykernel.backend.livy.rest;

import static io.livykernel.backend.livy.rest.FakeLivy.dropConnection;
import static io.livykernel.backend.livy.rest.FakeLivy.reply;
import static io.livykernel.backend.livy.rest.FakeLivy.replySample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livykernel.http.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LivyClient against a loopback server: headers, parsing, retries, error mapping, timeouts. */
public class LivyClientTest {
    public static final RetryPolicy FAST_RETRIES = new RetryPolicy(4, List.of(Duration.ofMillis(10)), 0);

    private FakeLivy livy;

    @BeforeEach
    void start() throws Exception {
        livy = new FakeLivy();
    }

    @AfterEach
    void stop() {
        livy.close();
    }

    private LivySettings.Builder settings() {
        return LivySettings.builder(livy.url().toString()).retryPolicy(FAST_RETRIES)
                .requestTimeout(Duration.ofSeconds(5));
    }

    private LivyClient client() {
        return new LivyClient(settings().build());
    }

    @Test
    void idsAreOpaqueTextSuchAsLightersUuids() throws Exception {
        final String session = "6f1c3b2e-8a4d-4c1e-9b7a-2d5e0f3a9c41";
        final String statement = "0d9e7c4a-51b2-4f7e-a3c8-9e2b6d1f5a70";
        livy.handle((request, exchange) -> reply(exchange, 201, switch (request.method() + " " + request.path()) {
            case "POST /sessions" -> "{\"id\":\"" + session + "\",\"state\":\"not_started\",\"kind\":\"pyspark\"}";
            case "POST /sessions/" + session + "/statements" -> "{\"id\":\"" + statement + "\",\"code\":\"1 + 1\","
                    + "\"state\":\"waiting\"}";
            default -> "{\"id\":\"" + statement + "\",\"code\":\"1 + 1\",\"state\":\"available\","
                    + "\"output\":{\"status\":\"ok\",\"execution_count\":1,\"data\":{\"text/plain\":\"2\"}}}";
        }));
        LivyClient client = client();

        String created = client.createSession(CreateSessionRequest.builder().kind("pyspark").build()).id();
        String posted = client.submitStatement(created, new StatementRequest("1 + 1", null)).id();
        LivyStatement done = client.getStatement(created, posted);

        assertEquals(session, created);
        assertEquals(statement, done.id());
        assertEquals(StatementState.AVAILABLE, done.state());
        assertEquals("/sessions/" + session + "/statements/" + statement, livy.requests().get(2).path());
    }

    @Test
    void lighterIsAskedForSparkmagicShapesAndItsOwnShapesAreReadToo() throws Exception {
        final String one = "6f1c3b2e-8a4d-4c1e-9b7a-2d5e0f3a9c41";
        livy.handle((request, exchange) -> reply(exchange, 200, switch (request.method() + " " + request.path()) {
            // application/ApplicationList.java: "applications", and "total" is the size of the page
            case "GET /batches" -> "{\"from\":0,\"total\":1,\"applications\":[{\"id\":\"" + one
                    + "\",\"state\":\"success\"}]}";
            // rest/BatchController.java getLog: one text, whatever from and size were asked
            case "GET /batches/" + one + "/log" -> "{\"id\":\"" + one + "\",\"log\":\"a\\nb\\nc\"}";
            default -> "{\"id\":\"" + one + "\",\"state\":\"idle\",\"kind\":\"pyspark\"}";
        }));
        LivyClient client = new LivyClient(settings().flavor(ServerFlavor.LIGHTER).build());

        assertEquals(one, client.listBatches(0, 100).batches().get(0).id());
        assertEquals(List.of("b", "c"), client.getBatchLog(one, 1, 100).log());
        client.connectSession(one);

        assertEquals("sparkmagic", livy.requests().get(0).header("X-Compatibility-Mode"));
        assertEquals("GET /sessions/" + one, livy.requests().get(2).method() + " " + livy.requests().get(2).path(),
                "Lighter has no /connect: the keep-alive reads the session");
    }

    @Test
    void lightersBatchesAreSentInItsWordsAndReadBackFromItsApplications() throws Exception {
        final String one = "6f1c3b2e-8a4d-4c1e-9b7a-2d5e0f3a9c41";
        final String notFound = "{\"message\":\"Not Found\",\"path\":\"/lighter/api/batches/x\",\"errors\":[]}";
        AtomicInteger logReads = new AtomicInteger();
        livy.handle((request, exchange) -> {
            switch (request.method() + " " + request.path()) {
                // rest/BatchController.java create: 200 and the Application, its name inside submitParams
                case "POST /batches" -> reply(exchange, 200, "{\"id\":\"" + one + "\",\"type\":\"BATCH\","
                        + "\"state\":\"not_started\",\"appId\":null,\"appInfo\":null,\"log\":[],"
                        + "\"submitParams\":{\"name\":\"nightly\",\"file\":\"app.jar\"}}");
                // getLog: 404 (ErrorResponse) until the driver runs, then the driver's log as one text
                case "GET /batches/" + one + "/log" -> reply(exchange, logReads.getAndIncrement() == 0 ? 404 : 200,
                        logReads.get() == 1 ? notFound : "{\"id\":\"" + one + "\",\"log\":\"a\\nb\\n\"}");
                default -> reply(exchange, 404, notFound);   // an id it does not know: a bare 404
            }
        });
        LivyClient client = new LivyClient(settings().flavor(ServerFlavor.LIGHTER).build());

        LivyBatch batch = client.createBatch(CreateBatchRequest.builder("app.jar").className("org.example.Pi")
                .queue("etl").name("nightly").build());

        assertEquals("nightly", batch.name());
        assertEquals(SessionState.NOT_STARTED, batch.state());
        JsonObject sent = JsonParser.parseString(livy.requests().get(0).bodyText()).getAsJsonObject();
        assertEquals("org.example.Pi", sent.get("mainClass").getAsString(), "BatchParams call it mainClass");
        assertEquals("etl", sent.getAsJsonObject("conf").get("spark.yarn.queue").getAsString());
        assertFalse(sent.has("className") || sent.has("queue"));
        assertEquals(List.of(), client.getBatchLog(one, 0, 100).log(), "no driver yet: no log, not an error");
        assertEquals(List.of("a", "b"), client.getBatchLog(one, 0, 100).log(), "the final newline ends line b");
        assertThrows(LivySessionNotFoundException.class, () -> client.getBatch("0d9e7c4a-51b2-4f7e-a3c8-9e2b6d1f5a70"));
        assertTrue(ServerFlavor.LIGHTER.refusesBatch(CreateBatchRequest.builder("a.py").proxyUser("bob").build())
                .contains("proxy user 'bob'"));
        assertNull(ServerFlavor.LIVY.refusesBatch(CreateBatchRequest.builder("a.py").proxyUser("bob").build()));
    }

    @Test
    void livysNumericIdsAreReadAsTheDigitsItSent() throws Exception {
        livy.handle((request, exchange) -> reply(exchange, 200, "{\"id\":0,\"state\":\"idle\"}"));

        assertEquals("0", client().getSessionState("0").id());
    }

    @Test
    void everyRequestCarriesCsrfAuthAndCustomHeaders() throws Exception {
        livy.handle((request, exchange) -> replySample(exchange, request.method().equals("GET")
                ? "098-get-session-idle-full.json" : "007-stmt-count-post.json"));
        LivyClient client = new LivyClient(settings().basicAuth("alice", "s3cret")
                .header("X-Gateway-Token", "tok").build());

        LivySession session = client.getSession("0");
        client.submitStatement("0", new StatementRequest("spark.range(10).count()", "pyspark"));

        assertEquals(SessionState.IDLE, session.state());
        String basic = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
        for (FakeLivy.Request r : livy.requests()) {
            assertEquals("livy-kernel", r.header("X-Requested-By"), r.method());
            assertEquals(basic, r.header("Authorization"), r.method());
            assertEquals("tok", r.header("X-Gateway-Token"), r.method());
            assertEquals("application/json", r.header("Accept"), r.method());
        }
        FakeLivy.Request post = livy.requests().get(1);
        assertEquals("/sessions/0/statements", post.path());
        assertEquals("application/json", post.header("Content-Type"));
        assertEquals(JsonParser.parseString("{\"code\":\"spark.range(10).count()\",\"kind\":\"pyspark\"}"),
                JsonParser.parseString(post.bodyText()));
    }

    @Test
    void credentialsInTheUrlBecomeBasicAuthAndLeaveTheUrl() throws Exception {
        livy.handle((request, exchange) -> replySample(exchange, "099-version.json"));
        String url = "http://bob:hun%3Ater2@127.0.0.1:" + livy.url().getPort() + "/";
        LivyClient client = new LivyClient(LivySettings.builder(url).build());

        assertEquals("0.10.0-incubating-SNAPSHOT", client.getVersion().version());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("bob:hun:ter2".getBytes(StandardCharsets.UTF_8)),
                livy.requests().get(0).header("Authorization"));
        assertEquals("/version", livy.requests().get(0).path());
        assertEquals(livy.url(), client.settings().baseUrl());
        assertFalse(client.settings().toString().contains("hun"));
    }

    @Test
    void baseUrlPathPrefixIsKept() throws Exception {
        livy.handle((request, exchange) -> replySample(exchange, "006-get-session-state-endpoint.json"));
        LivyClient client = new LivyClient(LivySettings.builder(livy.url() + "/gateway/livy/").build());

        assertEquals(SessionState.IDLE, client.getSessionState("0").state());
        assertEquals("/gateway/livy/sessions/0/state", livy.requests().get(0).path());
    }

    @Test
    void getIsRetriedAfterServerErrorsThenSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        livy.handle((request, exchange) -> {
            switch (calls.incrementAndGet()) {
                case 1 -> reply(exchange, 503, "text/html", "<html><title>Service Unavailable</title></html>");
                case 2 -> reply(exchange, 500, "\"java.lang.IllegalStateException: not yet\"");
                default -> replySample(exchange, "098-get-session-idle-full.json");
            }
        });

        assertEquals(SessionState.IDLE, client().getSession("0").state());
        assertEquals(3, livy.count("GET", "/sessions/0"));
    }

    @Test
    void getIsRetriedAfterTheConnectionDropsThenSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        livy.handle((request, exchange) -> {
            if (calls.incrementAndGet() == 1) {
                throw dropConnection();
            }
            replySample(exchange, "092-list-statements.json");
        });

        assertEquals(27, client().listStatements("0", 0, 100, false).totalStatements());
        assertEquals(2, livy.count("GET", "/sessions/0/statements"));
        assertEquals("from=0&size=100", livy.requests().get(1).query());
    }

    @Test
    void retriesStopAtTheConfiguredAttempts() {
        livy.handle((request, exchange) -> reply(exchange, 500, "\"java.lang.RuntimeException: broken\"\n"));
        LivyHttpException failure = assertThrows(LivyHttpException.class, () -> client().getSessionState("3"));
        assertEquals(500, failure.status());
        assertEquals(FAST_RETRIES.maxAttempts(), livy.count("GET", "/sessions/3/state"));

        livy.handle((request, exchange) -> {
            throw dropConnection();
        });
        LivyConnectionException dropped = assertThrows(LivyConnectionException.class, () -> client().getBatch("1"));
        assertTrue(dropped.getMessage().contains("gave up after 4 attempts"), dropped.getMessage());
        assertTrue(dropped.getMessage().startsWith("cannot reach Livy: GET " + livy.url() + "/batches/1"));
    }

    @Test
    void idempotentPostsAreRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        livy.handle((request, exchange) -> {
            if (calls.incrementAndGet() % 2 == 1) {
                reply(exchange, 503, "");
            } else if (request.path().endsWith("/cancel")) {
                replySample(exchange, "073-cancel-running-post.json");
            } else {
                replySample(exchange, "098-get-session-idle-full.json");
            }
        });
        LivyClient client = client();

        client.cancelStatement("0", "22");
        assertEquals(SessionState.IDLE, client.connectSession("0").state());
        assertEquals(2, livy.count("POST", "/sessions/0/statements/22/cancel"));
        assertEquals(2, livy.count("POST", "/sessions/0/connect"));
    }

    @Test
    void statementPostIsNeverRepeatedBlindly() {
        livy.handle((request, exchange) -> {
            throw dropConnection();
        });
        LivyOutcomeUnknownException e = assertThrows(LivyOutcomeUnknownException.class,
                () -> client().submitStatement("0", new StatementRequest("1 + 1", null)));

        assertEquals(1, livy.count("POST", "/sessions/0/statements"));
        assertTrue(e.getMessage().contains("unknown whether Livy acted on it"), e.getMessage());
        assertEquals("POST " + livy.url() + "/sessions/0/statements", e.endpoint());
    }

    @Test
    void livysOwnServerErrorOnAPostIsAnAnswerNotAnUnknown() {
        livy.handle((request, exchange) -> replySample(exchange, "101-stmt-post-while-starting.json"));
        LivyHttpException e = assertThrows(LivyHttpException.class,
                () -> client().submitStatement("1", new StatementRequest("'queued during startup'", null)));
        assertEquals(500, e.status());
        assertTrue(e.getMessage().endsWith("Session is in state starting"), e.getMessage());
        assertEquals(1, livy.requests().size());
    }

    @Test
    void aProxyTimeoutOnAPostLeavesTheOutcomeUnknown() {
        livy.handle((request, exchange) -> reply(exchange, 504, "text/html", "<title>Gateway Timeout</title>"));
        assertThrows(LivyOutcomeUnknownException.class,
                () -> client().createBatch(CreateBatchRequest.builder("/jobs/pi.py").build()));
        assertEquals(1, livy.requests().size());
    }

    @Test
    void missingSessionIsSessionNotFound() throws Exception {
        livy.handle((request, exchange) -> {
            if (request.path().startsWith("/sessions/1/statements/")) {
                replySample(exchange, "123-err-get-unknown-statement.json");
            } else {
                replySample(exchange, "116-err-get-unknown-session.json");
            }
        });
        LivyClient client = client();

        LivySessionNotFoundException gone = assertThrows(LivySessionNotFoundException.class,
                () -> client.getSession("999"));
        assertEquals("Session '999' not found.", gone.livyMessage());
        assertTrue(gone.getMessage().contains("GET " + livy.url() + "/sessions/999"), gone.getMessage());
        assertThrows(LivySessionNotFoundException.class, () -> client.deleteSession("999"));
        assertFalse(client.deleteSessionQuietly("999"));
        assertThrows(LivySessionNotFoundException.class, () -> client.getBatchLog("999", null, null));

        LivyHttpException noStatement = assertThrows(LivyHttpException.class, () -> client.getStatement("1", "999"));
        assertEquals(LivyHttpException.class, noStatement.getClass());
        assertEquals(404, noStatement.status());
        // 404s are answers: never retried.
        assertEquals(1, livy.count("GET", "/sessions/999"));
    }

    @Test
    void deleteSessionQuietlyReportsADeletion() throws Exception {
        livy.handle((request, exchange) -> replySample(exchange, "135-delete-session.json"));
        assertTrue(client().deleteSessionQuietly("0"));
        assertEquals("DELETE", livy.requests().get(0).method());
    }

    @Test
    void unauthorizedAndCsrfRefusals() {
        livy.handle((request, exchange) -> reply(exchange, 401, "text/html",
                "<html><head><title>Error 401 Unauthorized</title></head></html>"));
        LivyUnauthorizedException denied = assertThrows(LivyUnauthorizedException.class,
                () -> client().listSessions(0, 10));
        assertEquals(401, denied.status());
        assertTrue(denied.getMessage().contains("user name and password"));

        livy.handle((request, exchange) -> replySample(exchange, "176-csrf-post-session-no-header.json"));
        LivyCsrfException csrf = assertThrows(LivyCsrfException.class,
                () -> client().createSession(CreateSessionRequest.builder().kind("pyspark").build()));
        assertTrue(csrf.getMessage().contains("X-Requested-By"));
    }

    @Test
    void requestTimeoutIsHonoured() {
        livy.handle((request, exchange) -> {
            Thread.sleep(3000);
            replySample(exchange, "098-get-session-idle-full.json");
        });
        LivyClient client = new LivyClient(settings().requestTimeout(Duration.ofMillis(200))
                .retryPolicy(RetryPolicy.none()).build());

        long started = System.nanoTime();
        LivyConnectionException e = assertThrows(LivyConnectionException.class, () -> client.getSession("0"));
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(elapsedMillis < 1500, "took " + elapsedMillis + " ms");
        assertTrue(e.getMessage().contains("no response within 200 ms"), e.getMessage());
    }

    @Test
    void refusedConnectionsAreRetriedEvenForPostsBecauseNothingWasSent() throws Exception {
        String url = livy.url().toString();
        livy.close();
        LivyClient client = new LivyClient(LivySettings.builder(url).retryPolicy(FAST_RETRIES).build());

        LivyConnectionException e = assertThrows(LivyConnectionException.class,
                () -> client.createSession(CreateSessionRequest.builder().name("n").build()));
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
        assertTrue(e.getMessage().contains("gave up after 4 attempts"), e.getMessage());
    }

    @Test
    void completionIsTriedOnce() throws Exception {
        livy.handle((request, exchange) -> replySample(exchange, "090-completion-no-kind.json"));
        LivyClient client = client();
        LivyHttpException e = assertThrows(LivyHttpException.class,
                () -> client.complete("0", new CompletionRequest("spark.ran", "pyspark", 9)));
        assertEquals(1, livy.requests().size());
        assertTrue(e.getMessage().endsWith("Invalid kind: null"));

        livy.handle((request, exchange) -> replySample(exchange, "088-completion-scala.json"));
        assertEquals(List.of("parallelize"),
                client.complete("0", new CompletionRequest("sc.paral", "spark", 8)).candidates());
        assertEquals(JsonParser.parseString("{\"code\":\"sc.paral\",\"kind\":\"spark\",\"cursor\":8}"),
                JsonParser.parseString(livy.requests().get(1).bodyText()));
    }

    @Test
    void queryParametersOfLogsAndLists() throws Exception {
        livy.handle((request, exchange) -> replySample(exchange, switch (request.path()) {
            case "/sessions/0/log" -> "095-session-log-from0-size20.json";
            case "/sessions/0/statements" -> "093-list-statements-desc-paged.json";
            case "/sessions" -> "097-list-sessions.json";
            default -> "130-err-get-unknown-path.json";
        }));
        LivyClient client = client();

        assertEquals(20, client.getSessionLog("0", 0, 20).log().size());
        client.getSessionLog("0", null, null);
        client.getSessionLog("0", null, 5);
        assertEquals(List.of("26", "25"), client.listStatements("0", 0, 2, true).statements().stream()
                .map(LivyStatement::id).toList());
        assertEquals(1, client.listSessions(0, 100).total());

        List<String> queries = livy.requests().stream().map(FakeLivy.Request::query).toList();
        assertEquals("from=0&size=20", queries.get(0));
        assertNull(queries.get(1));
        assertEquals("size=5", queries.get(2));
        assertEquals("order=desc&from=0&size=2", queries.get(3));
        assertEquals("from=0&size=100", queries.get(4));
    }

    @Test
    void batchEndpointsReplayRecordedAnswers() throws Exception {
        livy.handle((request, exchange) -> replySample(exchange, switch (request.method() + " "
                + request.pathAndQuery()) {
            case "POST /batches" -> "139-batch-pi-post.json";
            case "GET /batches?from=0&size=10" -> "145-list-batches.json";
            case "GET /batches/0" -> "141-batch-pi-get-success.json";
            case "GET /batches/0/state" -> "143-batch-pi-state.json";
            case "GET /batches/0/log?from=0&size=400" -> "144-batch-pi-log.json";
            case "DELETE /batches/0" -> "158-delete-batch.json";
            default -> "130-err-get-unknown-path.json";
        }));
        LivyClient client = client();

        CreateBatchRequest request = CreateBatchRequest.builder("/opt/spark-env/batch-files/pi.py").args(List.of("4"))
                .name("sampler-batch-pi").conf(Map.of("spark.sql.shuffle.partitions", "4")).driverMemory("1g").build();
        assertEquals(SessionState.STARTING, client.createBatch(request).state());
        assertEquals(JsonParser.parseString(LivySamples.read("139-batch-pi-post.json").getAsJsonObject("request")
                .get("body").getAsString()), JsonParser.parseString(livy.requests().get(0).bodyText()));
        assertEquals(1, client.listBatches(0, 10).total());
        assertEquals(SessionState.SUCCESS, client.getBatch("0").state());
        assertEquals(SessionState.SUCCESS, client.getBatchState("0").state());
        assertEquals(149, client.getBatchLog("0", 0, 400).total());
        client.deleteBatch("0");
        assertEquals(6, livy.requests().size());
    }

    @Test
    void uploadSendsOneMultipartFilePart() throws Exception {
        livy.handle((request, exchange) -> reply(exchange, 200, null, ""));
        LivyClient client = client();
        byte[] jar = {'P', 'K', 3, 4, 0, (byte) 0xff, '\r', '\n'};

        client.upload("0", UploadKind.JAR, "udfs.jar", jar);
        client.upload("0", UploadKind.PY_FILE, "données.py", "x = 1\n".getBytes(StandardCharsets.UTF_8));

        FakeLivy.Request first = livy.requests().get(0);
        assertEquals("/sessions/0/upload-jar", first.path());
        String contentType = first.header("Content-Type");
        assertTrue(contentType.startsWith("multipart/form-data; boundary="), contentType);
        String boundary = contentType.substring(contentType.indexOf('=') + 1);
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"jar\"; filename=\"udfs.jar\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        byte[] expected = concat(head.getBytes(StandardCharsets.US_ASCII), jar,
                tail.getBytes(StandardCharsets.US_ASCII));
        assertEquals(new String(expected, StandardCharsets.ISO_8859_1),
                new String(first.body(), StandardCharsets.ISO_8859_1));

        FakeLivy.Request second = livy.requests().get(1);
        assertEquals("/sessions/0/upload-pyfile", second.path());
        assertTrue(second.bodyText().contains("name=\"file\"; filename=\"utf-8''donn%C3%A9es.py\""), second.bodyText());
    }

    @Test
    void anAnswerThatIsNotLivyJsonIsReported() {
        livy.handle((request, exchange) -> reply(exchange, 200, "text/html", "<html><title>Sign in</title></html>"));
        LivyException e = assertThrows(LivyException.class, () -> client().getSession("0"));
        assertEquals(LivyException.class, e.getClass());
        assertTrue(e.getMessage().contains("not Livy's JSON"), e.getMessage());

        livy.handle((request, exchange) -> {
            exchange.getResponseHeaders().set("Location", "https://sso.example.com/login?token=abc");
            reply(exchange, 302, null, "");
        });
        LivyHttpException redirect = assertThrows(LivyHttpException.class, () -> client().getSession("0"));
        assertTrue(redirect.getMessage().contains("redirect to https://sso.example.com/login;"), redirect.getMessage());
        assertFalse(redirect.getMessage().contains("token=abc"));
    }

    @Test
    void createSessionSendsOnlyTheFieldsThatAreSet() throws Exception {
        livy.handle((request, exchange) -> replySample(exchange, "100-post-session-custom-fields.json"));
        CreateSessionRequest request = CreateSessionRequest.builder().kind("pyspark").name("sampler-custom")
                .driverMemory("1g").driverCores(1).executorMemory("1g").executorCores(1).numExecutors(1)
                .heartbeatTimeoutInSecond(120)
                .conf(Map.of("spark.sql.shuffle.partitions", "4", "spark.sampler.marker", "hello")).build();

        LivySession session = client().createSession(request);

        assertEquals("sampler-custom", session.name());
        JsonObject sent = JsonParser.parseString(livy.requests().get(0).bodyText()).getAsJsonObject();
        JsonObject recorded = JsonParser.parseString(LivySamples.read("100-post-session-custom-fields.json")
                .getAsJsonObject("request").get("body").getAsString()).getAsJsonObject();
        assertEquals(recorded, sent);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
