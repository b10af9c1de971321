package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.SqlExecution;
import io.livykernel.analyze.rest.StageData;
import io.livykernel.analyze.rest.TaskSummary;
import java.util.Map;

/**
 * Adaptive query execution switched off where it would have helped: a stage that read a shuffle in many
 * partitions averaging under a quarter of AQE's advisory size (AQE would have coalesced them), or a shuffle
 * partition over 5x the median and over 256 MiB (AQE's skew join would have split it). Only the rules of the
 * Spark defaults are replayed, so a finding here is what AQE would have done with its defaults.
 */
public final class AdaptiveExecutionHeuristic extends NamedHeuristic {
    static final long ADVISORY = 64 * Sizes.MIB;
    static final int SKEW_FACTOR = 5;
    static final long SKEW_THRESHOLD = 256 * Sizes.MIB;

    public AdaptiveExecutionHeuristic() {
        super("aqe-off", "Adaptive query execution off");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        requireStages(m);
        Finding.Builder f = Finding.of(this);
        String enabled = m.property("spark.sql.adaptive.enabled", "true").trim();
        f.figure("spark.sql.adaptive.enabled", enabled);
        if (!enabled.equalsIgnoreCase("false")) {
            return f.summary("Adaptive query execution is on.").build();
        }
        int cores = m.cores();
        Map<Integer, String> groups = m.jobGroupByStage();
        Map<Integer, SqlExecution> queries = m.sqlExecutionByStage();
        boolean coalesce = false;
        boolean skew = false;
        for (StageData s : m.stages()) {
            if (s.shuffleReadBytes() <= 0 || s.numTasks() <= 1) {
                continue;
            }
            String where = stage(m, queries, groups, s.stageId());
            double average = s.shuffleReadBytes() / (double) s.numTasks();
            // Coalescing keeps at least one partition per core; fewer tasks than twice the cores gain little.
            long after = Math.max(cores, (long) Math.ceil(s.shuffleReadBytes() / (double) ADVISORY));
            if (average < ADVISORY / 4.0 && s.numTasks() >= 2L * after && s.numTasks() >= 2 * cores) {
                coalesce = true;
                f.severity(Severity.of(s.numTasks() / (double) after, 2, 4, 50, 1000, true))
                        .stage(s.stageId(), groups.get(s.stageId())).detail(where + ": read "
                                + Sizes.bytes(s.shuffleReadBytes()) + " of shuffle in " + s.numTasks()
                                + " partitions of " + Sizes.bytes(average) + " on average; AQE would have"
                                + " coalesced them into about " + after);
            }
            TaskSummary summary = m.summary(s);
            double median = summary == null || summary.shuffleReadMetrics() == null ? -1
                    : summary.at(summary.shuffleReadMetrics().readBytes(), 0.5);
            double max = summary == null || summary.shuffleReadMetrics() == null ? -1
                    : summary.at(summary.shuffleReadMetrics().readBytes(), 1.0);
            if (median > 0 && max > SKEW_FACTOR * median && max > SKEW_THRESHOLD) {
                skew = true;
                f.severity(Severity.SEVERE).stage(s.stageId(), groups.get(s.stageId())).detail(where
                        + ": one partition read " + Sizes.bytes(max) + " against a median of " + Sizes.bytes(median)
                        + "; AQE's skew join would have split it");
            }
        }
        if (f.severity() == Severity.NONE) {
            return f.summary("Adaptive query execution is off, but no stage shows what it would have changed.")
                    .build();
        }
        f.advise("spark.sql.adaptive.enabled", "true", "re-plans each query stage from the sizes it saw")
                .advise("spark.sql.adaptive.coalescePartitions.enabled", "true", "merges small shuffle partitions");
        if (skew) {
            f.advise("spark.sql.adaptive.skewJoin.enabled", "true", "splits skewed partitions of a sort-merge join");
        }
        return f.summary("Adaptive query execution was off, and it would have " + (coalesce && skew
                ? "coalesced small shuffle partitions and split skewed ones."
                : coalesce ? "coalesced small shuffle partitions." : "split skewed shuffle partitions.")).build();
    }
}
