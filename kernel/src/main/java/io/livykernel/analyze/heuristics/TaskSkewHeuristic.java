package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.StageData;
import io.livykernel.analyze.rest.TaskSummary;
import java.util.Map;

/**
 * Task skew within a stage: the longest task (or the one that read the most) against the median, at
 * 2/4/8/16x (Dr. Elephant's StagesAnalyzer). One slow task holds the whole stage while the other cores idle.
 */
public final class TaskSkewHeuristic extends NamedHeuristic {
    /** Skew among short tasks costs little: durations count from 1 s, bytes from 8 MiB. */
    static final long MIN_TASK_MS = 1_000;
    static final long MIN_TASK_BYTES = 8 * Sizes.MIB;

    public TaskSkewHeuristic() {
        super("task-skew", "Task skew within stages");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        requireStages(m);
        if (m.taskSummaries().isEmpty()) {
            if (m.whyUnavailable("taskSummary") != null) {
                throw NotComputable.missing(m, "taskSummary");
            }
            return Finding.of(this).summary("No completed stage with more than one task to compare.").build();
        }
        Finding.Builder f = Finding.of(this);
        Map<Integer, String> groups = m.jobGroupByStage();
        double worstRatio = 0;
        String worst = null;
        for (StageData stage : m.stages()) {
            TaskSummary s = m.summary(stage);
            if (s == null) {
                continue;
            }
            double maxMs = s.at(s.duration(), 1.0);
            double medMs = s.at(s.duration(), 0.5);
            double maxBytes = s.bytesReadAt(1.0);
            double medBytes = s.bytesReadAt(0.5);
            double timeRatio = maxMs >= MIN_TASK_MS ? maxMs / Math.max(medMs, 1) : 0;
            double bytesRatio = maxBytes >= MIN_TASK_BYTES ? maxBytes / Math.max(medBytes, 1) : 0;
            double ratio = Math.max(timeRatio, bytesRatio);
            Severity sev = Severity.of(ratio, 2, 4, 8, 16, true);
            if (sev == Severity.NONE) {
                continue;
            }
            f.severity(sev).stage(stage.stageId(), groups.get(stage.stageId()));
            f.detail("stage " + stage.stageId() + MemorySettings.cell(groups.get(stage.stageId())) + " ("
                    + stage.numTasks() + " tasks): longest task " + Sizes.millis(maxMs) + " vs median "
                    + Sizes.millis(medMs) + (maxBytes >= 0 ? "; largest read " + Sizes.bytes(maxBytes) + " vs median "
                    + Sizes.bytes(medBytes) : "") + " -> " + Sizes.ratio(ratio) + "x (" + sev.label() + ")");
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = "stage " + stage.stageId() + ": longest task " + Sizes.millis(maxMs) + ", median "
                        + Sizes.millis(medMs) + ", largest read " + Sizes.bytes(maxBytes) + ", median read "
                        + Sizes.bytes(medBytes);
            }
        }
        f.figure("stages compared", String.valueOf(m.taskSummaries().size()));
        if (worst == null) {
            return f.summary("Tasks within each stage were even (max/median below 2x, or too short to matter).")
                    .build();
        }
        f.figure("worst max/median", Sizes.ratio(worstRatio)).figure("worst stage", worst);
        return f.summary("Some stages waited on one task " + Sizes.ratio(worstRatio) + "x longer or larger than"
                        + " the median: a few keys or partitions hold most of the data.")
                .advise("spark.sql.adaptive.enabled", "true", "adaptive execution splits skewed join partitions")
                .advise("spark.sql.adaptive.skewJoin.enabled", "true", "on by default with AQE; check nobody"
                        + " turned it off")
                .advise("spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes", "64m", "the default 256m"
                        + " leaves smaller skewed partitions whole")
                .advise("spark.sql.autoBroadcastJoinThreshold", "64m", "broadcasting the small side of a join"
                        + " avoids shuffling the skewed key at all")
                .adviseCode("salt the hot key (add a random suffix 0..N-1 on the large side, explode the small"
                        + " side N times) or filter the dominant key and handle it separately")
                .build();
    }
}
