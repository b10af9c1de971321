package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
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

    /**
     * Advice to run fewer tasks at once per heap: half of spark.executor.cores, or in local mode (where that
     * setting means nothing) fewer driver cores.
     */
    static void adviseFewerCores(AppMetrics m, Finding.Builder f, String why) {
        int cores = m.localMode() ? m.cores() : parseInt(m.property("spark.executor.cores", "1"), 1);
        if (cores <= 1) {
            return;
        }
        if (m.localMode()) {
            f.adviseCode("run local[" + cores / 2 + "] instead of local[" + cores + "]: " + why);
        } else {
            f.advise("spark.executor.cores", String.valueOf(cores / 2), why);
        }
    }

    static int parseInt(String text, int fallback) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** "statement 7" for a Livy job group, or "" when the stage ran outside one. */
    static String cell(String jobGroup) {
        return jobGroup == null ? "" : " (statement " + jobGroup + ")";
    }
}
