package io.livykernel.sparkjobs;

import io.livykernel.analyze.Report;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sums 50,010 numbers in 5,001 partitions: each task does nothing but be scheduled. */
class TinyTasksScenarioTest {

    @Test
    void flagsManyTinyTasks() throws Exception {
        Report report = SparkScenario.named("tiny-tasks", "local[2]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .run(spark -> spark.range(0, 50_010, 1, 5_001).selectExpr("sum(id)").collectAsList());
        // The older partitions heuristic notes the same stage at LOW; nothing else may be raised.
        SparkScenario.assertFlags(report, "task-size", Set.of());
    }
}
