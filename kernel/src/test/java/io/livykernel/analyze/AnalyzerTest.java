package io.livykernel.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.livykernel.analyze.heuristics.StandardHeuristics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzerTest {
    @TempDir
    Path dir;

    @Test
    void missingResourcesLeaveOutOnlyTheHeuristicsThatNeedThemAndSayWhy() throws Exception {
        AppMetrics metrics = new CapturedApp(dir).stage(4, 8, 400_000, 3L * Sizes.GIB, 2L * Sizes.GIB).read();
        Report report = StandardHeuristics.analyzer().analyze(metrics);

        List<String> skipped = report.notComputed().stream().map(Report.NotComputed::heuristic).toList();
        assertTrue(skipped.containsAll(List.of("executor-memory", "gc-time", "idle-executors", "configuration")),
                skipped.toString());
        Report.NotComputed memory = report.notComputed().stream().filter(n -> n.heuristic().equals("executor-memory"))
                .findFirst().orElseThrow();
        assertTrue(memory.reason().contains("executors") && memory.reason().contains("404"), memory.reason());
        assertTrue(report.unavailable().stream().anyMatch(u -> u.resource().equals("environment")));
        // The stages were there: the spill is still found, and placed in its notebook cell.
        Finding spill = report.finding("spill").orElseThrow();
        assertEquals(Severity.CRITICAL, spill.severity());
        assertEquals(List.of(4), spill.stageIds());
        assertEquals(List.of("3"), spill.jobGroups());
        assertTrue(spill.advice().stream().anyMatch(a -> "spark.sql.shuffle.partitions".equals(a.setting())));
    }

    @Test
    void sparkWithoutPeakMemoryMetricsSkipsTheMemoryHeuristicWithItsReason() throws Exception {
        AppMetrics metrics = new CapturedApp(dir).stage(1, 4, 1000, 0, 0)
                .resource("allexecutors", "[{\"id\":\"driver\",\"totalCores\":0},{\"id\":\"1\",\"totalCores\":4,"
                        + "\"totalDuration\":100000,\"totalGCTime\":30000,\"maxMemory\":2000000000}]")
                .resource("environment", "{\"sparkProperties\":[[\"spark.executor.memory\",\"8g\"]]}").read();
        Report report = StandardHeuristics.analyzer().analyze(metrics);

        assertTrue(report.notComputed().stream().anyMatch(n -> n.heuristic().equals("executor-memory")
                && n.reason().contains("peakMemoryMetrics")));
        assertEquals(Severity.CRITICAL, report.finding("gc-time").orElseThrow().severity(), "30% of task time in GC");
        assertEquals(Severity.LOW, report.finding("configuration").orElseThrow().severity(), "Kryo is not set");
    }

    @Test
    void aHistoryServersAttemptIsReadUnderItsAttemptId() throws Exception {
        CapturedApp app = new CapturedApp(dir).put("applications/" + CapturedApp.APP, "{\"id\":\"" + CapturedApp.APP
                + "\",\"attempts\":[{\"attemptId\":\"2\",\"completed\":true,\"duration\":1000}]}");
        app.put("applications/" + CapturedApp.APP + "/2/stages", "[{\"status\":\"FAILED\",\"stageId\":5,"
                + "\"failureReason\":\"Job aborted due to stage failure: java.lang.OutOfMemoryError: Java heap space\"}]");
        Report report = StandardHeuristics.analyzer().analyze(app.read());

        Finding failures = report.finding("failures").orElseThrow();
        assertEquals(Severity.SEVERE, failures.severity());
        assertTrue(failures.details().stream().anyMatch(d -> d.contains("OutOfMemoryError")));
        assertTrue(failures.advice().stream().anyMatch(a -> "spark.executor.memory".equals(a.setting())),
                failures.advice().toString());
    }

    @Test
    void aHeapFullOfUserObjectsWithIdleUnifiedMemoryGetsAMemoryFractionAdvice() throws Exception {
        long gib = Sizes.GIB;
        AppMetrics metrics = new CapturedApp(dir).stage(1, 4, 1000, 0, 0)
                .resource("allexecutors", "[{\"id\":\"1\",\"totalCores\":4,\"totalDuration\":100000,"
                        + "\"maxMemory\":" + 4 * gib + ",\"peakMemoryMetrics\":{\"JVMHeapMemory\":" + 7 * gib
                        + ",\"OnHeapUnifiedMemory\":" + 100 * Sizes.MIB + "}}]")
                .resource("environment", "{\"sparkProperties\":[[\"spark.executor.memory\",\"8g\"]]}").read();
        Finding memory = StandardHeuristics.analyzer().analyze(metrics).finding("executor-memory").orElseThrow();

        assertEquals(Severity.MODERATE, memory.severity(), memory.summary());
        assertEquals(List.of("spark.memory.fraction"), memory.advice().stream().map(Finding.Advice::setting).toList());
    }

    @Test
    void aDriverBoundRunIsToldThatHalfTheExecutorsWouldDo() throws Exception {
        // 600 s of run time, of which one 60 s stage (240 s of task time on 2 x 2 cores): the rest is the driver's.
        AppMetrics metrics = new CapturedApp(dir).stage(1, 8, 240_000, 0, 0)
                .resource("allexecutors", "[{\"id\":\"driver\"},{\"id\":\"1\",\"totalCores\":2,"
                        + "\"totalDuration\":120000},{\"id\":\"2\",\"totalCores\":2,\"totalDuration\":120000}]")
                .resource("environment", "{\"sparkProperties\":[[\"spark.master\",\"yarn\"]]}").read();
        Finding scaling = StandardHeuristics.analyzer().analyze(metrics).finding("scaling").orElseThrow();

        assertEquals(Severity.LOW, scaling.severity(), scaling.summary());
        assertTrue(scaling.figures().contains(new Finding.Figure("driver time (outside stages)", "9.0 min")),
                scaling.figures().toString());
        assertTrue(scaling.advice().contains(new Finding.Advice("spark.executor.instances", "1",
                "the other executors mostly wait")), scaling.advice().toString());
    }

    @Test
    void aLocalClusterIsJudgedAsAClusterOfExecutorsNotAsLocalMode() throws Exception {
        // local-cluster[2,2,3072]: two executor JVMs of 2 cores and 3 GiB that peaked at 200 MiB of heap.
        String executor = "\"totalCores\":2,\"totalDuration\":120000,\"maxMemory\":" + 1600 * Sizes.MIB
                + ",\"peakMemoryMetrics\":{\"JVMHeapMemory\":" + 200 * Sizes.MIB + "}";
        AppMetrics metrics = new CapturedApp(dir).stage(1, 8, 240_000, 0, 0)
                .resource("allexecutors", "[{\"id\":\"driver\",\"maxMemory\":" + 900 * Sizes.MIB
                        + ",\"peakMemoryMetrics\":{\"JVMHeapMemory\":" + 700 * Sizes.MIB + "}},{\"id\":\"0\","
                        + executor + "},{\"id\":\"1\"," + executor + "}]")
                .resource("environment", "{\"sparkProperties\":[[\"spark.master\",\"local-cluster[2,2,3072]\"],"
                        + "[\"spark.executor.memory\",\"3g\"]]}").read();
        Report report = StandardHeuristics.analyzer().analyze(metrics);

        Finding memory = report.finding("executor-memory").orElseThrow();
        assertEquals(Severity.CRITICAL, memory.severity(), memory.summary());
        assertEquals(List.of("spark.executor.memory"), memory.advice().stream().map(Finding.Advice::setting)
                .toList(), "the executors' heap, not the driver's");
        Finding idle = report.finding("idle-executors").orElseThrow();
        assertEquals("spark.dynamicAllocation.enabled", idle.advice().get(0).setting(), idle.advice().toString());
        Finding scaling = report.finding("scaling").orElseThrow();
        assertTrue(scaling.figures().contains(new Finding.Figure("now", "2 executors (4 cores)")),
                scaling.figures().toString());
        assertTrue(scaling.figures().stream().anyMatch(f -> f.name().equals("8 executors (16 cores)")),
                scaling.figures().toString());
    }

    @Test
    void idleExecutorsUnderDynamicAllocationAreToldWhatKeptThem() throws Exception {
        // Shuffle tracking on, default 60 s idle timeout, no minimum: the executors holding shuffle files stay.
        String executor = "\"totalCores\":4,\"totalDuration\":20000,\"totalShuffleWrite\":" + Sizes.GIB;
        AppMetrics metrics = new CapturedApp(dir).stage(1, 8, 40_000, 0, 0)
                .resource("allexecutors", "[{\"id\":\"driver\"},{\"id\":\"1\"," + executor + "},{\"id\":\"2\","
                        + executor + ",\"removeTime\":\"2023-11-14T22:15:00.000GMT\",\"removeReason\":\"Executor"
                        + " killed by driver.\"}]")
                .resource("environment", "{\"sparkProperties\":[[\"spark.master\",\"yarn\"],"
                        + "[\"spark.dynamicAllocation.enabled\",\"true\"],"
                        + "[\"spark.dynamicAllocation.shuffleTracking.enabled\",\"true\"]]}").read();
        Finding idle = StandardHeuristics.analyzer().analyze(metrics).finding("idle-executors").orElseThrow();

        assertTrue(idle.severity().atLeast(Severity.SEVERE), idle.summary());
        assertEquals(List.of("spark.dynamicAllocation.executorIdleTimeout",
                "spark.dynamicAllocation.shuffleTracking.timeout"),
                idle.advice().stream().map(Finding.Advice::setting).toList());
        assertEquals(List.of("1 removed: Executor killed by driver."), idle.details());
    }

    @Test
    void anUnknownApplicationIsAnErrorNotAnEmptyReport() {
        SparkApiException e = assertThrows(SparkApiException.class,
                () -> new MetricsReader(new DirectorySparkApi(dir)).read("application_0_0000"));
        assertTrue(e.notFound());
    }

    @Test
    void renderersCarryTheSameFindings() throws Exception {
        Report report = StandardHeuristics.analyzer().analyze(new CapturedApp(dir).stage(2, 8, 1000, 200 * Sizes.MIB,
                100 * Sizes.MIB).read());

        JsonObject json = JsonReport.toJson(report);
        assertEquals(Report.SCHEMA_VERSION, json.get("schemaVersion").getAsInt());
        assertEquals("critical", json.get("worstSeverity").getAsString());
        assertEquals("spill", json.getAsJsonArray("findings").get(0).getAsJsonObject().get("heuristic")
                .getAsString(), "worst first");
        assertTrue(TextReport.render(report).contains("[CRITICAL] Shuffle and memory spill (spill)"));
        String html = HtmlReport.render(report);
        assertTrue(html.contains(HtmlReport.COLOURS.get(Severity.CRITICAL)));
        assertFalse(html.contains("<script"));

        byte[] png = StageChart.png(report);
        assertNotNull(png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(800, image.getWidth());
    }

    @Test
    void severityLimitsReadBothWays() {
        assertEquals(Severity.NONE, Severity.of(1.9, 2, 4, 8, 16, true));
        assertEquals(Severity.MODERATE, Severity.of(4, 2, 4, 8, 16, true));
        assertEquals(Severity.CRITICAL, Severity.of(40, 2, 4, 8, 16, true));
        assertEquals(Severity.SEVERE, Severity.of(0.3, 0.7, 0.6, 0.4, 0.2, false));
    }

    @Test
    void memorySettingsAreReadAndWrittenAsSparkDoes() {
        assertEquals(4 * Sizes.GIB, Sizes.parseMemory("4g"));
        assertEquals(2048 * Sizes.MIB, Sizes.parseMemory("2048"), "no unit means MiB for spark.*.memory");
        assertEquals(512 * Sizes.MIB, Sizes.parseMemory("512m"));
        assertEquals(-1, Sizes.parseMemory("lots"));
        assertEquals("1536m", Sizes.memorySetting(1.2 * Sizes.GIB));
        assertEquals("2g", Sizes.memorySetting(2 * Sizes.GIB));
        assertEquals(60_000, Sizes.parseMillis("60s"));
        assertEquals(120_000, Sizes.parseMillis("2min"));
        assertEquals(30_000, Sizes.parseMillis("30"), "no unit means seconds for the dynamic allocation timeouts");
        assertEquals(-1, Sizes.parseMillis("soon"));
    }
}
