package io.livykernel.sparkjobs;

import io.livykernel.analyze.Report;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * A skewed sort-merge join with adaptive query execution off: 200 shuffle partitions of a few hundred KiB each,
 * which AQE would have coalesced. Broadcasting is off so that the join shuffles; its smaller side (about 14 MiB)
 * is too large for the broadcast-join heuristic to call it broadcastable.
 */
class AqeOffSkewedJoinScenarioTest {

    @Test
    void flagsAqeOff() throws Exception {
        Report report = SparkScenario.named("aqe-off-skewed-join", "local[2]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .conf("spark.sql.adaptive.enabled", "false")
                .conf("spark.sql.autoBroadcastJoinThreshold", "-1")
                .run(spark -> {
                    Dataset<Row> facts = spark.range(0, 1_000_000, 1, 4)
                            .selectExpr("CASE WHEN id % 10 < 9 THEN 0 ELSE id % 600000 END AS k", "id AS v");
                    Dataset<Row> dims = spark.range(0, 600_000, 1, 2).selectExpr("id AS k", "id * 2 AS w");
                    facts.join(dims, "k").selectExpr("sum(v * w)").collectAsList();
                });
        // The join is skewed by construction, so task skew may be flagged with it; the configuration check names
        // AQE off as a setting, without the evidence.
        SparkScenario.assertFlags(report, "aqe-off", Set.of("task-skew", "configuration"));
    }
}
