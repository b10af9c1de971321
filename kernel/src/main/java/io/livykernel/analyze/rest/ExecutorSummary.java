package io.livykernel.analyze.rest;

import java.util.Map;

/**
 * {@code applications/{id}/allexecutors}: one executor (the driver is one too, id "driver"); times in ms.
 * {@code peakMemoryMetrics} (Spark 3.0+) holds JVMHeapMemory, OnHeapUnifiedMemory, ... in bytes. {@code rddBlocks}
 * counts cached blocks; {@code memoryUsed} also counts broadcast pieces (every task's binary is one).
 */
public record ExecutorSummary(String id, String hostPort, boolean isActive, int rddBlocks, int totalCores,
                              int maxTasks,
                              int failedTasks, int completedTasks, int totalTasks, long totalDuration,
                              long totalGCTime, long totalInputBytes, long totalShuffleRead, long totalShuffleWrite,
                              long memoryUsed, long maxMemory, String addTime, String removeTime,
                              String removeReason, Map<String, Long> peakMemoryMetrics) {

    public boolean isDriver() {
        return "driver".equals(id);
    }

    /** A peak memory metric in bytes, or -1 when this Spark does not report it. */
    public long peak(String metric) {
        Long value = peakMemoryMetrics == null ? null : peakMemoryMetrics.get(metric);
        return value == null ? -1 : value;
    }
}
