package io.livykernel.sparkjobs;

import io.livykernel.analyze.Report;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * CPU-heavy work (hashing, for a fixed 3 s so the stage is long on any machine) squeezed into one partition on
 * four cores: three cores idle for the whole stage.
 */
class TooFewPartitionsScenarioTest {

    @Test
    void flagsPartitionsAgainstCores() throws Exception {
        Report report = SparkScenario.named("too-few-partitions", "local[4]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .run(spark -> Jobs.busyFor(spark, 1, 3_000));
        // The idle cores are the same problem seen from the executors' side.
        SparkScenario.assertFlags(report, "partitions", Set.of("idle-executors"));
    }
}
