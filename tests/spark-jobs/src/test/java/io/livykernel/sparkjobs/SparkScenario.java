package io.livykernel.sparkjobs;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.DirectorySparkApi;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.HttpSparkApi;
import io.livykernel.analyze.MetricsReader;
import io.livykernel.analyze.Report;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.TextReport;
import io.livykernel.analyze.heuristics.StandardHeuristics;
import io.livykernel.messages.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs one small Spark application in local mode (or on a local-cluster of real executor JVMs), captures the REST
 * answers the analyser asks for while its UI is up (into {@code target/spark-fixtures/NAME/}), and analyses the
 * captured copy.
 */
final class SparkScenario {
    private final String name;
    private final SparkSession.Builder builder;
    /** Executors to wait for before the job starts (0 in local mode, where the driver is the executor). */
    private int executors;

    private SparkScenario(String name, String master) {
        this.name = name;
        this.builder = SparkSession.builder().appName("livy-kernel scenario: " + name).master(master)
                .config("spark.ui.enabled", "true")
                .config("spark.ui.port", "0")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/spark-scenario-warehouse")
                // Peak memory is sampled by the executor's metrics poller; the default (only at heartbeats, every
                // 10 s) would miss short jobs.
                .config("spark.executor.metrics.pollingInterval", "100ms")
                .config("spark.executor.heartbeatInterval", "1s");
    }

    static SparkScenario named(String name, String master) {
        return new SparkScenario(name, master);
    }

    /**
     * A standalone master and {@code executors} workers inside this JVM, each starting one real executor JVM of
     * {@code cores} cores and {@code memory} heap. The workers build the executor's command from SPARK_HOME (the
     * tests/spark-home module's assembly, set by surefire); the job's own classes come from the test class path.
     */
    static SparkScenario onCluster(String name, int executors, int cores, String memory) {
        String home = System.getenv("SPARK_HOME");
        if (home == null || !Files.isDirectory(Path.of(home, "jars"))) {
            throw new IllegalStateException("SPARK_HOME (" + home + ") has no jars/: build tests/spark-home first"
                    + " (mvn -B package -pl tests/spark-home)");
        }
        long megabytes = Sizes.parseMemory(memory) / Sizes.MIB;
        SparkScenario scenario = new SparkScenario(name, "local-cluster[" + executors + "," + cores + "," + megabytes + "]")
                .conf("spark.executor.cores", String.valueOf(cores))
                .conf("spark.executor.memory", memory)
                .conf("spark.executor.extraClassPath", System.getProperty("test.classes.dir", "target/test-classes"));
        scenario.executors = executors;
        return scenario;
    }

    SparkScenario conf(String key, String value) {
        builder.config(key, value);
        return this;
    }

    /** Runs the job (a failure it throws is part of some scenarios), captures, and returns the captured report. */
    Report run(Consumer<SparkSession> job) throws Exception {
        Path dir = Path.of(System.getProperty("fixtures.dir", "target/spark-fixtures")).resolve(name);
        deleteTree(dir);
        SparkSession spark = builder.getOrCreate();
        String appId = spark.sparkContext().applicationId();
        try {
            awaitExecutors(spark);
            spark.sparkContext().setJobGroup("7", "cell 7 of a notebook", false);
            try {
                job.accept(spark);
            } catch (RuntimeException expectedInSomeScenarios) {
                System.out.println(name + ": the job failed as built to: " + expectedInSomeScenarios.getMessage()
                        .lines().findFirst().orElse(""));
            }
            // Let the heartbeat carry the last memory peaks and the listener bus settle before reading.
            Thread.sleep(1100);
            spark.sparkContext().listenerBus().waitUntilEmpty();
            String ui = spark.sparkContext().uiWebUrl().get();
            new MetricsReader(new RecordingSparkApi(new HttpSparkApi(ui), dir)).read(appId);
        } finally {
            spark.stop();
        }
        JsonObject manifest = new JsonObject();
        manifest.addProperty("scenario", name);
        manifest.addProperty("appId", appId);
        Files.writeString(dir.resolve("scenario.json"), Json.toJson(manifest), StandardCharsets.UTF_8);
        AppMetrics captured = new MetricsReader(new DirectorySparkApi(dir)).read(appId);
        Report report = StandardHeuristics.analyzer().analyze(captured);
        System.out.println(TextReport.render(report));
        return report;
    }

    /**
     * Executor JVMs take seconds to start; a job started before them would wait, and look like a slow stage.
     * Counted in allexecutors, which keeps the ones dynamic allocation released in the meantime.
     */
    private void awaitExecutors(SparkSession spark) throws Exception {
        if (executors == 0) {
            return;
        }
        HttpSparkApi api = new HttpSparkApi(spark.sparkContext().uiWebUrl().get());
        String path = "applications/" + spark.sparkContext().applicationId() + "/allexecutors";
        long deadline = System.nanoTime() + 180_000_000_000L;
        // The list holds the driver too.
        while (JsonParser.parseString(api.get(path)).getAsJsonArray().size() < executors + 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": " + executors + " executors did not register within 3"
                        + " minutes; their logs are in SPARK_HOME/work/");
            }
            Thread.sleep(200);
        }
    }

    /** The heuristic the job was built to show is flagged at least MODERATE; no other is, but the related ones. */
    static void assertFlags(Report report, String expected, Set<String> related) {
        Finding finding = report.finding(expected).orElseThrow(() -> new AssertionError(expected
                + " was not computed: " + report.notComputed()));
        assertTrue(finding.severity().atLeast(Severity.MODERATE), expected + " should be at least MODERATE: "
                + finding);
        List<String> others = report.findings().stream()
                .filter(f -> f.severity().atLeast(Severity.MODERATE) && !f.heuristic().equals(expected)
                        && !related.contains(f.heuristic()))
                .map(f -> f.heuristic() + "=" + f.severity()).toList();
        assertEquals(List.of(), others, "only " + expected + " (and " + related + ") should be flagged");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
