package io.livykernel.sparkjobs;

import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Report;
import java.util.Arrays;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three of eight tasks fail on their first attempt (a bad record), then succeed on retry (local[2,4]). */
class FailingTasksScenarioTest {

    @Test
    void flagsFailedTasksWithTheirError() throws Exception {
        Report report = SparkScenario.named("failing-tasks", "local[2,4]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .run(spark -> JavaSparkContext.fromSparkContext(spark.sparkContext())
                        .parallelize(Arrays.asList(1, 2, 3, 4, 5, 6, 7, 8), 8)
                        .map(i -> {
                            TaskContext task = TaskContext.get();
                            if (task.partitionId() < 3 && task.attemptNumber() == 0) {
                                throw new IllegalStateException("simulated bad record in partition "
                                        + task.partitionId());
                            }
                            return i * 2;
                        }).collect());
        SparkScenario.assertFlags(report, "failures", Set.of());
        Finding failures = report.finding("failures").orElseThrow();
        assertTrue(failures.details().stream().anyMatch(d -> d.contains("simulated bad record")),
                "names the tasks' error: " + failures.details());
    }
}
