package io.livykernel.analyze;

import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import io.livykernel.analyze.rest.ApplicationInfo;
import io.livykernel.analyze.rest.ExecutorSummary;
import io.livykernel.analyze.rest.JobData;
import io.livykernel.analyze.rest.SparkEnvironment;
import io.livykernel.analyze.rest.SqlExecution;
import io.livykernel.analyze.rest.StageData;
import io.livykernel.analyze.rest.TaskData;
import io.livykernel.analyze.rest.TaskSummary;
import io.livykernel.messages.Json;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one application's metrics: the application itself (without it there is no report), then jobs, stages,
 * the task summaries of the longest stages, failed tasks, executors and environment, each of which may be missing.
 */
public final class MetricsReader {
    /** The quantiles asked of each stage's task summary: minimum, quartiles and maximum. */
    public static final String QUANTILES = "0.0,0.25,0.5,0.75,1.0";
    /** Task summaries cost one request per stage: only the stages with the most task time are asked. */
    static final int MAX_SUMMARIES = 40;
    static final int MAX_FAILED_STAGES = 20;
    static final int FAILED_TASKS_PER_STAGE = 20;
    static final int MAX_SQL_EXECUTIONS = 500;

    private final SparkApi api;

    public MetricsReader(SparkApi api) {
        this.api = api;
    }

    /**
     * @throws SparkApiException when the application itself cannot be read (unknown id, unreachable API)
     */
    public AppMetrics read(String appId) throws SparkApiException, InterruptedException {
        return read(appId, null);
    }

    /**
     * Like {@link #read(String)}, but the requests per stage (task summaries, failed tasks) are spent only on the
     * stages of {@code jobGroup}'s jobs (all stages when it is null): a long session has hundreds of stages.
     */
    public AppMetrics read(String appId, String jobGroup) throws SparkApiException, InterruptedException {
        ApplicationInfo app = parse(api.get("applications/" + appId), ApplicationInfo.class, "applications/" + appId);
        ApplicationInfo.Attempt attempt = app.lastAttempt();
        // A History Server names attempts (YARN cluster mode): their resources live under the attempt id.
        String base = "applications/" + appId + (attempt != null && attempt.attemptId() != null
                ? "/" + attempt.attemptId() : "") + "/";
        List<AppMetrics.Unavailable> missing = new ArrayList<>();
        List<JobData> jobs = optional(base + "jobs", new TypeToken<List<JobData>>() { }.getType(), "jobs", missing);
        List<StageData> stages = optional(base + "stages", new TypeToken<List<StageData>>() { }.getType(), "stages",
                missing);
        List<ExecutorSummary> executors = optional(base + "allexecutors",
                new TypeToken<List<ExecutorSummary>>() { }.getType(), "allexecutors", new ArrayList<>());
        if (executors == null) {
            // Older servers only know the live executors.
            executors = optional(base + "executors", new TypeToken<List<ExecutorSummary>>() { }.getType(),
                    "executors", missing);
        }
        SparkEnvironment environment = optional(base + "environment", SparkEnvironment.class, "environment", missing);
        // The SQL executions with their plan graphs and node metrics (Spark 3.1+); pages of 20 unless asked.
        List<SqlExecution> sql = optional(base + "sql?details=true&planDescription=true&offset=0&length="
                + MAX_SQL_EXECUTIONS, new TypeToken<List<SqlExecution>>() { }.getType(), "sql", missing);
        Map<String, TaskSummary> summaries = new LinkedHashMap<>();
        Map<String, List<TaskData>> failed = new LinkedHashMap<>();
        if (stages != null) {
            List<StageData> detailed = jobGroup == null || jobs == null ? stages : ofJobGroup(jobs, stages, jobGroup);
            readSummaries(base, detailed, summaries, missing);
            readFailedTasks(base, detailed, failed, missing);
        }
        return new AppMetrics(api.describe(), app, jobs, stages, summaries, failed, executors,
                environment == null ? null : environment.properties(), sql, List.copyOf(missing),
                System.currentTimeMillis());
    }

    private static List<StageData> ofJobGroup(List<JobData> jobs, List<StageData> stages, String jobGroup) {
        Set<Integer> ids = new HashSet<>();
        jobs.stream().filter(j -> jobGroup.equals(j.jobGroup())).forEach(j -> ids.addAll(j.stages()));
        return stages.stream().filter(s -> ids.contains(s.stageId())).toList();
    }

    private void readSummaries(String base, List<StageData> stages, Map<String, TaskSummary> into,
                               List<AppMetrics.Unavailable> missing) throws InterruptedException {
        List<StageData> longest = stages.stream().filter(s -> "COMPLETE".equals(s.status()) && s.numTasks() > 1)
                .sorted(Comparator.comparingLong(StageData::executorRunTime).reversed()).limit(MAX_SUMMARIES).toList();
        for (StageData stage : longest) {
            String path = base + "stages/" + stage.stageId() + "/" + stage.attemptId() + "/taskSummary?quantiles="
                    + QUANTILES;
            TaskSummary summary = optional(path, TaskSummary.class, "taskSummary", missing);
            if (summary == null) {
                return; // the first failure says why; the rest would fail alike
            }
            into.put(stage.key(), summary);
        }
    }

    private void readFailedTasks(String base, List<StageData> stages, Map<String, List<TaskData>> into,
                                 List<AppMetrics.Unavailable> missing) throws InterruptedException {
        List<StageData> withFailures = stages.stream().filter(s -> s.numFailedTasks() > 0).limit(MAX_FAILED_STAGES)
                .toList();
        for (StageData stage : withFailures) {
            String path = base + "stages/" + stage.stageId() + "/" + stage.attemptId() + "/taskList?status=failed"
                    + "&length=" + FAILED_TASKS_PER_STAGE;
            List<TaskData> tasks = optional(path, new TypeToken<List<TaskData>>() { }.getType(), "failedTasks",
                    missing);
            if (tasks == null) {
                return;
            }
            into.put(stage.key(), tasks);
        }
    }

    private <T> T optional(String path, Type type, String resource, List<AppMetrics.Unavailable> missing)
            throws InterruptedException {
        try {
            return parse(api.get(path), type, path);
        } catch (SparkApiException e) {
            missing.add(new AppMetrics.Unavailable(resource, e.getMessage()));
            return null;
        }
    }

    private static <T> T parse(String text, Type type, String path) throws SparkApiException {
        try {
            T value = Json.gson().fromJson(text, type);
            if (value == null) {
                throw new SparkApiException(200, "an empty answer for " + path);
            }
            return value;
        } catch (JsonParseException | IllegalStateException e) {
            throw new SparkApiException(200, "an answer that is not the expected JSON for " + path + " ("
                    + e.getMessage() + ")");
        }
    }
}
