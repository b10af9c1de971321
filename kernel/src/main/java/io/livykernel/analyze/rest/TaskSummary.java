package io.livykernel.analyze.rest;

import java.util.List;

/**
 * {@code stages/{id}/{attempt}/taskSummary?quantiles=...}: each metric's value at each requested quantile,
 * in the order of {@link #quantiles}.
 */
public record TaskSummary(List<Double> quantiles, List<Double> duration, List<Double> executorRunTime,
                          List<Double> jvmGcTime, List<Double> memoryBytesSpilled, List<Double> diskBytesSpilled,
                          InputMetrics inputMetrics, ShuffleReadMetrics shuffleReadMetrics) {

    public record InputMetrics(List<Double> bytesRead) {
    }

    public record ShuffleReadMetrics(List<Double> readBytes) {
    }

    /** The value of {@code metric} at quantile {@code q}, or -1 when the summary lacks it. */
    public double at(List<Double> metric, double q) {
        if (metric == null || quantiles == null) {
            return -1;
        }
        for (int i = 0; i < quantiles.size() && i < metric.size(); i++) {
            if (Math.abs(quantiles.get(i) - q) < 1e-9) {
                return metric.get(i);
            }
        }
        return -1;
    }

    /** Bytes each task read (input plus shuffle) at quantile q, or -1. */
    public double bytesReadAt(double q) {
        double input = inputMetrics == null ? -1 : at(inputMetrics.bytesRead(), q);
        double shuffle = shuffleReadMetrics == null ? -1 : at(shuffleReadMetrics.readBytes(), q);
        return input < 0 && shuffle < 0 ? -1 : Math.max(0, input) + Math.max(0, shuffle);
    }
}
