package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.ExecutorSummary;
import io.livykernel.analyze.rest.SparkTime;
import java.util.List;

/**
 * Executor idle time: core-time the executors held (cores x time alive) against the task time they ran, as
 * Sparklens' "wasted core hours". Idle shares of 0.5/0.7/0.85/0.95 are flagged; the advice is dynamic allocation
 * (or, with it on, a shorter idle timeout). Applications too short to matter are not judged.
 */
public final class IdleExecutorsHeuristic extends NamedHeuristic {
    /** Less than this much held core-time (30 core-seconds) is not worth advice. */
    static final long MIN_CORE_MS = 30_000;

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
            f.advise("spark.dynamicAllocation.executorIdleTimeout", "30s", "executors were still held while idle;"
                            + " release them sooner")
                    .advise("spark.dynamicAllocation.cachedExecutorIdleTimeout", "10min", "executors holding cached"
                            + " data are otherwise kept for ever")
                    .advise("spark.dynamicAllocation.minExecutors", "0", "keep no executors when nothing runs");
        }
        return f.build();
    }
}
