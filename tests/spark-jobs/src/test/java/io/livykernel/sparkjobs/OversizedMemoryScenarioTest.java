package io.livykernel.sparkjobs;

import io.livykernel.analyze.Report;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A small aggregation in a driver started with 3 GiB of heap (its own surefire fork, -Xmx3g). */
class OversizedMemoryScenarioTest {

    @Test
    void flagsMemoryAskedForAndNotUsed() throws Exception {
        Report report = SparkScenario.named("oversized-memory", "local[2]")
                .conf("spark.driver.memory", "3g")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .conf("spark.sql.shuffle.partitions", "4")
                .run(spark -> spark.range(0, 500_000, 1, 4).selectExpr("id % 10 AS k").groupBy("k").count()
                        .collectAsList());
        SparkScenario.assertFlags(report, "executor-memory", Set.of());
    }
}
