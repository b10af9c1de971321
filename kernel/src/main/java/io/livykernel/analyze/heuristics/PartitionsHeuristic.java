package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.StageData;
import io.livykernel.analyze.rest.TaskSummary;
import java.util.Map;

/**
 * Partition counts against available cores: a stage of fewer tasks than cores leaves cores idle (cores / tasks
 * at 1.5/2/4/8); thousands of tiny tasks spend their time on scheduling. Only stages long enough to matter count.
 */
public final class PartitionsHeuristic extends NamedHeuristic {
    static final long MIN_STAGE_MS = 2_000;
    static final long TINY_TASK_MS = 20;
    static final int MANY_TASKS = 2_000;

    public PartitionsHeuristic() {
        super("partitions", "Partitions against available cores");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        requireStages(m);
        requireTaskExecutors(m);
        int cores = m.cores();
        Finding.Builder f = Finding.of(this).figure("cores", String.valueOf(cores));
        Map<Integer, String> groups = m.jobGroupByStage();
        boolean tooFew = false;
        boolean tooMany = false;
        for (StageData s : m.stages()) {
            long wall = s.wallClockMs();
            String group = groups.get(s.stageId());
            if (wall >= MIN_STAGE_MS && s.numTasks() < cores) {
                double ratio = cores / (double) Math.max(1, s.numTasks());
                Severity sev = Severity.of(ratio, 1.5, 2, 4, 8, true);
                if (sev != Severity.NONE) {
                    tooFew = true;
                    f.severity(sev).stage(s.stageId(), group).detail("stage " + s.stageId()
                            + MemorySettings.cell(group) + ": " + s.numTasks() + " task(s) for " + cores + " cores, "
                            + Sizes.millis(wall) + " (" + sev.label() + ")");
                }
            }
            TaskSummary summary = m.summary(s);
            if (summary != null && s.numTasks() >= MANY_TASKS && summary.at(summary.duration(), 0.5) >= 0
                    && summary.at(summary.duration(), 0.5) < TINY_TASK_MS) {
                tooMany = true;
                f.severity(Severity.LOW).stage(s.stageId(), group).detail("stage " + s.stageId()
                        + MemorySettings.cell(group) + ": " + s.numTasks() + " tasks of median "
                        + Sizes.millis(summary.at(summary.duration(), 0.5)));
            }
        }
        if (tooFew) {
            String target = String.valueOf(Math.max(2 * cores, 8));
            f.advise("spark.sql.shuffle.partitions", target, "2-3 tasks per core keep every core busy after a"
                            + " shuffle")
                    .advise("spark.default.parallelism", target, "the same for RDD operations and parallelize()")
                    .adviseCode("repartition(" + target + ") a DataFrame read from few files (or a gzip file, which"
                            + " cannot be split) before the heavy work");
        }
        if (tooMany) {
            f.advise("spark.sql.adaptive.coalescePartitions.enabled", "true", "AQE merges tiny shuffle partitions")
                    .adviseCode("coalesce() before writing; fewer, larger partitions (100-200 MiB) schedule faster");
        }
        return f.summary(tooFew ? "Long stages ran with fewer tasks than the " + cores + " cores, so cores idled."
                : tooMany ? "Some stages ran thousands of tiny tasks." : "Partition counts suit the cores.").build();
    }
}
