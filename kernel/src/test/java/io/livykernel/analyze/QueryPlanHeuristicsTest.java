package io.livykernel.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.analyze.heuristics.StandardHeuristics;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL-plan heuristics on hand-written answers of {@code sql?details=true}, as Spark 3.5 formats them. */
class QueryPlanHeuristicsTest {
    static final String SQL = "sql?details=true&planDescription=true&offset=0&length=500";

    @TempDir
    Path dir;

    private Report analyze(String sqlJson) throws Exception {
        CapturedApp app = new CapturedApp(dir).stage(1, 4, 1000, 0, 0);
        if (sqlJson != null) {
            app.resource(SQL, sqlJson);
        }
        return StandardHeuristics.analyzer().analyze(app.read());
    }

    private static String execution(String nodes, String edges) {
        return "[{\"id\":3,\"status\":\"COMPLETED\",\"description\":\"daily load\\nat cell 3\",\"successJobIds\":[0],"
                + "\"nodes\":[" + nodes + "],\"edges\":[" + edges + "]}]";
    }

    @Test
    void withoutTheSqlResourceThePlanHeuristicsSaySoAndTheOthersStillRun() throws Exception {
        Report report = analyze(null);
        List<String> skipped = report.notComputed().stream().filter(n -> n.reason().contains("needs sql"))
                .map(Report.NotComputed::heuristic).toList();
        assertEquals(List.of("small-files-read", "small-files-written", "broadcast-join", "cartesian-join"), skipped);
        assertTrue(report.finding("spill").isPresent());
    }

    @Test
    void smallFilesReadAreCountedWithTheQueryAndCellNamed() throws Exception {
        Report report = analyze(execution("{\"nodeId\":1,\"nodeName\":\"Scan parquet default.events\",\"metrics\":["
                + "{\"name\":\"number of files read\",\"value\":\"1,200\"},"
                + "{\"name\":\"size of files read\",\"value\":\"600.0 MiB\"}]}", ""));
        Finding f = report.finding("small-files-read").orElseThrow();
        assertEquals(Severity.SEVERE, f.severity(), f.toString());
        assertEquals("query 3 \"daily load\" (statement 3): \"Scan parquet default.events\" read 1200 files of"
                + " 512.0 KiB on average (600.0 MiB)", f.details().get(0));
        assertEquals(List.of("3"), f.jobGroups());
    }

    @Test
    void aScanWithoutTheFileMetricsIsSkippedWithTheReason() throws Exception {
        Report report = analyze(execution("{\"nodeId\":1,\"nodeName\":\"Scan csv\",\"metrics\":["
                + "{\"name\":\"number of output rows\",\"value\":\"10\"}]}", ""));
        Report.NotComputed skipped = report.notComputed().stream()
                .filter(n -> n.heuristic().equals("small-files-read")).findFirst().orElseThrow();
        assertTrue(skipped.reason().contains("reports no \"number of files read\""), skipped.reason());
    }

    @Test
    void aSortMergeJoinOfASmallSideReadsTheSidesFromTheShuffleBelowIt() throws Exception {
        String taskMetric = "total (min, med, max (stageId: taskId))\\n";
        Report report = analyze(execution(
                "{\"nodeId\":0,\"nodeName\":\"SortMergeJoin\",\"metrics\":[]},"
                + "{\"nodeId\":1,\"nodeName\":\"Sort\",\"metrics\":[]},"
                + "{\"nodeId\":2,\"nodeName\":\"Exchange\",\"metrics\":[{\"name\":\"data size\",\"value\":\""
                + taskMetric + "12.5 GiB (1.0 MiB, 2.0 MiB, 3.0 MiB (stage 1.0: task 4))\"}]},"
                + "{\"nodeId\":3,\"nodeName\":\"Sort\",\"metrics\":[]},"
                + "{\"nodeId\":4,\"nodeName\":\"Exchange\",\"metrics\":[{\"name\":\"data size\",\"value\":\""
                + taskMetric + "40.0 MiB (1.0 MiB, 2.0 MiB, 3.0 MiB (stage 2.0: task 9))\"}]}",
                "{\"fromId\":1,\"toId\":0},{\"fromId\":2,\"toId\":1},{\"fromId\":3,\"toId\":0},{\"fromId\":4,\"toId\":3}"));
        Finding f = report.finding("broadcast-join").orElseThrow();
        assertEquals(Severity.SEVERE, f.severity(), "40 MiB against 12.5 GiB: " + f);
        assertTrue(f.advice().stream().anyMatch(a -> "spark.sql.autoBroadcastJoinThreshold".equals(a.setting())
                && a.value().equals(String.valueOf(80 * Sizes.MIB))), f.advice().toString());
    }
}
