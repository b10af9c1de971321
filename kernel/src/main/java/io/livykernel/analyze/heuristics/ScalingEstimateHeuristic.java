package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.ExecutorSummary;
import io.livykernel.analyze.rest.StageData;
import io.livykernel.analyze.rest.TaskSummary;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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
        List<ExecutorSummary> workers = requireTaskExecutors(m);
        long wall = m.durationMs();
        int cores = m.cores();
        // What is added or taken away: whole executors on a cluster, cores of a single JVM (local mode's driver,
        // or a cluster's one executor).
        int perExecutor = Math.max(1, workers.stream().mapToInt(ExecutorSummary::totalCores).max().orElse(1));
        boolean byExecutor = !m.localMode() && cores >= 2 * perExecutor;
        int perUnit = byExecutor ? perExecutor : 1;
        int unitsNow = Math.max(1, Math.round(cores / (float) perUnit));
        long stageWall = 0;
        long criticalPath = 0;
        for (StageData s : m.stages()) {
            stageWall += Math.max(0, s.wallClockMs());
            criticalPath += longestTask(m, s);
        }
        long driverTime = Math.max(0, wall - stageWall);
        double now = estimate(m, cores, driverTime);
        String nowLabel = label(m, byExecutor, unitsNow, perUnit);
        Finding.Builder f = Finding.of(this).figure("run time", Sizes.millis(wall))
                .figure("driver time (outside stages)", Sizes.millis(driverTime))
                .figure("critical path (driver + longest tasks)", Sizes.millis(driverTime + criticalPath))
                .figure("now", nowLabel);
        // Model run time by number of executors (or cores), scaled to the measured run time so the figures read
        // as the run time that count would have had.
        Map<Integer, Double> predicted = new TreeMap<>();
        for (double factor : FACTORS) {
            int units = Math.max(1, (int) Math.round(unitsNow * factor));
            if (predicted.containsKey(units)) {
                continue;
            }
            double est = estimate(m, units * perUnit, driverTime);
            double scaled = now <= 0 ? est : est * wall / now;
            predicted.put(units, scaled);
            f.figure(label(m, byExecutor, units, perUnit), Sizes.millis(scaled));
        }
        int fewer = Math.max(1, unitsNow / 2);
        int more = unitsNow * 2;
        String fewerLabel = label(m, byExecutor, fewer, perUnit);
        double half = predicted.getOrDefault(fewer, (double) wall);
        double twice = predicted.getOrDefault(more, (double) wall);
        if (wall > 60_000 && now > 0 && fewer < unitsNow && half <= 1.1 * wall) {
            f.severity(Severity.LOW).summary(capitalized(fewerLabel) + " instead of " + nowLabel + " would finish in"
                    + " about the same time (" + Sizes.millis(half) + ", now " + Sizes.millis(wall) + "): the run is"
                    + " bound by the driver or by its longest tasks, not by executors.");
            if (m.localMode()) {
                f.adviseCode(fewerLabel + " would do: the other cores mostly wait");
            } else if (!byExecutor) {
                f.advise("spark.executor.cores", String.valueOf(fewer), "the other cores mostly wait");
            } else {
                f.advise("spark.executor.instances", String.valueOf(fewer), "the other executors mostly wait")
                        .advise("spark.dynamicAllocation.maxExecutors", String.valueOf(fewer), "the same with"
                                + " dynamic allocation");
            }
        } else {
            f.summary(now <= 0 ? "No stage ran long enough to estimate." : capitalized(label(m, byExecutor, more,
                    perUnit)) + " instead of " + nowLabel + ": about " + Sizes.millis(twice) + " (now "
                    + Sizes.millis(wall) + ", " + Sizes.percent(1 - twice / wall) + " less); the rest is driver time"
                    + " and the longest tasks.");
        }
        return f.build();
    }

    /** "3 executors (6 cores)" on a cluster, "1 executor (2 cores)" when it has one, "local[3]" in local mode. */
    private static String label(AppMetrics m, boolean byExecutor, int units, int perUnit) {
        if (m.localMode()) {
            return "local[" + units + "]";
        }
        int executors = byExecutor ? units : 1;
        return String.format(Locale.ROOT, "%d executor%s (%d cores)", executors, executors == 1 ? "" : "s",
                units * perUnit);
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** The model's run time with {@code slots} task slots (cores). */
    private static double estimate(AppMetrics m, int slots, long driverTime) {
        double total = driverTime;
        for (StageData s : m.stages()) {
            total += Math.max(longestTask(m, s), s.executorRunTime() / (double) Math.max(1, slots));
        }
        return total;
    }

    private static long longestTask(AppMetrics m, StageData s) {
        TaskSummary summary = m.summary(s);
        double max = summary == null ? -1 : summary.at(summary.duration(), 1.0);
        return max >= 0 ? (long) max : s.executorRunTime() / Math.max(1, s.numTasks());
    }
}
