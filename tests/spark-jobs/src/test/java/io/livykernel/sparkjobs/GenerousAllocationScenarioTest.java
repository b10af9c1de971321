package io.livykernel.sparkjobs;

import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Report;
import io.livykernel.analyze.Severity;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A notebook session on a generous allocation, on real executor JVMs (local-cluster): three executors of 2 cores
 * and 3 GiB under dynamic allocation that keeps two (minExecutors 2). One short cell runs (a task per core), then
 * the user reads its result for 12 s: the third executor is released once idle, the other two are held doing
 * nothing, and none of them came near its heap.
 */
class GenerousAllocationScenarioTest {

    @Test
    void flagsIdleExecutorsAndOversizedExecutorHeaps() throws Exception {
        Report report = SparkScenario.onCluster("generous-allocation", 3, 2, "3g")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .conf("spark.dynamicAllocation.enabled", "true")
                .conf("spark.dynamicAllocation.shuffleTracking.enabled", "true")
                .conf("spark.dynamicAllocation.minExecutors", "2")
                .conf("spark.dynamicAllocation.initialExecutors", "3")
                .conf("spark.dynamicAllocation.maxExecutors", "3")
                .conf("spark.dynamicAllocation.executorIdleTimeout", "2s")
                .run(spark -> {
                    Jobs.busyFor(spark, 6, 500);
                    Jobs.pause(12_000); // the user reads the cell's result
                });
        SparkScenario.assertFlags(report, "idle-executors", Set.of("executor-memory"));

        Finding idle = report.finding("idle-executors").orElseThrow();
        // Dynamic allocation released at least the third (the standalone master may start a replacement first).
        assertTrue(idle.figures().stream().anyMatch(f -> f.name().equals("executors removed")
                && Integer.parseInt(f.value()) >= 1), idle.figures().toString());
        assertTrue(idle.details().stream().anyMatch(d -> d.endsWith("removed: Executor killed by driver.")),
                idle.details().toString());
        // What kept them is the minimum: the 2 s idle timeout is short already, and nothing was cached or shuffled.
        assertEquals(List.of(new Finding.Advice("spark.dynamicAllocation.minExecutors", "0", "keep no executors"
                + " when nothing runs (2 were kept idle)")), idle.advice());

        Finding memory = report.finding("executor-memory").orElseThrow();
        assertTrue(memory.severity().atLeast(Severity.MODERATE), memory.toString());
        assertEquals(List.of("spark.executor.memory"), memory.advice().stream().map(Finding.Advice::setting).toList(),
                "the executors' heap is what was over-asked, not the driver's");

        Finding scaling = report.finding("scaling").orElseThrow();
        assertTrue(scaling.figures().contains(new Finding.Figure("now", "3 executors (6 cores)")),
                scaling.figures().toString());
        assertTrue(scaling.summary().startsWith("6 executors (12 cores) instead of 3 executors (6 cores): about "),
                scaling.summary());
    }
}
