package io.livykernel.sparkjobs;

import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Report;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A join of 300,000 rows with 1,000 (about 20 KiB) while automatic broadcasting is off: Spark shuffles and sorts
 * both sides where broadcasting the small one would do.
 */
class BroadcastableJoinScenarioTest {

    @Test
    void flagsSortMergeJoinThatWouldBroadcast() throws Exception {
        Report report = SparkScenario.named("broadcastable-join", "local[2]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .conf("spark.sql.shuffle.partitions", "4")
                .conf("spark.sql.autoBroadcastJoinThreshold", "-1")
                .run(spark -> {
                    Dataset<Row> facts = spark.range(0, 300_000, 1, 4).selectExpr("id % 1000 AS k", "id AS v");
                    Dataset<Row> dims = spark.range(0, 1000, 1, 2).selectExpr("id AS k", "id * 2 AS w");
                    facts.join(dims, "k").selectExpr("sum(v * w)").collectAsList();
                });
        SparkScenario.assertFlags(report, "broadcast-join", Set.of());
        Finding f = report.finding("broadcast-join").orElseThrow();
        assertTrue(f.advice().stream().anyMatch(a -> "spark.sql.autoBroadcastJoinThreshold".equals(a.setting())),
                "advises the threshold: " + f);
    }
}
