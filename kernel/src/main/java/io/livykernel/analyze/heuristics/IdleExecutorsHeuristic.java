package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.ExecutorSummary;
import io.livykernel.analyze.rest.SparkTime;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Executor idle time: core-time the executors held (cores x time alive) against the task time they ran, as
 * Sparklens' "wasted core hours". Idle shares of 0.5/0.7/0.85/0.95 are flagged; the advice is dynamic allocation
 * (or, with it on, a shorter idle timeout). Applications too short to matter are not judged.
 */
public final class IdleExecutorsHeuristic extends NamedHeuristic {
    /** Less than this much held core-time (30 core-seconds) is not worth advice. */
    static final long MIN_CORE_MS = 30_000;
    /** An executor idle this long is worth releasing (Spark's default is 60 s). */
    static final long IDLE_TIMEOUT_MS = 30_000;

    public IdleExecutorsHeuristic() {
        super("idle-executors", "Executor idle time and dynamic allocation");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        List<ExecutorSummary> workers = requireTaskExecutors(m);
        long end = m.endEpochMillis();
        long held = 0;
        long used = 0;
        int removed = 0;
        for (ExecutorSummary e : workers) {
            long added = SparkTime.epochMillis(e.addTime());
            long gone = SparkTime.epochMillis(e.removeTime());
            if (added < 0) {
                added = m.attempt() == null ? end : m.attempt().startTimeEpoch();
            }
            if (gone > 0) {
                removed++;
            }
            held += Math.max(0, (gone > 0 ? gone : end) - added) * Math.max(1, e.totalCores());
            used += e.totalDuration();
        }
        boolean dynamic = Boolean.parseBoolean(m.property("spark.dynamicAllocation.enabled", "false"));
        double idle = held <= 0 ? 0 : Math.max(0, 1 - used / (double) held);
        Finding.Builder f = Finding.of(this).figure("executors", String.valueOf(workers.size()))
                .figure("executors removed", String.valueOf(removed))
                .figure("core time held", Sizes.millis(held)).figure("core time running tasks", Sizes.millis(used))
                .figure("idle share", Sizes.ratio(idle))
                .figure("dynamic allocation", dynamic ? "on" : "off");
        // Released by dynamic allocation ("Executor killed by driver.") or lost (a killed container, a crash).
        workers.stream().filter(e -> SparkTime.epochMillis(e.removeTime()) > 0)
                .collect(Collectors.groupingBy(e -> e.removeReason() == null ? "no reason given"
                        : e.removeReason().strip(), TreeMap::new, Collectors.counting()))
                .forEach((why, n) -> f.detail(n + " removed: " + why));
        if (held < MIN_CORE_MS) {
            return f.summary("The application held too little core time (" + Sizes.millis(held) + ") to judge idling.")
                    .build();
        }
        Severity s = Severity.of(idle, 0.5, 0.7, 0.85, 0.95, true);
        f.severity(s);
        if (s == Severity.NONE) {
            return f.summary("Executors were busy " + Sizes.percent(1 - idle) + " of the time they were held.").build();
        }
        f.summary("Executors sat idle " + Sizes.percent(idle) + " of the core time they held ("
                + Sizes.millis(held - used) + " of core time nobody else could use).");
        if (m.localMode()) {
            f.adviseCode("in local mode the idle cores are the driver's: use local[N] with fewer cores, or give"
                    + " the work more partitions so every core has tasks");
        } else if (!dynamic) {
            f.advise("spark.dynamicAllocation.enabled", "true", "executors are released when idle and asked for"
                            + " again when tasks wait")
                    .advise("spark.dynamicAllocation.shuffleTracking.enabled", "true", "dynamic allocation without an"
                            + " external shuffle service (Spark 3.0+)")
                    .advise("spark.dynamicAllocation.executorIdleTimeout", "60s", "release an executor after a minute"
                            + " without tasks")
                    .advise("spark.dynamicAllocation.minExecutors", "0", "an idle notebook holds no executors");
        } else {
            adviseDynamicAllocation(m, workers, f);
        }
        return f.build();
    }

    /**
     * With dynamic allocation on, what kept the idle executors: the minimum it keeps, an idle timeout longer than
     * needed, cached data (kept for ever by default) or shuffle files (kept for ever under shuffle tracking).
     */
    private static void adviseDynamicAllocation(AppMetrics m, List<ExecutorSummary> workers, Finding.Builder f) {
        int min = MemorySettings.parseInt(m.property("spark.dynamicAllocation.minExecutors", "0"), 0);
        long idleTimeout = Sizes.parseMillis(m.property("spark.dynamicAllocation.executorIdleTimeout", "60s"));
        boolean advised = false;
        if (min > 0) {
            f.advise("spark.dynamicAllocation.minExecutors", "0", "keep no executors when nothing runs ("
                    + min + " were kept idle)");
            advised = true;
        }
        if (idleTimeout > IDLE_TIMEOUT_MS) {
            f.advise("spark.dynamicAllocation.executorIdleTimeout", "30s", "executors were still held while idle;"
                    + " release them sooner");
            advised = true;
        }
        if (m.property("spark.dynamicAllocation.cachedExecutorIdleTimeout", null) == null
                && workers.stream().anyMatch(e -> e.rddBlocks() > 0)) {
            f.advise("spark.dynamicAllocation.cachedExecutorIdleTimeout", "10min", "executors holding cached"
                    + " data are otherwise kept for ever; unpersist() what is no longer needed");
            advised = true;
        }
        if (Boolean.parseBoolean(m.property("spark.dynamicAllocation.shuffleTracking.enabled", "false"))
                && m.property("spark.dynamicAllocation.shuffleTracking.timeout", null) == null
                && workers.stream().anyMatch(e -> e.totalShuffleWrite() > 0)) {
            f.advise("spark.dynamicAllocation.shuffleTracking.timeout", "30min", "under shuffle tracking an"
                    + " executor holding shuffle files is otherwise kept for ever (a later stage that needs them"
                    + " after the timeout recomputes them)");
            advised = true;
        }
        if (!advised) {
            f.adviseCode("dynamic allocation released executors as set: the idle time fell between tasks, inside"
                    + " the idle timeout; more partitions or fewer cores per executor would use the slots");
        }
    }
}
