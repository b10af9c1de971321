package io.livykernel.sparkjobs;

import io.livykernel.analyze.Report;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Tasks that keep a large set of small objects alive while allocating more, in a 512 MiB heap (Spark's minimum is
 * 450 MiB) (its own surefire fork) for 3.5 s each: the collector runs again and again over the live set.
 */
class GcHeavyScenarioTest {

    @Test
    void flagsTimeInGarbageCollection() throws Exception {
        Report report = SparkScenario.named("gc-heavy", "local[2]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .run(spark -> JavaSparkContext.fromSparkContext(spark.sparkContext())
                        .parallelize(Arrays.asList(1, 2, 3, 4), 4)
                        .map(seed -> {
                            List<long[]> live = new ArrayList<>();
                            long sum = 0;
                            // Churn for a fixed time, so a fast machine still gives the 10 s of task time
                            // the GC heuristic wants before it judges.
                            long deadline = System.nanoTime() + 3_500_000_000L;
                            for (int round = 0; System.nanoTime() < deadline; round++) {
                                long[] cell = new long[8];
                                cell[0] = round;
                                if (live.size() < 1_500_000) {
                                    live.add(cell);
                                } else {
                                    live.set(round % live.size(), cell);
                                }
                                sum += cell[0];
                            }
                            return sum + live.size();
                        }).collect());
        // A heap this full is also the executor-memory heuristic's "too small" case.
        SparkScenario.assertFlags(report, "gc-time", Set.of("executor-memory"));
    }
}
