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
        // In local mode the driver is the executor: the collected 240 MiB sit in the heap the tasks use, so
        // whether executor-memory also reports pressure depends on when the collector last ran (seen both ways).
        SparkScenario.assertFlags(report, "driver", Set.of("executor-memory"));
    }
}
