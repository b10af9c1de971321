package io.livykernel.sparkjobs;

import io.livykernel.analyze.Report;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A global sort of wide rows into two partitions, with a small execution-memory share: the sort spills. */
class SpillingSortScenarioTest {

    @Test
    void flagsSpill() throws Exception {
        Report report = SparkScenario.named("spilling-sort", "local[2]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .conf("spark.sql.shuffle.partitions", "2")
                .conf("spark.sql.adaptive.coalescePartitions.enabled", "false")
                .conf("spark.memory.fraction", "0.1")
                .run(spark -> spark.range(0, 2_000_000, 1, 2)
                        .selectExpr("id", "sha2(cast(id AS string), 256) AS payload")
                        .orderBy("payload").write().format("noop").mode("overwrite").save());
        // Starved of execution memory, the sort also collects garbage often: the same cause.
        SparkScenario.assertFlags(report, "spill", Set.of("gc-time"));
    }
}
