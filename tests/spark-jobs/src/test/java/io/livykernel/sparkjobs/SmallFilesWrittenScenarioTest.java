package io.livykernel.sparkjobs;

import io.livykernel.analyze.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes 20,000 rows as 120 Parquet files (one per partition) of about 1 KiB each. A two-file write (one task per
 * core) first loads the Parquet classes, so that the first of the 120 tasks is not slower than the rest (task skew
 * is not the point).
 */
class SmallFilesWrittenScenarioTest {

    @Test
    void flagsSmallFilesWritten() throws Exception {
        Path output = Files.createTempDirectory("small-files-written").resolve("out");
        Report report = SparkScenario.named("small-files-written", "local[2]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .run(spark -> {
                    spark.range(0, 10, 1, 2).write().parquet(output.resolveSibling("warm-up").toString());
                    spark.range(0, 20_000, 1, 120).write().parquet(output.toString());
                });
        SparkScenario.assertFlags(report, "small-files-written", Set.of());
        assertTrue(report.finding("small-files-written").orElseThrow().details().get(0).contains("120 files"),
                "names the file count: " + report.finding("small-files-written"));
    }
}
