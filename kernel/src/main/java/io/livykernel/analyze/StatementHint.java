package io.livykernel.analyze;

import io.livykernel.analyze.rest.JobData;
import io.livykernel.analyze.rest.SqlExecution;
import io.livykernel.analyze.rest.StageData;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one line shown under a slow cell: analyses only the jobs of its job group (the Livy statement id) and names
 * the worst finding when it is severe or critical, pointing at {@code %%analyze} for the advice. Nothing to say
 * is empty: a hint must never be noise.
 */
public final class StatementHint {
    private final SparkApi api;
    private final Analyzer analyzer;

    public StatementHint(SparkApi api, Analyzer analyzer) {
        this.api = api;
        this.analyzer = analyzer;
    }

    /**
     * @throws SparkApiException when the application cannot be read at all
     */
    public Optional<String> forJobGroup(String appId, String jobGroup) throws SparkApiException, InterruptedException {
        AppMetrics all = new MetricsReader(api).read(appId, jobGroup);
        Report report = analyzer.analyze(only(all, jobGroup));
        return report.findings().stream().filter(f -> f.severity().atLeast(Severity.SEVERE)).findFirst()
                .map(f -> "This cell: " + f.title().toLowerCase(java.util.Locale.ROOT) + " (" + f.severity().label()
                        + ") - " + f.summary() + " Run %%analyze for advice.");
    }

    /** The metrics of one job group's jobs, their stages and SQL executions; executors and settings stay. */
    static AppMetrics only(AppMetrics m, String jobGroup) {
        if (m.jobs() == null) {
            return m;
        }
        List<JobData> jobs = m.jobs().stream().filter(j -> jobGroup.equals(j.jobGroup())).toList();
        Set<Integer> stageIds = new HashSet<>();
        Set<Long> jobIds = new HashSet<>();
        jobs.forEach(j -> {
            stageIds.addAll(j.stages());
            jobIds.add((long) j.jobId());
        });
        List<StageData> stages = m.stages() == null ? null
                : m.stages().stream().filter(s -> stageIds.contains(s.stageId())).toList();
        List<SqlExecution> sql = m.sqlExecutions() == null ? null
                : m.sqlExecutions().stream().filter(e -> e.jobIds().stream().anyMatch(jobIds::contains)).toList();
        return new AppMetrics(m.source(), m.app(), jobs, stages, m.taskSummaries(), m.failedTasks(), m.executors(),
                m.properties(), sql, m.unavailable(), m.observedAt());
    }
}
