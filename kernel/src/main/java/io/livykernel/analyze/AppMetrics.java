package io.livykernel.analyze;

import io.livykernel.analyze.rest.ApplicationInfo;
import io.livykernel.analyze.rest.ExecutorSummary;
import io.livykernel.analyze.rest.JobData;
import io.livykernel.analyze.rest.SparkTime;
import io.livykernel.analyze.rest.SqlExecution;
import io.livykernel.analyze.rest.StageData;
import io.livykernel.analyze.rest.TaskData;
import io.livykernel.analyze.rest.TaskSummary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the REST API told about one application. A resource that could not be read is null (or absent from the
 * maps) and named in {@link #unavailable} with the reason, so heuristics that need it can say why they were skipped.
 *
 * @param observedAt when the metrics were read (epoch ms): the end of a running application's time line
 */
public record AppMetrics(String source, ApplicationInfo app, List<JobData> jobs, List<StageData> stages,
                         Map<String, TaskSummary> taskSummaries, Map<String, List<TaskData>> failedTasks,
                         List<ExecutorSummary> executors, Map<String, String> properties,
                         List<SqlExecution> sqlExecutions, List<Unavailable> unavailable, long observedAt) {

    /** A resource the analyser asked for and did not get. */
    public record Unavailable(String resource, String reason) {
    }

    public ApplicationInfo.Attempt attempt() {
        return app.lastAttempt();
    }

    public boolean completed() {
        return attempt() != null && attempt().completed();
    }

    /** The application's run time so far (ms); a live UI reports it up to the moment it was asked. */
    public long durationMs() {
        ApplicationInfo.Attempt a = attempt();
        if (a == null) {
            return -1;
        }
        if (a.duration() > 0) {
            return a.duration();
        }
        return a.startTimeEpoch() > 0 ? Math.max(0, observedAt - a.startTimeEpoch()) : -1;
    }

    /** When the application ended, or (running) when its metrics were taken: the end of its time line. */
    public long endEpochMillis() {
        ApplicationInfo.Attempt a = attempt();
        if (a != null && a.completed() && a.endTimeEpoch() > 0) {
            return a.endTimeEpoch();
        }
        return a != null && a.startTimeEpoch() > 0 && a.duration() > 0 ? a.startTimeEpoch() + a.duration() : observedAt;
    }

    public String sparkVersion() {
        return attempt() == null ? null : attempt().appSparkVersion();
    }

    /** A Spark property, or the fallback when unset or when the environment could not be read. */
    public String property(String key, String fallback) {
        return properties == null ? fallback : properties.getOrDefault(key, fallback);
    }

    /**
     * Local mode: the driver runs the tasks itself and is the only executor. {@code local-cluster[...]} is not:
     * it runs real executor JVMs under a standalone master (Spark's own Utils.isLocalMaster draws the same line).
     */
    public boolean localMode() {
        String master = property("spark.master", "");
        return master.equals("local") || master.startsWith("local[");
    }

    /** The executors that run tasks: every executor but the driver, or the driver alone in local mode. */
    public List<ExecutorSummary> taskExecutors() {
        if (executors == null) {
            return null;
        }
        List<ExecutorSummary> workers = executors.stream().filter(e -> !e.isDriver()).toList();
        return workers.isEmpty() ? executors.stream().filter(ExecutorSummary::isDriver).toList() : workers;
    }

    public ExecutorSummary driver() {
        return executors == null ? null : executors.stream().filter(ExecutorSummary::isDriver).findFirst().orElse(null);
    }

    /** The most task slots (cores) the executors had at one time, at least 1. */
    public int cores() {
        List<ExecutorSummary> workers = taskExecutors();
        if (workers == null) {
            return 1;
        }
        // Executors come and go (dynamic allocation): walk their add and remove times.
        TreeMap<Long, Integer> change = new TreeMap<>();
        for (ExecutorSummary e : workers) {
            long added = Math.max(0, SparkTime.epochMillis(e.addTime()));
            long removed = SparkTime.epochMillis(e.removeTime());
            change.merge(added, e.totalCores(), Integer::sum);
            if (removed >= 0) {
                change.merge(removed, -e.totalCores(), Integer::sum);
            }
        }
        int running = 0;
        int most = 1;
        for (int delta : change.values()) {
            running += delta;
            most = Math.max(most, running);
        }
        return most;
    }

    /** The job group (for Livy: the statement id, i.e. the notebook cell) of each stage id that has one. */
    public Map<Integer, String> jobGroupByStage() {
        Map<Integer, String> groups = new HashMap<>();
        if (jobs != null) {
            for (JobData job : jobs) {
                if (job.jobGroup() != null && !job.jobGroup().isBlank()) {
                    job.stages().forEach(s -> groups.putIfAbsent(s, job.jobGroup()));
                }
            }
        }
        return groups;
    }

    /** The job group of a SQL execution's first job that has one, or null. */
    public String jobGroup(SqlExecution execution) {
        if (jobs == null) {
            return null;
        }
        return jobs.stream().filter(j -> execution.jobIds().contains((long) j.jobId()) && j.jobGroup() != null
                && !j.jobGroup().isBlank()).map(JobData::jobGroup).findFirst().orElse(null);
    }

    /** The SQL execution each stage ran for (by its jobs), for stages that ran under one. */
    public Map<Integer, SqlExecution> sqlExecutionByStage() {
        Map<Integer, SqlExecution> out = new HashMap<>();
        if (jobs == null || sqlExecutions == null) {
            return out;
        }
        for (SqlExecution e : sqlExecutions) {
            for (JobData job : jobs) {
                if (e.jobIds().contains((long) job.jobId())) {
                    job.stages().forEach(s -> out.putIfAbsent(s, e));
                }
            }
        }
        return out;
    }

    /**
     * How a report names a query to its user: its SQL execution id, description (the action's call site or the
     * description the notebook set) and the Livy statement it ran in.
     */
    public String queryName(SqlExecution execution) {
        String description = execution.description() == null ? "" : execution.description().lines().findFirst()
                .orElse("").trim();
        if (description.length() > 80) {
            description = description.substring(0, 77) + "...";
        }
        String group = jobGroup(execution);
        return "query " + execution.id() + (description.isEmpty() ? "" : " \"" + description + "\"")
                + (group == null ? "" : " (statement " + group + ")");
    }

    public TaskSummary summary(StageData stage) {
        return taskSummaries.get(stage.key());
    }

    /** Whether a resource was asked for and missed; its reason, or null. */
    public String whyUnavailable(String resource) {
        return unavailable.stream().filter(u -> u.resource().equals(resource)).map(Unavailable::reason)
                .findFirst().orElse(null);
    }
}
