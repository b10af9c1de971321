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
 * Task sizes at DataFlint's limits: more than 5,000 tasks with a median under 500 ms spend their time being
 * scheduled; a partition over 1 GiB (critical over 5 GiB) is slow, spills and fails alone.
 */
public final class TaskSizeHeuristic extends NamedHeuristic {
    static final int MANY_TASKS = 5_000;
    static final long SHORT_TASK_MS = 500;
    static final long LARGE_PARTITION = Sizes.GIB;

    public TaskSizeHeuristic() {
        super("task-size", "Many tiny tasks or few huge partitions");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        requireStages(m);
        Finding.Builder f = Finding.of(this);
        Map<Integer, String> groups = m.jobGroupByStage();
        Map<Integer, SqlExecution> queries = m.sqlExecutionByStage();
        boolean tiny = false;
        boolean tinyShuffle = false;
        boolean huge = false;
        for (StageData s : m.stages()) {
            TaskSummary summary = m.summary(s);
            String where = stage(m, queries, groups, s.stageId());
            double median = summary == null ? -1 : summary.at(summary.duration(), 0.5);
            if (s.numTasks() > MANY_TASKS && median >= 0 && median < SHORT_TASK_MS) {
                tiny = true;
                tinyShuffle |= s.shuffleReadBytes() > 0;
                f.severity(Severity.of(s.numTasks(), MANY_TASKS, MANY_TASKS, 4 * MANY_TASKS, 20 * MANY_TASKS, true))
                        .stage(s.stageId(), groups.get(s.stageId())).detail(where + ": " + s.numTasks()
                                + " tasks of median " + Sizes.millis(median));
            }
            double largest = summary == null ? (s.numTasks() == 0 ? -1 : s.bytesProcessed() / (double) s.numTasks())
                    : summary.bytesReadAt(1.0);
            if (largest > LARGE_PARTITION) {
                huge = true;
                f.severity(Severity.of(largest, LARGE_PARTITION, LARGE_PARTITION, 2.0 * LARGE_PARTITION,
                        5.0 * LARGE_PARTITION, true)).stage(s.stageId(), groups.get(s.stageId()))
                        .detail(where + ": a task read " + Sizes.bytes(largest) + " (" + s.numTasks() + " tasks, "
                                + Sizes.bytes(s.bytesProcessed()) + " in all)");
            }
        }
        if (f.severity() == Severity.NONE) {
            return f.summary("Task counts and partition sizes are reasonable.").build();
        }
        if (tinyShuffle) {
            f.advise("spark.sql.adaptive.enabled", "true", "AQE coalesces small shuffle partitions")
                    .advise("spark.sql.adaptive.coalescePartitions.enabled", "true", "merges tiny partitions into"
                            + " ones of spark.sql.adaptive.advisoryPartitionSizeInBytes");
        }
        if (tiny) {
            f.adviseCode("coalesce() an RDD or DataFrame of thousands of small partitions before the work;"
                            + " read small files into fewer tasks");
        }
        if (huge) {
            f.advise("spark.sql.files.maxPartitionBytes", "128m", "splits large input files into 128 MiB tasks")
                    .adviseCode("repartition(n) huge partitions, n = data size / 128 MiB");
        }
        return f.summary(tiny ? "Stages ran more than " + MANY_TASKS + " tasks of under " + SHORT_TASK_MS
                + " ms each: scheduling them took much of the time." : "Some tasks read over 1 GiB each.").build();
    }
}
