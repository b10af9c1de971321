package io.livykernel.backend.livy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.analyze.SparkApi;
import io.livykernel.analyze.SparkApiException;
import io.livykernel.analyze.heuristics.StandardHeuristics;
import io.livykernel.backend.livy.rest.LivySession;
import io.livykernel.backend.livy.rest.LogCapture;
import io.livykernel.messages.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * When a cell's statement is analysed for the line under it, and what the line is: once for a slow statement
 * with a critical finding in its own job group, nothing for a quick one, when switched off, or when the Spark UI
 * fails. The analysis runs on the calling thread here (a direct executor), so what it shows is known at once.
 */
class SlowStatementHintsTest {
    private static final String APP = "application_1700000000000_0007";
    private static final SlowStatementHints.Settings ONE_SECOND = new SlowStatementHints.Settings(true,
            Duration.ofSeconds(1));
    private static final long GIB = 1L << 30;

    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final RecordingOutput out = new RecordingOutput();

    /** Statement 3 spilled 3 GiB in stage 4 (critical); statement 8 ran a quiet, longer stage 5. */
    private final Map<String, String> ui = Map.of(
            "applications/" + APP, "{\"id\":\"" + APP + "\",\"name\":\"notebook\",\"attempts\":[{\"startTimeEpoch\":"
                    + "1700000000000,\"endTimeEpoch\":1700000600000,\"duration\":600000,\"completed\":false,"
                    + "\"appSparkVersion\":\"3.5.1\"}]}",
            "applications/" + APP + "/jobs", "[{\"jobId\":0,\"status\":\"SUCCEEDED\",\"jobGroup\":\"3\",\"stageIds\":[4]},"
                    + "{\"jobId\":1,\"status\":\"SUCCEEDED\",\"jobGroup\":\"8\",\"stageIds\":[5]}]",
            "applications/" + APP + "/stages", "[" + stage(4, 400_000, 3 * GIB) + "," + stage(5, 900_000, 0)
                    + "]");

    private static String stage(int id, long runTimeMs, long spilled) {
        return "{\"status\":\"COMPLETE\",\"stageId\":" + id + ",\"attemptId\":0,\"numTasks\":8,\"numCompleteTasks\":8,"
                + "\"submissionTime\":\"2023-11-14T22:13:30.000GMT\",\"completionTime\":\"2023-11-14T22:14:30.000GMT\","
                + "\"executorRunTime\":" + runTimeMs + ",\"memoryBytesSpilled\":" + spilled + ",\"diskBytesSpilled\":" + spilled
                + ",\"shuffleReadBytes\":" + 2 * GIB + "}";
    }

    private final SparkApi captured = new SparkApi() {
        @Override
        public String get(String path) throws SparkApiException {
            asked.add(path);
            String answer = ui.get(path);
            if (answer == null) {
                throw new SparkApiException(404, "unknown resource: " + path);
            }
            return answer;
        }

        @Override
        public String describe() {
            return "the session's Spark UI";
        }
    };

    private SlowStatementHints hints(SlowStatementHints.Settings settings, SparkApi api) {
        return new SlowStatementHints(settings, url -> api, StandardHeuristics.analyzer(), Runnable::run);
    }

    private static LivySession session(String appId, String sparkUiUrl) {
        return LivySession.fromJson(Json.parseObject("{\"id\": 0, \"state\": \"idle\", \"appId\": "
                + (appId == null ? "null" : "\"" + appId + "\"") + ", \"appInfo\": {\"sparkUiUrl\": "
                + (sparkUiUrl == null ? "null" : "\"" + sparkUiUrl + "\"") + "}}"));
    }

    private static final LivySession ON_YARN = session(APP, "http://rm:8088/proxy/" + APP + "/");

    private List<String> hintsShown() {
        return out.displays().stream().map(d -> d.plainText()).toList();
    }

    @Test
    void onlyASlowStatementOnASessionWithASparkUiIsAnalysed() {
        SlowStatementHints hints = hints(ONE_SECOND, captured);
        assertTrue(hints.wanted(ON_YARN, 1500));
        assertTrue(hints.wanted(ON_YARN, 1000), "the threshold itself counts as slow");
        assertFalse(hints.wanted(ON_YARN, 999), "quick");
        assertFalse(hints.wanted(session(APP, null), 1500), "local mode: Livy reports no Spark UI");
        assertFalse(hints.wanted(session(APP, " "), 1500), "a blank UI address");
        assertFalse(hints.wanted(session(null, "http://rm:8088/proxy/x/"), 1500), "no application id yet");
        assertFalse(hints.wanted(null, 1500), "no session");
        assertFalse(hints(new SlowStatementHints.Settings(false, Duration.ofSeconds(1)), captured)
                .wanted(ON_YARN, 3_600_000), "switched off");
    }

    @Test
    void theDefaultIsOnFromAMinute() {
        assertEquals(new SlowStatementHints.Settings(true, Duration.ofSeconds(60)), SlowStatementHints.Settings.DEFAULT);
    }

    @Test
    void aSlowStatementWithACriticalFindingGetsOneLine() {
        hints(ONE_SECOND, captured).statementEnded(ON_YARN, "3", 1500, out);
        List<String> shown = hintsShown();
        assertEquals(1, shown.size(), shown::toString);
        assertTrue(shown.get(0).startsWith("This cell: shuffle and memory spill (critical)"), shown.get(0));
        assertTrue(shown.get(0).endsWith("Run %%analyze for advice."), shown.get(0));
        assertEquals(1, shown.get(0).lines().count());
        assertTrue(asked.stream().noneMatch(p -> p.contains("stages/5/")), "stage 5 is another statement's: " + asked);
    }

    @Test
    void aSlowStatementWithoutAProblemShowsNothing() {
        hints(ONE_SECOND, captured).statementEnded(ON_YARN, "8", 1500, out);
        assertEquals(List.of(), out.shown);
        assertFalse(asked.isEmpty(), "it was analysed");
    }

    @Test
    void aQuickStatementIsNotAnalysed() {
        hints(ONE_SECOND, captured).statementEnded(ON_YARN, "3", 999, out);
        assertEquals(List.of(), out.shown);
        assertEquals(List.of(), asked, "the Spark UI is not asked");
    }

    @Test
    void switchedOffNothingIsAsked() {
        hints(new SlowStatementHints.Settings(false, Duration.ofSeconds(1)), captured).statementEnded(ON_YARN, "3",
                3_600_000, out);
        assertEquals(List.of(), out.shown);
        assertEquals(List.of(), asked);
    }

    /** A Spark UI whose every request fails with {@code problem}: a SparkApiException or a bug. */
    private static SparkApi failing(Exception problem) {
        return new SparkApi() {
            @Override
            public String get(String path) throws SparkApiException {
                if (problem instanceof SparkApiException e) {
                    throw e;
                }
                throw (RuntimeException) problem;
            }

            @Override
            public String describe() {
                return "a failing Spark UI";
            }
        };
    }

    @Test
    void aSparkUiThatFailsIsOnlyLogged() {
        try (LogCapture log = new LogCapture()) {
            hints(ONE_SECOND, failing(new SparkApiException(0, "cannot reach the Spark UI (connection refused)")))
                    .statementEnded(ON_YARN, "3", 1500, out);
            assertEquals(List.of(), out.shown);
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("no hint for statement 3")
                    && l.contains("connection refused")), log.lines()::toString);
        }
    }

    @Test
    void aBugInTheAnalysisIsOnlyLogged() {
        try (LogCapture log = new LogCapture()) {
            hints(ONE_SECOND, failing(new IllegalStateException("a bug in the reader"))).statementEnded(ON_YARN, "3",
                    1500, out);
            assertEquals(List.of(), out.shown);
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("a bug in the reader")), log.lines()::toString);
        }
    }
}
