package io.livykernel.sparkjobs;

import io.livykernel.analyze.Report;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** Counts 5,001 numbers in 5,001 partitions: each task does nothing but be scheduled. */
class TinyTasksScenarioTest {

    @Test
    void flagsManyTinyTasks() throws Exception {
        List<Integer> numbers = IntStream.range(0, 5_001).boxed().toList();
        Report report = SparkScenario.named("tiny-tasks", "local[2]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .run(spark -> JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(numbers, 5_001)
                        .count());
        // The older partitions heuristic notes the same stage at LOW. In local mode the scheduler's garbage for
        // 5,001 tasks is collected in the tasks' JVM and counted as their GC time, so that may show too.
        SparkScenario.assertFlags(report, "task-size", Set.of("gc-time"));
    }
}
