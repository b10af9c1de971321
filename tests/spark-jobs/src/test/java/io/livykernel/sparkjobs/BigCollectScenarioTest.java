package io.livykernel.sparkjobs;

import io.livykernel.analyze.Report;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** collect() of twenty-four 10 MiB partitions into a 1.5 GiB driver. */
class BigCollectScenarioTest {

    @Test
    void flagsResultsCollectedToTheDriver() throws Exception {
        Report report = SparkScenario.named("big-collect", "local[2]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .run(spark -> JavaSparkContext.fromSparkContext(spark.sparkContext())
                        .parallelize(IntStream.range(0, 24).boxed().toList(), 24)
                        .map(i -> new byte[10 * 1024 * 1024]).collect());
        SparkScenario.assertFlags(report, "driver", Set.of());
    }
}
