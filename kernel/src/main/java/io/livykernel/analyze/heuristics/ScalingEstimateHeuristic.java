package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.StageData;
import io.livykernel.analyze.rest.TaskSummary;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A Sparklens-style estimate of the run time with fewer or more executors. Each stage needs at least its longest
 * task (the critical path) and otherwise its task time spread over the cores; time outside stages is the driver's
 * and does not scale. Stages are taken as running one after another, which is what notebook cells do.
 */
public final class ScalingEstimateHeuristic extends NamedHeuristic {
    static final double[] FACTORS = {0.25, 0.5, 1, 2, 4};

    public ScalingEstimateHeuristic() {
        super("scaling", "Run time with fewer or more executors (estimate)");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        requireStages(m);
        requireTaskExecutors(m);
        long wall = m.durationMs();
        int cores = m.cores();
        long stageWall = 0;
        long criticalPath = 0;
        for (StageData s : m.stages()) {
            stageWall += Math.max(0, s.wallClockMs());
            criticalPath += longestTask(m, s);
        }
        long driverTime = Math.max(0, wall - stageWall);
        double now = estimate(m, cores, 1, driverTime);
        Finding.Builder f = Finding.of(this).figure("run time", Sizes.millis(wall))
                .figure("driver time (outside stages)", Sizes.millis(driverTime))
                .figure("critical path (driver + longest tasks)", Sizes.millis(driverTime + criticalPath))
                .figure("cores now", String.valueOf(cores));
        Map<Double, Double> estimates = new LinkedHashMap<>();
        for (double factor : FACTORS) {
            double est = estimate(m, cores, factor, driverTime);
            estimates.put(factor, est);
            // Scale the model to the measured run time so the figures are read as relative changes.
            double scaled = now <= 0 ? est : est * wall / now;
            f.figure(String.format(Locale.ROOT, "%s executors (%d cores)", percent(factor),
                    Math.max(1, Math.round(cores * factor))), Sizes.millis(scaled));
        }
        double half = estimates.get(0.5);
        double twice = estimates.get(2.0);
        if (wall > 60_000 && now > 0 && half <= 1.1 * now) {
            f.severity(Severity.LOW).summary("Half the executors would finish in about the same time ("
                    + Sizes.percent(half / now - 1) + " longer): the run is bound by the driver or by its longest"
                    + " tasks, not by executors.");
            if (m.localMode()) {
                f.adviseCode("local[" + Math.max(1, cores / 2) + "] would do: the other cores mostly wait");
            } else {
                f.advise("spark.executor.instances", "half of now", "the other executors mostly wait")
                        .advise("spark.dynamicAllocation.maxExecutors", "half of now", "the same with dynamic"
                                + " allocation");
            }
        } else {
            f.summary(now <= 0 ? "No stage ran long enough to estimate." : "Twice the executors: about "
                    + Sizes.percent(1 - twice / now) + " less run time; the rest is driver time and the longest"
                    + " tasks.");
        }
        return f.build();
    }

    /** The model's run time with {@code factor} times the cores. */
    private static double estimate(AppMetrics m, int cores, double factor, long driverTime) {
        double slots = Math.max(1, cores * factor);
        double total = driverTime;
        for (StageData s : m.stages()) {
            total += Math.max(longestTask(m, s), s.executorRunTime() / slots);
        }
        return total;
    }

    private static long longestTask(AppMetrics m, StageData s) {
        TaskSummary summary = m.summary(s);
        double max = summary == null ? -1 : summary.at(summary.duration(), 1.0);
        return max >= 0 ? (long) max : s.executorRunTime() / Math.max(1, s.numTasks());
    }

    private static String percent(double factor) {
        return Sizes.percent(factor);
    }
}
