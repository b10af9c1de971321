package io.livykernel.backend.livy.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every recorded Livy response parses with its value class; the important fields read as Livy meant them. */
class LivySamplesParsingTest {
    private static final Pattern ID = Pattern.compile("^/(?:sessions|batches)/(\\d+)");

    @Test
    void everyRecordedResponseParsesWithItsValueClass() {
        List<Path> files = LivySamples.files();
        assertTrue(files.size() >= 250, "expected the full sample set, found " + files.size() + " files");
        int exchanges = 0;
        for (Path file : files) {
            for (LivySamples.Exchange exchange : LivySamples.exchanges(file)) {
                Object parsed = parse(exchange);
                assertNotNull(parsed, exchange.source());
                checkInvariants(exchange, parsed);
                exchanges++;
            }
        }
        assertTrue(exchanges > files.size(), "timelines add their polls");
    }

    /** The value class (or exception) for one recorded answer, chosen by method, path and status. */
    private static Object parse(LivySamples.Exchange e) {
        String endpoint = e.method() + " http://127.0.0.1:8998" + e.path();
        if (e.status() >= 300) {
            return LivyErrors.fromResponse(endpoint, e.status(), e.body(), null);
        }
        String path = e.path().replaceFirst("\\?.*", "");
        String route = e.method() + " " + path.replaceAll("/\\d+", "/N");
        JsonObject body = JsonFields.parseObject(e.body());
        return switch (route) {
            case "GET /sessions" -> SessionList.fromJson(body);
            case "POST /sessions", "GET /sessions/N" -> LivySession.fromJson(body);
            case "GET /sessions/N/state", "GET /batches/N/state" -> SessionStateInfo.fromJson(body);
            case "GET /sessions/N/log", "GET /batches/N/log" -> SessionLog.fromJson(body);
            case "GET /sessions/N/statements" -> StatementList.fromJson(body);
            case "POST /sessions/N/statements", "GET /sessions/N/statements/N" -> LivyStatement.fromJson(body);
            case "POST /sessions/N/completion" -> CompletionResult.fromJson(body);
            case "POST /sessions/N/statements/N/cancel", "DELETE /sessions/N", "DELETE /batches/N" ->
                    LivyErrors.livyMessage(e.body());
            case "GET /version" -> LivyVersion.fromJson(body);
            case "GET /batches" -> BatchList.fromJson(body);
            case "POST /batches", "GET /batches/N" -> LivyBatch.fromJson(body);
            default -> fail(e.source() + ": no value class for " + route);
        };
    }

    private static void checkInvariants(LivySamples.Exchange e, Object parsed) {
        String where = e.source();
        Matcher id = ID.matcher(e.path());
        String pathId = id.find() ? id.group(1) : null;
        if (parsed instanceof LivySession s) {
            assertNotEquals(SessionState.UNKNOWN, s.state(), where);
            assertNotNull(s.kind(), where);
            assertTrue(s.id().matches("\\d+") && (pathId == null || pathId.equals(s.id())), where);
            assertTrue(s.log().size() <= 10, where);
        } else if (parsed instanceof SessionList list) {
            assertTrue(list.sessions().size() <= list.total(), where);
            list.sessions().forEach(s -> assertNotEquals(SessionState.UNKNOWN, s.state(), where));
        } else if (parsed instanceof SessionStateInfo info) {
            assertNotEquals(SessionState.UNKNOWN, info.state(), where);
            assertEquals(pathId, info.id(), where);
        } else if (parsed instanceof SessionLog log) {
            assertEquals(pathId, log.id(), where);
            assertTrue(log.from() + log.log().size() <= log.total(), where);
        } else if (parsed instanceof StatementList list) {
            assertTrue(list.statements().size() <= list.totalStatements(), where);
            list.statements().forEach(s -> checkStatement(s, where));
        } else if (parsed instanceof LivyStatement s) {
            checkStatement(s, where);
        } else if (parsed instanceof LivyBatch b) {
            assertNotEquals(SessionState.UNKNOWN, b.state(), where);
            assertTrue(pathId == null || pathId.equals(b.id()), where);
        } else if (parsed instanceof BatchList list) {
            assertEquals(list.total(), list.batches().size(), where);
        } else if (parsed instanceof LivyHttpException error) {
            assertEquals(e.status(), error.status(), where);
            assertTrue(error.getMessage().contains(e.method() + " http://127.0.0.1:8998" + e.path()), where);
        } else if (parsed instanceof String msg) {
            assertTrue(msg.equals("canceled") || msg.equals("deleted"), where + ": " + msg);
        }
    }

    private static void checkStatement(LivyStatement s, String where) {
        assertNotEquals(StatementState.UNKNOWN, s.state(), where);
        assertNotNull(s.code(), where);
        assertTrue(s.progress() >= 0 && s.progress() <= 1, where);
        if (s.state() == StatementState.AVAILABLE) {
            assertNotNull(s.output(), where);
            assertTrue(List.of("ok", "error").contains(s.output().status()), where);
            assertTrue(s.completed() >= s.started() && s.started() > 0, where);
        }
        if (s.state() == StatementState.WAITING) {
            assertNull(s.output(), where);
            assertEquals(0, s.started(), where);
        }
    }

    // ---- sessions -------------------------------------------------------------------------------------

    @Test
    void newSessionIsStartingWithEchoedDefaults() {
        LivySession s = LivySession.fromJson(object("002-post-session-pyspark.json"));
        assertEquals("0", s.id());
        assertEquals(SessionState.STARTING, s.state());
        assertEquals("starting", s.rawState());
        assertFalse(s.state().isReady());
        assertFalse(s.state().isFinished());
        assertEquals("pyspark", s.kind());
        assertNull(s.name());
        assertNull(s.appId());
        assertEquals(new AppInfo(null, null, null), s.appInfo());
        assertEquals(List.of("stdout: ", "\nstderr: "), s.log());
        assertEquals(0, s.driverCores());
        assertEquals(0, s.heartbeatTimeoutInSecond());
        assertNull(s.ttl());
        assertEquals(Map.of(), s.conf());
        assertEquals(List.of(), s.jars());
    }

    @Test
    void sessionEchoesTheCustomCreateFields() {
        LivySession s = LivySession.fromJson(object("100-post-session-custom-fields.json"));
        assertEquals("sampler-custom", s.name());
        assertEquals("1g", s.driverMemory());
        assertEquals(1, s.driverCores());
        assertEquals("1g", s.executorMemory());
        assertEquals(1, s.executorCores());
        assertEquals(1, s.numExecutors());
        assertEquals(120, s.heartbeatTimeoutInSecond());
        assertEquals(Map.of("spark.sql.shuffle.partitions", "4", "spark.sampler.marker", "hello"), s.conf());

        LivySession idle = LivySession.fromJson(object("104-get-session-custom-idle.json"));
        assertEquals(SessionState.IDLE, idle.state());
        assertTrue(idle.state().isReady());
        assertEquals(10, idle.log().size());
    }

    @Test
    void sessionStatesAcrossTheLifecycle() {
        assertEquals(SessionState.IDLE,
                SessionStateInfo.fromJson(object("006-get-session-state-endpoint.json")).state());
        assertEquals(SessionState.BUSY, LivySession.fromJson(object("070-get-session-busy.json")).state());
        assertEquals("shared", LivySession.fromJson(object("190-nokind-session-post.json")).kind());
        assertEquals("sql", LivySession.fromJson(object("205-sql-session-final.json")).kind());

        LivySession crashed = LivySession.fromJson(object("171-crash-session-after-os-exit.json"));
        assertEquals(SessionState.ERROR, crashed.state());
        assertTrue(crashed.state().isFinished());

        LivySession dead = LivySession.fromJson(object("186-bad-session-final.json"));
        assertEquals(SessionState.DEAD, dead.state());
        assertTrue(dead.state().isFinished());
        assertTrue(dead.log().contains("Invalid maximum heap size: -Xmxlots"));

        List<String> startup = timeline("005-session-startup-timeline.json").stream()
                .map(body -> LivySession.fromJson(body).rawState()).distinct().toList();
        assertEquals(List.of("starting", "idle"), startup);
    }

    @Test
    void yarnSessionCarriesAppIdAndUrls() {
        assertNull(LivySession.fromJson(object("yarn/002-yarn-get-session-starting.json")).appId());
        LivySession starting = LivySession.fromJson(object("yarn/003-yarn-get-session-starting-appid.json"));
        assertEquals(SessionState.STARTING, starting.state());
        assertEquals("application_1795461917120_0002", starting.appId());

        LivySession s = LivySession.fromJson(object("yarn/026-yarn-get-session-idle-full.json"));
        assertEquals("yarn-pyspark", s.name());
        assertEquals(SessionState.IDLE, s.state());
        assertEquals("application_1795461917120_0002", s.appId());
        assertEquals("http://localhost:18088/proxy/application_1795461917120_0002/", s.appInfo().sparkUiUrl());
        assertEquals("http://localhost:35467/node/containerlogs/container_1795461917120_0002_01_000001/home/spark",
                s.appInfo().driverLogUrl());
        assertNull(s.appInfo().executorLogUrls());

        LivySession second = LivySession.fromJson(object("yarn/030-yarn2-post-session.json"));
        assertEquals("768m", second.executorMemory());
        assertEquals(1, second.numExecutors());
        assertEquals(Map.of("spark.sql.shuffle.partitions", "2"), second.conf());

        SessionList list = SessionList.fromJson(object("yarn/028-yarn-list-sessions.json"));
        assertEquals(1, list.total());
        assertEquals("application_1795461917120_0002", list.sessions().get(0).appId());
    }

    @Test
    void sessionListsAndLogs() {
        assertEquals(new SessionList(0, 0, List.of()), SessionList.fromJson(object("001-get-sessions-empty.json")));
        SessionList one = SessionList.fromJson(object("097-list-sessions.json"));
        assertEquals(1, one.total());
        assertEquals("0", one.sessions().get(0).id());

        SessionLog tail = SessionLog.fromJson(object("094-session-log-default.json"));
        assertEquals(102, tail.from());
        assertEquals(202, tail.total());
        assertEquals(100, tail.log().size());
        SessionLog head = SessionLog.fromJson(object("095-session-log-from0-size20.json"));
        assertEquals(0, head.from());
        assertEquals(20, head.log().size());
        assertEquals("stdout: ", head.log().get(0));
        SessionLog five = SessionLog.fromJson(object("096-session-log-size5.json"));
        assertEquals(197, five.from());
        assertEquals("26/11/23 19:18:17 INFO Session: Statement 25 cancelled.", five.log().get(4));
        assertEquals(83, SessionLog.fromJson(object("yarn/027-yarn-session-log.json")).total());

        List<SessionList> expiry = timeline("160-heartbeat-expiry-timeline.json").stream()
                .map(SessionList::fromJson).toList();
        assertEquals(1, expiry.get(0).total());
        assertEquals(0, expiry.get(expiry.size() - 1).total());
    }

    @Test
    void version() {
        LivyVersion v = LivyVersion.fromJson(object("099-version.json"));
        assertEquals("0.10.0-incubating-SNAPSHOT", v.version());
        assertEquals("fc4202ea31722979566f7f730f141420828e4d6b", v.revision());
        assertEquals("master", v.branch());
    }

    // ---- statements -----------------------------------------------------------------------------------

    @Test
    void statementLifecycleWithTextResult() {
        LivyStatement posted = LivyStatement.fromJson(object("007-stmt-count-post.json"));
        assertEquals(StatementState.WAITING, posted.state());
        assertNull(posted.output());
        assertEquals(0.0, posted.progress());
        assertEquals(0L, posted.started());

        LivyStatement running = LivyStatement.fromJson(object("009-stmt-count-get-running.json"));
        assertEquals(StatementState.RUNNING, running.state());
        assertFalse(running.state().isFinished());
        assertEquals(1795461416439L, running.started());

        LivyStatement done = LivyStatement.fromJson(object("010-stmt-count-result.json"));
        assertEquals(StatementState.AVAILABLE, done.state());
        assertTrue(done.state().isFinished());
        assertEquals(1.0, done.progress());
        assertEquals(1795461419498L, done.completed());
        assertFalse(done.output().isError());
        assertEquals(0, done.output().executionCount());
        assertEquals("10", text(done));

        assertEquals("hello from livy\nline 2", text(statement("022-stmt-print-result.json")));
        assertEquals("", text(statement("043-stmt-empty-code-result.json")));
        assertEquals("10", text(statement("045-stmt-multi-result-result.json")));
        assertEquals("   a  b\n0  1  x\n1  2  y", text(statement("058-stmt-pandas-df-result.json")));
        assertTrue(text(statement("061-stmt-df-show-result.json")).startsWith("+---+-----+\n| id|twice|"));
        assertEquals("n: Double = 55.0\nscala says 55.0\n", text(statement("038-stmt-spark-kind-scala-result.json")));
        assertEquals("res0: Long = 3\n", text(statement("201-nokind-stmt-scala-result.json")));
        assertEquals("('application_1795461917120_0003', 'yarn', 'cluster', 'livy-session-1-5sqecrds', '768m', '2')",
                text(statement("yarn/034-yarn2-stmt-app-info-result.json")));
        // Livy may answer the POST with a statement that already finished.
        assertEquals(StatementState.AVAILABLE, statement("015-stmt-trivial-2-post.json").state());
    }

    @Test
    void errorOutputsCarryNameValueAndTraceback() {
        StatementOutput zero = statement("025-stmt-python-exception-result.json").output();
        assertTrue(zero.isError());
        assertEquals(7, zero.executionCount());
        assertEquals("ZeroDivisionError", zero.ename());
        assertEquals("division by zero", zero.evalue());
        assertEquals(List.of("Traceback (most recent call last):\n", "  File \"<stdin>\", line 2, in f\n",
                "ZeroDivisionError: division by zero\n"), zero.traceback());
        assertEquals(Map.of(), zero.data());

        StatementOutput syntax = statement("027-stmt-syntax-error-result.json").output();
        assertEquals("SyntaxError", syntax.ename());
        assertEquals("    def broken(:\n", syntax.traceback().get(1));

        StatementOutput spark = statement("030-stmt-spark-exception-result.json").output();
        assertEquals("AnalysisException", spark.ename());
        assertTrue(spark.evalue().startsWith("[TABLE_OR_VIEW_NOT_FOUND]"));

        StatementOutput r = statement("041-stmt-sparkr-kind-result.json").output();
        assertEquals("InterpreterError", r.ename());
        assertEquals(List.of(), r.traceback());

        assertEquals("unknown magic command 'nosuchmagic'",
                statement("055-stmt-unknown-magic-result.json").output().evalue());
        assertEquals("SystemExit", statement("165-stmt-sys-exit-result.json").output().ename());
        assertTrue(statement("169-stmt-os-exit-result.json").output().evalue().startsWith("Interpreter died:"));
        LivyStatement afterDeath = statement("172-stmt-after-python-died-post.json");
        assertEquals(StatementState.AVAILABLE, afterDeath.state());
        assertEquals("Interpreter died:\n", afterDeath.output().evalue());

        StatementOutput sql = statement("213-sql-session-stmt-error-result.json").output();
        assertEquals("Error", sql.ename());
        assertTrue(sql.evalue().startsWith("[TABLE_OR_VIEW_NOT_FOUND]"));
        assertEquals("AttributeError", statement("yarn/012-yarn-stmt-app-info-result.json").output().ename());
    }

    @Test
    void structuredOutputsKeepTheirJson() throws IOException {
        Map<String, JsonElement> sql = statement("034-stmt-sql-kind-result.json").output().data();
        assertEquals(List.of("application/json"), List.copyOf(sql.keySet()));
        JsonObject table = sql.get("application/json").getAsJsonObject();
        assertEquals("a", table.getAsJsonObject("schema").getAsJsonArray("fields").get(0).getAsJsonObject()
                .get("name").getAsString());
        assertEquals(JsonParser.parseString("[[1,\"x\"]]"), table.get("data"));
        assertEquals(JsonParser.parseString("[[0,0],[1,2],[2,4]]"), statement("209-sql-session-stmt-result.json")
                .output().data().get("application/json").getAsJsonObject().get("data"));

        JsonElement livyTable = statement("048-stmt-table-magic-result.json").output().data()
                .get("application/vnd.livy.table.v1+json");
        assertEquals(JsonParser.parseString("{\"headers\":[{\"name\":\"a\",\"type\":\"INT_TYPE\"},"
                + "{\"name\":\"b\",\"type\":\"STRING_TYPE\"}],\"data\":[[1,\"x\"],[2,\"y\"]]}"), livyTable);

        assertEquals(JsonParser.parseString("{\"k\":[1,2,3],\"name\":\"sampler\"}"),
                statement("050-stmt-json-magic-result.json").output().data().get("application/json"));

        Map<String, JsonElement> plot = statement("053-stmt-matplot-magic-result.json").output().data();
        byte[] png = Base64.getDecoder().decode(plot.get("image/png").getAsString());
        byte[] recorded = Files.readAllBytes(LivySamples.dir().resolve("053-stmt-matplot-magic-result.png"));
        assertTrue(Arrays.equals(recorded, png), "the base64 decodes to the recorded PNG");
    }

    @Test
    void outputDataCannotBeChangedThroughTheRecord() {
        StatementOutput output = statement("050-stmt-json-magic-result.json").output();
        output.data().get("application/json").getAsJsonObject().addProperty("name", "changed");
        assertEquals("sampler", output.data().get("application/json").getAsJsonObject().get("name").getAsString());
    }

    @Test
    void progressRisesWhileRunning() {
        List<LivyStatement> polls = statements("065-stmt-progress-timeline.json");
        List<Double> distinct = polls.stream().map(LivyStatement::progress).distinct().toList();
        assertEquals(List.of(0.0, 0.25, 0.5, 1.0), distinct);
        assertEquals(StatementState.AVAILABLE, polls.get(polls.size() - 1).state());
        assertTrue(polls.subList(0, polls.size() - 1).stream().allMatch(p -> p.state() == StatementState.RUNNING));
    }

    @Test
    void cancelledStatements() {
        LivyStatement queued = statement("072-cancel-queued-get-after.json");
        assertEquals(StatementState.CANCELLED, queued.state());
        assertTrue(queued.state().isFinished());
        assertNull(queued.output());

        List<LivyStatement> running = statements("074-cancel-running-timeline.json");
        assertEquals(StatementState.CANCELLING, running.get(0).state());
        assertFalse(running.get(0).state().isFinished());
        assertEquals(StatementState.CANCELLED, running.get(1).state());

        LivyStatement job = statement("075-cancel-running-final.json");
        assertEquals("Py4JJavaError", job.output().ename());
        assertTrue(job.output().evalue().contains("cancelled job group 22"));
        // A cancelled pure-Python statement still ran to its end: state cancelled, output ok.
        LivyStatement sleep = statement("083-cancel-sleep-final.json");
        assertEquals(StatementState.CANCELLED, sleep.state());
        assertEquals("'slept'", text(sleep));
        assertEquals("canceled", LivyErrors.livyMessage(LivySamples.body("071-cancel-queued-post.json")));
    }

    @Test
    void statementListsInBothOrders() {
        StatementList all = StatementList.fromJson(object("092-list-statements.json"));
        assertEquals(27, all.totalStatements());
        assertEquals(27, all.statements().size());
        assertEquals("0", all.statements().get(0).id());
        StatementList newest = StatementList.fromJson(object("093-list-statements-desc-paged.json"));
        assertEquals(27, newest.totalStatements());
        assertEquals(List.of("26", "25"), newest.statements().stream().map(LivyStatement::id).toList());
    }

    @Test
    void completions() {
        assertEquals(List.of(), CompletionResult.fromJson(object("085-completion-pyspark.json")).candidates());
        assertEquals(List.of("parallelize"),
                CompletionResult.fromJson(object("088-completion-scala.json")).candidates());
    }

    // ---- batches --------------------------------------------------------------------------------------

    @Test
    void batchLifecycle() {
        LivyBatch posted = LivyBatch.fromJson(object("139-batch-pi-post.json"));
        assertEquals("sampler-batch-pi", posted.name());
        assertEquals(SessionState.STARTING, posted.state());
        assertEquals(SessionState.RUNNING, LivyBatch.fromJson(object("140-batch-pi-get-running.json")).state());
        LivyBatch success = LivyBatch.fromJson(object("141-batch-pi-get-success.json"));
        assertEquals(SessionState.SUCCESS, success.state());
        assertTrue(success.state().isFinished());
        assertEquals(SessionState.SUCCESS, SessionStateInfo.fromJson(object("143-batch-pi-state.json")).state());
        SessionLog log = SessionLog.fromJson(object("144-batch-pi-log.json"));
        assertEquals(149, log.total());
        assertEquals("26/11/23 19:19:59 INFO SparkContext: Running Spark version 3.5.5", log.log().get(1));

        BatchList list = BatchList.fromJson(object("145-list-batches.json"));
        assertEquals(1, list.total());
        assertEquals("sampler-batch-pi", list.batches().get(0).name());
        assertEquals(5, BatchList.fromJson(object("155-batch-nonexistent-file-get.json")).total());

        assertEquals(SessionState.DEAD, LivyBatch.fromJson(object("148-batch-fail-get-dead.json")).state());
        assertEquals(SessionState.DEAD, SessionStateInfo.fromJson(object("150-batch-fail-state.json")).state());
        LivyBatch missing = LivyBatch.fromJson(object("156-batch-nonexistent-file-final.json"));
        assertEquals(SessionState.DEAD, missing.state());
        assertTrue(missing.log().stream().anyMatch(l -> l.contains("can't open file")));
        assertEquals("deleted", LivyErrors.livyMessage(LivySamples.body("158-delete-batch.json")));
    }

    @Test
    void yarnBatchGetsAppIdAndUi() {
        assertNull(LivyBatch.fromJson(object("yarn/038-yarn-batch-pi-get-starting.json")).appId());
        LivyBatch running = LivyBatch.fromJson(object("yarn/040-yarn-batch-pi-get-running-appid.json"));
        assertEquals(SessionState.RUNNING, running.state());
        assertEquals("application_1795461917120_0004", running.appId());
        assertTrue(running.appInfo().driverLogUrl().contains("container_1795461917120_0004_01_000001"));
        LivyBatch done = LivyBatch.fromJson(object("yarn/041-yarn-batch-pi-get-success-appid.json"));
        assertEquals(SessionState.SUCCESS, done.state());
        assertEquals("http://localhost:18088/proxy/application_1795461917120_0004/", done.appInfo().sparkUiUrl());
        assertEquals(37, SessionLog.fromJson(object("yarn/043-yarn-batch-pi-log.json")).total());
        List<String> states = timeline("yarn/042-yarn-batch-pi-timeline.json").stream()
                .map(body -> LivyBatch.fromJson(body).rawState()).distinct().toList();
        assertEquals(List.of("starting", "running", "success"), states);
    }

    // ---- errors ---------------------------------------------------------------------------------------

    @Test
    void missingSessionsAndBatchesAreSessionNotFound() {
        for (String name : List.of("116-err-get-unknown-session.json", "117-err-get-nonnumeric-session.json",
                "118-err-get-unknown-session-state.json", "119-err-get-unknown-session-log.json",
                "120-err-get-unknown-session-statements.json", "121-err-post-statement-unknown-session.json",
                "122-err-delete-unknown-session.json", "129-err-completion-unknown-session.json",
                "131-err-get-unknown-batch.json", "134-get-session-after-delete-starting.json",
                "136-get-session-after-delete.json", "137-delete-session-again.json",
                "159-get-batch-after-delete.json")) {
            LivyHttpException e = error(name);
            assertInstanceOf(LivySessionNotFoundException.class, e, name);
            assertTrue(e.livyMessage().matches("Session '\\w+' not found\\."), name);
        }
    }

    @Test
    void otherErrorsKeepLivysMessage() {
        LivyHttpException statement = error("123-err-get-unknown-statement.json");
        assertEquals(LivyHttpException.class, statement.getClass());
        assertEquals(404, statement.status());
        assertEquals("Statement not found", statement.livyMessage());

        LivyHttpException unknownPath = error("130-err-get-unknown-path.json");
        assertEquals(LivyHttpException.class, unknownPath.getClass());
        assertTrue(unknownPath.getMessage().contains("is the Livy URL right?"));

        assertEquals("Rejected, Reason: Duplicate session name: Some(sampler-custom) for session 2",
                error("102-post-session-duplicate-name.json").livyMessage());
        assertEquals("Rejected, Reason: Invalid time string: soon",
                error("113-err-post-session-bad-ttl.json").livyMessage());
        assertTrue(error("111-err-post-session-unknown-kind.json").livyMessage()
                .startsWith("Invalid kind: nosuchkind"));
        assertTrue(error("110-err-post-session-malformed-json.json").livyMessage()
                .startsWith("Unexpected end-of-input"));
        assertEquals("For input string: \"abc\"", error("124-err-get-nonnumeric-statement.json").livyMessage());
        assertEquals(405, error("132-err-put-sessions.json").status());
        assertEquals("Rejected, Reason: requirement failed: File is required.",
                error("153-batch-missing-file-field.json").livyMessage());

        LivyHttpException starting = error("101-stmt-post-while-starting.json");
        assertEquals(500, starting.status());
        assertEquals("java.lang.IllegalStateException: Session is in state starting", starting.livyMessage());
        assertTrue(error("188-bad-session-statement.json").getMessage().endsWith("Session is in state dead"));

        // Stack traces stay in livyMessage(); the exception message keeps their first line only.
        LivyHttpException shared = error("193-nokind-stmt-without-kind-post.json");
        assertTrue(shared.livyMessage().contains("\tat org.apache.livy.repl.Session.execute"));
        assertTrue(shared.getMessage().endsWith("Code type should be specified if session kind is shared"));
        assertFalse(shared.getMessage().contains("\n"));
        assertTrue(error("090-completion-no-kind.json").getMessage().endsWith("Invalid kind: null"));
        assertTrue(error("127-err-post-statement-missing-code.json").getMessage().contains("NullPointerException"));
    }

    @Test
    void csrfRefusalIsRecognised() {
        for (String name : List.of("176-csrf-post-session-no-header.json", "178-csrf-post-statement-no-header.json")) {
            LivyHttpException e = error(name);
            assertInstanceOf(LivyCsrfException.class, e, name);
            assertEquals("Error 400 Missing Required Header for CSRF protection.", e.livyMessage());
            assertTrue(e.getMessage().contains("X-Requested-By"));
        }
        // Livy answers a DELETE without the header with an empty 400: nothing says it was CSRF.
        assertEquals(LivyHttpException.class, error("182-csrf-delete-no-header.json").getClass());
    }

    private static LivyHttpException error(String name) {
        LivySamples.Exchange e = LivySamples.exchange(name);
        return LivyErrors.fromResponse(e.method() + " http://127.0.0.1:8998" + e.path(), e.status(), e.body(), null);
    }

    private static JsonObject object(String name) {
        return JsonFields.parseObject(LivySamples.body(name));
    }

    private static LivyStatement statement(String name) {
        return LivyStatement.fromJson(object(name));
    }

    private static List<LivyStatement> statements(String timeline) {
        return timeline(timeline).stream().map(LivyStatement::fromJson).toList();
    }

    /** The bodies of a timeline's polls, in order. */
    private static List<JsonObject> timeline(String name) {
        return LivySamples.exchanges(LivySamples.dir().resolve(name)).stream()
                .map(e -> JsonFields.parseObject(e.body())).toList();
    }

    private static String text(LivyStatement s) {
        return s.output().data().get("text/plain").getAsString();
    }
}
