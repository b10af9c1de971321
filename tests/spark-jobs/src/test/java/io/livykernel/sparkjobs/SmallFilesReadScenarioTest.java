package io.livykernel.sparkjobs;

import io.livykernel.analyze.Report;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads 150 text files of a few hundred bytes each (written beforehand by plain Java, so no Spark write shows):
 * the scan opens 150 files for 60 KiB.
 */
class SmallFilesReadScenarioTest {

    @Test
    void flagsSmallFilesRead() throws Exception {
        Path input = Files.createTempDirectory("small-files-read");
        for (int i = 0; i < 150; i++) {
            StringBuilder lines = new StringBuilder();
            for (int j = 0; j < 40; j++) {
                lines.append(i).append(',').append(j).append('\n');
            }
            Files.writeString(input.resolve("part-" + i + ".csv"), lines, StandardCharsets.UTF_8);
        }
        Report report = SparkScenario.named("small-files-read", "local[2]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .conf("spark.sql.shuffle.partitions", "4")
                .run(spark -> spark.read().text(input.toString()).count());
        SparkScenario.assertFlags(report, "small-files-read", Set.of());
        assertTrue(report.finding("small-files-read").orElseThrow().details().get(0).contains("150 files"),
                "names the file count: " + report.finding("small-files-read"));
        assertTrue(report.finding("small-files-read").orElseThrow().details().get(0).contains("(statement 7)"),
                "names the notebook statement");
    }
}
