package io.livykernel.sparkjobs;

import io.livykernel.analyze.Report;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A sort-merge join where 90% of the rows share one key: one task of the join stage does most of the work.
 * AQE stays on, but its skew split only starts at 256 MiB and partition coalescing would hide the small ones.
 */
class SkewedJoinScenarioTest {

    @Test
    void flagsTaskSkew() throws Exception {
        Report report = SparkScenario.named("skewed-join", "local[2]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .conf("spark.sql.shuffle.partitions", "8")
                .conf("spark.sql.autoBroadcastJoinThreshold", "-1")
                .conf("spark.sql.adaptive.coalescePartitions.enabled", "false")
                .run(spark -> {
                    Dataset<Row> facts = spark.range(0, 3_000_000, 1, 4)
                            .selectExpr("CASE WHEN id % 10 < 9 THEN 0 ELSE id % 1000 END AS k", "id AS v");
                    Dataset<Row> dims = spark.range(0, 1000, 1, 2).selectExpr("id AS k", "id * 2 AS w");
                    facts.join(dims, "k").selectExpr("sum(v * w)").collectAsList();
                });
        // Broadcasting is off to force the sort-merge join, whose 1,000-row side would broadcast: that is flagged too.
        SparkScenario.assertFlags(report, "task-skew", Set.of("broadcast-join"));
        assertFalse(report.finding("task-skew").orElseThrow().jobGroups().isEmpty(), "names the notebook cell");
    }
}
