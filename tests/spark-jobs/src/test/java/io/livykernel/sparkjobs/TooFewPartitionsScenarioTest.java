package io.livykernel.sparkjobs;

import io.livykernel.analyze.Report;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** CPU-heavy work squeezed into one partition on four cores: three cores idle for the whole stage. */
class TooFewPartitionsScenarioTest {

    @Test
    void flagsPartitionsAgainstCores() throws Exception {
        Report report = SparkScenario.named("too-few-partitions", "local[4]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .run(spark -> spark.range(0, 3_000_000, 1, 1)
                        .selectExpr("sum(hash(sha2(cast(id AS string), 512)))").collectAsList());
        // The idle cores are the same problem seen from the executors' side.
        SparkScenario.assertFlags(report, "partitions", Set.of("idle-executors"));
    }
}
