package io.livykernel.backend.livy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.livykernel.analyze.SparkApi;
import io.livykernel.analyze.SparkApiException;
import io.livykernel.analyze.heuristics.StandardHeuristics;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.backend.livy.rest.FakeLivy;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivySettings;
import io.livykernel.http.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a running statement is followed, against a scripted Livy on a manual clock: each fact recorded on a
 * real Livy (tests/livy-recordings) must not fool the end detection, the requests per statement stay within
 * sparkmagic's, and dead sessions, bad answers, hung polls and interrupts end the cell within seconds.
 */
class StatementRunnerTest {
    /** Statement requests (POST, statement and list GETs) sparkmagic sends per statement of that length. */
    private static final Map<Long, Long> SPARKMAGIC_REQUESTS = Map.of(0L, 2L, 100L, 3L, 1000L, 5L, 5000L, 8L,
            10_000L, 11L);

    private final ManualTicker clock = new ManualTicker();
    private final Interruption interruption = new Interruption();
    private final RecordingOutput out = new RecordingOutput();
    private FakeLivy livy;
    private LivyClient client;
    private RemoteSession session;
    private ScriptedLivy script;
    private int baseline;

    @BeforeEach
    void start() throws Exception {
        livy = new FakeLivy();
        clock.sleep(1000, interruption); // the POST's time is never 0, so "0" cannot hide a missing time
        client = new LivyClient(LivySettings.builder(livy.url().toString()).retryPolicy(RetryPolicy.none())
                .requestTimeout(Duration.ofSeconds(60)).build());
        LivyBackendConfig config = new LivyBackendConfig(client.settings(), "pyspark", Duration.ofSeconds(60), false,
                0, Duration.ofHours(1), new JsonObject(), Set.of(), LivyBackendConfig.DEFAULT_MAX_OUTPUT_BYTES);
        session = new RemoteSession(client, config, "kernel", null);
    }

    @AfterEach
    void stop() {
        if (script != null) {
            script.releaseHungRequests();
        }
        session.close();
        livy.close();
    }

    private CellResult run(ScriptedLivy scripted) throws Exception {
        script = scripted;
        scripted.serveOn(livy);
        session.attach("0");
        // A kernel knows the statements of the session it created, so its POST needs no listing first (the
        // reconciliation's own cost, counted in LivyClientReconciliationTest).
        client.listStatements("0", 0, 20, true);
        baseline = livy.requests().size();
        StatementRunner runner = new StatementRunner(client, session, 1 << 20, clock);
        return runner.run("0", "the cell", "pyspark", out, interruption);
    }

    private List<FakeLivy.Request> requests() {
        List<FakeLivy.Request> all = livy.requests();
        return all.subList(baseline, all.size());
    }

    /** POST of the statement, its GETs and list GETs: the requests that reach the Spark driver. */
    private long statementRequests() {
        return requests().stream().filter(r -> r.path().startsWith("/sessions/0/statements")
                && !r.path().endsWith("/cancel")).count();
    }

    private long statePolls() {
        return requests().stream().filter(r -> r.path().equals("/sessions/0/state")).count();
    }

    /** Milliseconds from the statement's `completed` to the cell's end, on the script's clock. */
    private long lateness() {
        return script.now() - script.completedAt();
    }

    private void assertShowsTheResult(CellResult result) {
        assertInstanceOf(CellResult.Ok.class, result, result::toString);
        assertTrue(out.stdout().contains("the result"), "the output of the available statement is shown");
        assertTrue(script.now() >= script.completedAt(), "ended at " + script.now() + " ms, before `completed` at "
                + script.completedAt() + " ms");
    }

    private List<String> bars() {
        return out.shown.stream().filter(s -> s.data() != null).map(s -> s.data().plainText())
                .filter(t -> t.contains("%")).toList();
    }

    // ---- the recorded facts do not fool the detector -----------------------------------------------------

    @Test
    void idleRightAfterThePostIsNotTheEnd() throws Exception {
        // YARN: /state still says idle ~15 ms after the POST answered `waiting`.
        CellResult result = run(new ScriptedLivy(clock).session(0, "idle").session(15, "busy").session(801, "idle")
                .statement(0, "waiting").statement(5, "running").statement(803, "available", 1.0).completedAt(800));
        assertShowsTheResult(result);
        assertTrue(statementRequests() <= SPARKMAGIC_REQUESTS.get(1000L), "statement requests " + statementRequests());
        assertTrue(lateness() <= 30, "late by " + lateness());
    }

    @Test
    void anIdleGapInsideOneStatementIsNotTheEnd() throws Exception {
        // The driver sets the job group before the job: /state says idle for up to 113 ms mid-statement.
        CellResult result = run(new ScriptedLivy(clock).session(0, "busy").session(300, "idle").session(413, "busy")
                .session(1001, "idle").statement(0, "running").statement(1003, "available", 1.0).completedAt(1000));
        assertShowsTheResult(result);
        assertTrue(statementRequests() <= SPARKMAGIC_REQUESTS.get(1000L), "statement requests " + statementRequests());
        assertTrue(lateness() <= 30, "late by " + lateness());
    }

    @Test
    void aLongIdleGapDoesNotStormTheDriver() throws Exception {
        // Idle for 2 s while the statement still runs (e.g. the first statement's hold after a session start).
        CellResult result = run(new ScriptedLivy(clock).session(0, "idle").session(2000, "busy").session(3001, "idle")
                .statement(0, "waiting").statement(2000, "running").statement(3003, "available", 1.0)
                .completedAt(3000));
        assertShowsTheResult(result);
        assertTrue(statementRequests() <= 8, "statement requests " + statementRequests());
    }

    @Test
    void aStatementQueuedBehindOursKeepsTheSessionBusyButOursIsStillSeenToEnd() throws Exception {
        CellResult result = run(new ScriptedLivy(clock).session(0, "busy").session(6001, "idle")
                .statement(0, "running").statement(1200, "available", 1.0));
        assertShowsTheResult(result);
        assertTrue(script.now() < 6000, "waited for the queued statement: ended at " + script.now());
        assertTrue(lateness() <= PollSchedule.statementInterval(script.now()), "late by " + lateness());
    }

    @Test
    void progressAtOneWhileRunningIsNotTheEnd() throws Exception {
        CellResult result = run(new ScriptedLivy(clock).session(0, "busy").session(2001, "idle")
                .statement(0, "running", 0).statement(500, "running", 1.0).statement(2003, "available", 1.0)
                .completedAt(2000));
        assertShowsTheResult(result);
        assertTrue(bars().stream().anyMatch(b -> b.contains("100%") && b.contains("running")), bars().toString());
        assertTrue(lateness() <= 30, "late by " + lateness());
    }

    @Test
    void fallingProgressIsShownAndDoesNotEndTheStatement() throws Exception {
        // Two Spark jobs: 0 -> 1.0 -> 0.4 -> 0.6 -> 1.0.
        CellResult result = run(new ScriptedLivy(clock).session(0, "busy").session(4001, "idle")
                .statement(0, "running", 0).statement(900, "running", 1.0).statement(1900, "running", 0.4)
                .statement(2900, "running", 0.6).statement(3900, "running", 1.0)
                .statement(4003, "available", 1.0).completedAt(4000));
        assertShowsTheResult(result);
        List<String> bars = bars();
        int full = indexOf(bars, "100%");
        assertTrue(full >= 0 && indexOf(bars.subList(full, bars.size()), " 40%") > 0, bars.toString());
        assertTrue(lateness() <= 30, "late by " + lateness());
    }

    @Test
    void cancellingIsNotTheEndCancelledIs() throws Exception {
        clock.at(1000 + script(), interruption::request);
        CellResult result = run(new ScriptedLivy(clock).session(0, "busy").statement(0, "running", 0.2)
                .onCancel(t -> script.statement(t, "cancelling").statement(t + 100, "cancelled", 1.0)
                        .session(t + 101, "idle")));
        CellResult.Error error = assertInstanceOf(CellResult.Error.class, result);
        assertTrue(error.evalue().contains("cancelled"), error.evalue());
        assertEquals(1, requests().stream().filter(r -> r.path().endsWith("/cancel")).count());
        assertTrue(script.now() >= script.completedAt(), "ended while still cancelling, at " + script.now());
    }

    // ---- request budgets ------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(longs = {0, 100, 1000, 5000, 10_000, 60_000})
    void requestsPerStatementStayWithinSparkmagicsAndStatePollsWithinFortyASecond(long length) throws Exception {
        CellResult result = run(ScriptedLivy.plain(clock, length));
        assertShowsTheResult(result);
        long statements = statementRequests();
        long polls = statePolls();
        System.out.printf("statement of %6d ms: %2d statement requests (sparkmagic %s), %4d /state polls,"
                + " seen %2d ms after `completed`%n", length, statements, SPARKMAGIC_REQUESTS.get(length), polls,
                lateness());
        if (SPARKMAGIC_REQUESTS.containsKey(length)) {
            assertTrue(statements <= SPARKMAGIC_REQUESTS.get(length), length + " ms: " + statements + " requests");
        }
        assertTrue(polls <= 1 + 40 * length / 1000, length + " ms: " + polls + " /state polls");
        // At worst one /state interval (at most 35 ms within a minute) after `completed`; half that on average.
        assertTrue(lateness() <= PollSchedule.stateInterval(length), length + " ms: late by " + lateness());
    }

    @ParameterizedTest
    @ValueSource(longs = {1000, 5000, 10_000})
    void bothKindsOfFalseIdleTogetherStayWithinTheBudget(long length) throws Exception {
        // YARN's idle after the POST, and a 113 ms gap in the middle of the statement.
        CellResult result = run(new ScriptedLivy(clock).session(0, "idle").session(15, "busy")
                .session(length / 2, "idle").session(length / 2 + 113, "busy").session(length + 1, "idle")
                .statement(0, "waiting").statement(5, "running").statement(length + 3, "available", 1.0)
                .completedAt(length));
        assertShowsTheResult(result);
        System.out.printf("statement of %6d ms with two false idles: %2d statement requests%n", length,
                statementRequests());
        assertTrue(statementRequests() <= SPARKMAGIC_REQUESTS.get(length), statementRequests() + " requests");
        assertTrue(lateness() <= PollSchedule.stateInterval(length), "late by " + lateness());
    }

    // ---- sessions that die, bad answers, hung polls, interrupts ---------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dead", "killed", "HTTP 404 {\"msg\":\"Session '0' not found.\"}"})
    void aSessionThatDiesMidStatementFailsTheCellWithinSeconds(String state) throws Exception {
        UserFacingException e = assertThrows(UserFacingException.class, () -> run(new ScriptedLivy(clock)
                .session(0, "busy").session(2000, state).statement(0, "running", 0.3)
                .statement(2000, "HTTP 500 java.lang.IllegalStateException: Session is in state dead")));
        assertSessionLost(e);
    }

    @Test
    void aStatementAnswerSayingTheSessionIsNotActiveFailsTheCell() throws Exception {
        UserFacingException e = assertThrows(UserFacingException.class, () -> run(new ScriptedLivy(clock)
                .session(0, "busy").session(2000, "idle").statement(0, "running", 0.3)
                .statement(2000, "HTTP 500 java.lang.IllegalStateException: Session isn't active.")));
        assertSessionLost(e);
    }

    private void assertSessionLost(UserFacingException e) {
        assertEquals("SparkSessionLost", e.errorName());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(RemoteSession.State.LOST, session.state());
        assertTrue(script.now() - 2000 <= 3000, "noticed " + (script.now() - 2000) + " ms after it died");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP 500 \u0000\u001b[2Jproxy exploded", "HTTP 200 \u0000\u001b[31mgarbage",
            "HTTP 200 {\"id\":0,\"state\":\"bu", "HTTP 502 <html><title>Bad Gateway</title></html>"})
    void badAnswersToPollsFailTheCellWithinSecondsWithAPrintableExcerpt(String answer) throws Exception {
        UserFacingException e = assertThrows(UserFacingException.class, () -> run(new ScriptedLivy(clock)
                .session(0, "busy").session(2000, answer).statement(0, "running", 0.3).statement(2000, answer)));
        assertEquals("LivyError", e.errorName());
        assertFalse(e.getMessage().chars().anyMatch(c -> c < 0x20 && c != '\n'), e.getMessage());
        assertTrue(e.getMessage().length() < 800, e.getMessage());
        assertTrue(script.now() - 2000 <= 5000, "failed " + (script.now() - 2000) + " ms after the answers went bad");
    }

    @Test
    void deeplyNestedAnswersFailTheCellWithAClearReason() throws Exception {
        String nested = "HTTP 200 {\"id\":0,\"state\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        UserFacingException e = assertThrows(UserFacingException.class, () -> run(new ScriptedLivy(clock)
                .session(0, "busy").session(2000, nested).statement(0, "running", 0.3).statement(2000, nested)));
        assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
        assertTrue(script.now() - 2000 <= 5000, "failed " + (script.now() - 2000) + " ms after the answers went bad");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anInterruptReturnsWhileAPollHangs() throws Exception {
        CellResult.Error error = interruptedWhileHanging(new ScriptedLivy(clock).session(0, "busy")
                .session(2000, "HANG").statement(0, "running", 0.3).statement(2000, "HANG"));
        assertEquals("KeyboardInterrupt", error.ename());
        assertTrue(requests().stream().anyMatch(r -> r.path().endsWith("/cancel")), "the statement was cancelled");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anInterruptReturnsWhileTheStatementPostHangsAndNothingIsSentAgain() throws Exception {
        CellResult.Error error = interruptedWhileHanging(new ScriptedLivy(clock).postAnswers("HANG")
                .session(0, "busy").statement(0, "running"));
        assertEquals("KeyboardInterrupt", error.ename());
        assertTrue(error.evalue().contains("not sent twice"), error.evalue());
        assertEquals(1, requests().stream().filter(r -> r.method().equals("POST")).count());
    }

    /** Runs the cell, interrupts it once a request hangs, and returns how the cell ended. */
    private CellResult.Error interruptedWhileHanging(ScriptedLivy hung) throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread cell = new Thread(() -> {
            try {
                outcome.set(run(hung));
            } catch (Exception e) {
                outcome.set(e);
            }
        });
        cell.start();
        assertTrue(hung.hanging.await(20, TimeUnit.SECONDS), "no request reached the hanging server");
        interruption.request();
        cell.join(10_000); // the request timeout is 60 s: only an interruptible wait ends the cell here
        assertFalse(cell.isAlive(), "the cell still waits for the hung request");
        return assertInstanceOf(CellResult.Error.class, outcome.get());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void afterInterruptingPlainPythonPollingBacksOff() throws Exception {
        // Livy cannot stop plain Python: the statement stays `cancelling` and the session busy.
        clock.at(1000 + script(), interruption::request);
        CellResult result = run(new ScriptedLivy(clock).session(0, "busy").statement(0, "running", 0)
                .onCancel(t -> script.statement(t, "cancelling")));
        CellResult.Error error = assertInstanceOf(CellResult.Error.class, result);
        assertEquals("KeyboardInterrupt", error.ename());
        assertTrue(error.evalue().contains("plain Python"), error.evalue());
        long cancelledAt = 1000;
        long afterCancel = requests().stream().filter(r -> r.path().startsWith("/sessions/0/statements/")).count();
        System.out.printf("after an interrupt of plain Python: cell ended %d ms later, %d statement GETs in all,"
                + " %d /state polls in all%n", script.now() - cancelledAt, afterCancel, statePolls());
        assertTrue(afterCancel <= 4, afterCancel + " statement requests");
        assertTrue(statePolls() <= 1 + 40 * script.now() / 1000, statePolls() + " /state polls");
    }

    /** The POST happens at the clock's current time; events are scheduled relative to it. */
    private long script() {
        return clock.nowMillis();
    }

    private static int indexOf(List<String> bars, String text) {
        for (int i = 0; i < bars.size(); i++) {
            if (bars.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    // ---- the line under a slow cell ------------------------------------------------------------------------

    /** Runs a plain statement of {@code millis} as a cell or as the kernel's own code; returns the analyses. */
    private List<String> analysedAfter(long millis, boolean cell) throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        SparkApi ui = new SparkApi() {
            @Override
            public String get(String path) throws SparkApiException {
                asked.add(path);
                throw new SparkApiException(404, "not served here");
            }

            @Override
            public String describe() {
                return "the scripted Spark UI";
            }
        };
        script = ScriptedLivy.plain(clock, millis).sessionInfo("{\"id\":0,\"name\":\"scripted\",\"kind\":\"pyspark\","
                + "\"state\":\"idle\",\"appId\":\"application_1_0001\",\"appInfo\":{\"sparkUiUrl\":"
                + "\"http://rm:8088/proxy/application_1_0001/\"}}");
        script.serveOn(livy);
        session.attach("0");
        SlowStatementHints hints = new SlowStatementHints(new SlowStatementHints.Settings(true, Duration.ofSeconds(1)),
                url -> ui, StandardHeuristics.analyzer(), Runnable::run);
        StatementRunner runner = new StatementRunner(client, session, 1 << 20, clock, hints);
        CellResult result = cell ? runner.runCell("0", "the cell", "pyspark", out, interruption)
                : runner.run("0", "the cell", "pyspark", out, interruption);
        assertShowsTheResult(result);
        return asked.stream().filter(p -> p.equals("applications/application_1_0001")).toList();
    }

    @Test
    void aSlowCellIsAnalysedOnceAfterItsOutput() throws Exception {
        assertEquals(1, analysedAfter(1500, true).size());
    }

    @Test
    void aQuickCellIsNotAnalysed() throws Exception {
        assertEquals(List.of(), analysedAfter(500, true));
    }

    @Test
    void theKernelsOwnSlowStatementsAreNotAnalysed() throws Exception {
        assertEquals(List.of(), analysedAfter(1500, false));
    }
}
