package io.livykernel.sparkjobs;

import io.livykernel.analyze.Report;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A cross join of 10,000 by 12,000 rows: 120 million row pairs compared to keep a few. */
class CartesianJoinScenarioTest {

    @Test
    void flagsCartesianProduct() throws Exception {
        Report report = SparkScenario.named("cartesian-join", "local[2]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .conf("spark.sql.shuffle.partitions", "4")
                .run(spark -> spark.range(0, 12_000, 1, 2).crossJoin(spark.range(0, 10_000, 1, 1)
                        .withColumnRenamed("id", "other")).where("id + other = 5000").count());
        SparkScenario.assertFlags(report, "cartesian-join", Set.of());
    }
}
