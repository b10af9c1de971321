package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.ExecutorSummary;

/** The heap sizes an application asked for, from its properties or, where unset, from what Spark reports. */
final class MemorySettings {
    private MemorySettings() {
    }

    /** The setting that sizes the heap of the JVMs that run tasks (in local mode the driver runs them). */
    static String executorMemoryKey(AppMetrics m) {
        return m.localMode() ? "spark.driver.memory" : "spark.executor.memory";
    }

    /** Heap of each task-running JVM in bytes: the setting, else derived from the executor's storage memory. */
    static long executorHeap(AppMetrics m) {
        long set = Sizes.parseMemory(m.property(executorMemoryKey(m), null));
        if (set > 0) {
            return set;
        }
        return m.localMode() ? derivedHeap(m, m.driver()) : Sizes.GIB; // Spark's default for executors
    }

    static long driverHeap(AppMetrics m) {
        long set = Sizes.parseMemory(m.property("spark.driver.memory", null));
        return set > 0 ? set : derivedHeap(m, m.driver());
    }

    static double memoryFraction(AppMetrics m) {
        try {
            return Double.parseDouble(m.property("spark.memory.fraction", "0.6"));
        } catch (NumberFormatException e) {
            return 0.6;
        }
    }

    /** maxMemory = (heap - 300 MiB) x spark.memory.fraction, read backwards; 1 GiB when unknown. */
    private static long derivedHeap(AppMetrics m, ExecutorSummary executor) {
        if (executor == null || executor.maxMemory() <= 0) {
            return Sizes.GIB;
        }
        return (long) (executor.maxMemory() / memoryFraction(m)) + Sizes.RESERVED;
    }

    /** "statement 7" for a Livy job group, or "" when the stage ran outside one. */
    static String cell(String jobGroup) {
        return jobGroup == null ? "" : " (statement " + jobGroup + ")";
    }
}
