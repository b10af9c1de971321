package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.JobData;
import io.livykernel.analyze.rest.StageData;
import io.livykernel.analyze.rest.TaskData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Failed jobs, stages and tasks with their reasons (Dr. Elephant's Jobs, Stages and StagesWithFailedTasks):
 * a failed job is CRITICAL, a failed stage SEVERE, retried tasks by their share of a stage (0.05/0.1/0.15/0.2,
 * at most SEVERE).
 * The advice depends on the error: out of memory, killed by YARN for memory, lost shuffle files, or the code.
 */
public final class FailuresHeuristic extends NamedHeuristic {

    public FailuresHeuristic() {
        super("failures", "Failed tasks, stages and jobs");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        if (m.stages() == null && m.jobs() == null) {
            throw NotComputable.missing(m, "stages");
        }
        Finding.Builder f = Finding.of(this);
        Map<Integer, String> groups = m.jobGroupByStage();
        int failedJobs = 0;
        if (m.jobs() != null) {
            for (JobData job : m.jobs()) {
                if ("FAILED".equals(job.status())) {
                    failedJobs++;
                    f.severity(Severity.CRITICAL).detail("job " + job.jobId() + MemorySettings.cell(job.jobGroup())
                            + " failed: " + job.name());
                    job.stages().forEach(s -> f.stage(s, job.jobGroup()));
                }
            }
        }
        int failedStages = 0;
        int failedTasks = 0;
        Map<String, Integer> errors = new LinkedHashMap<>();
        if (m.stages() != null) {
            for (StageData s : m.stages()) {
                String group = groups.get(s.stageId());
                if ("FAILED".equals(s.status())) {
                    failedStages++;
                    f.severity(Severity.SEVERE).stage(s.stageId(), group).detail("stage " + s.stageId()
                            + " attempt " + s.attemptId() + MemorySettings.cell(group) + " failed: "
                            + firstLine(s.failureReason()));
                    errors.merge(firstLine(s.failureReason()), 1, Integer::sum);
                }
                if (s.numFailedTasks() == 0) {
                    continue;
                }
                failedTasks += s.numFailedTasks();
                double rate = s.numFailedTasks() / (double) Math.max(1, s.numCompleteTasks() + s.numFailedTasks());
                // Retried attempts cost time but not the result: at worst SEVERE; lost work is CRITICAL.
                Severity retried = Severity.of(rate, 0.05, 0.1, 0.15, 0.2, true);
                f.severity(retried == Severity.CRITICAL ? Severity.SEVERE : retried).stage(s.stageId(), group);
                f.detail("stage " + s.stageId() + MemorySettings.cell(group) + ": " + s.numFailedTasks()
                        + " failed task attempts of " + s.numTasks() + " tasks (" + Sizes.percent(rate) + ")");
                for (TaskData t : m.failedTasks().getOrDefault(s.key(), List.of())) {
                    // Servers before Spark 3 ignore status=failed and list every task.
                    if (t.errorMessage() != null) {
                        errors.merge(t.errorHeadline(), 1, Integer::sum);
                    }
                }
            }
        }
        f.figure("failed jobs", String.valueOf(failedJobs)).figure("failed stages", String.valueOf(failedStages))
                .figure("failed task attempts", String.valueOf(failedTasks));
        errors.forEach((error, count) -> f.detail(count + " x " + error));
        if (f.severity() == Severity.NONE) {
            return f.summary(failedTasks == 0 ? "No task, stage or job failed."
                    : "A few task attempts failed and were retried (" + failedTasks + ").").build();
        }
        if (failedTasks > 0 && m.failedTasks().isEmpty() && m.whyUnavailable("failedTasks") != null) {
            f.detail("the failed tasks' errors could not be read: " + m.whyUnavailable("failedTasks"));
        }
        adviseFor(errors, f, m);
        return f.summary(failedJobs > 0 ? failedJobs + " job(s) failed; their work was lost."
                : failedStages > 0 ? failedStages + " stage attempt(s) failed and had to be recomputed."
                : failedTasks + " task attempts failed and were retried, which costs their run time again.").build();
    }

    private static void adviseFor(Map<String, Integer> errors, Finding.Builder f, AppMetrics m) {
        String all = String.join("\n", errors.keySet());
        List<String> kinds = new ArrayList<>();
        if (all.contains("OutOfMemoryError")) {
            kinds.add("oom");
            f.advise(MemorySettings.executorMemoryKey(m), Sizes.memorySetting(1.5 * MemorySettings.executorHeap(m)),
                    "tasks ran out of heap; or lower spark.executor.cores so fewer tasks share it");
        }
        if (all.contains("exceeding memory limits") || all.contains("Container killed")
                || all.contains("exit code 137") || all.contains("exit code: 137")) {
            kinds.add("overhead");
            f.advise("spark.executor.memoryOverhead", "2g", "the container was killed for memory outside the heap"
                    + " (Python workers, off-heap buffers); the default is 10% of the heap, at least 384m");
        }
        if (all.contains("FetchFailed") || all.contains("ExecutorLostFailure")) {
            kinds.add("lost");
            f.advise("spark.shuffle.service.enabled", "true", "shuffle files outlive a lost or removed executor");
        }
        if (kinds.isEmpty()) {
            f.adviseCode("the error is raised by the application's own code: fix the data or the code that the"
                    + " failed tasks' errors name (retries cost the time of every failed attempt)");
        }
    }

    private static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return "(no reason given)";
        }
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
