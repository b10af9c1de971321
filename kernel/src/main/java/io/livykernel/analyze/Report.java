package io.livykernel.analyze;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The analysis of one application: findings (worst first), the heuristics that could not be computed and why,
 * the REST resources that were missing, each stage's timing for the picture, and what the application took from
 * its cluster ({@code usage}, null when not asked).
 */
public record Report(String appId, String appName, String source, String sparkVersion, boolean completed,
                     long durationMs, List<Finding> findings, List<NotComputed> notComputed,
                     List<AppMetrics.Unavailable> unavailable, List<StageTiming> stages, ClusterUsage usage) {
    /** Version of the JSON layout ({@link JsonReport}); raised when a field changes meaning or goes away. */
    public static final int SCHEMA_VERSION = 1;

    /** A heuristic that was skipped, and why (missing metrics, an older Spark, a running application). */
    public record NotComputed(String heuristic, String title, String reason) {
    }

    /**
     * One stage attempt's timing: wall clock, its longest and median task (-1 when its task summary is unknown),
     * the job group (Livy statement) that ran it, and the worst severity of a finding that names it.
     */
    public record StageTiming(int stageId, int attemptId, String name, String status, int numTasks, long wallClockMs,
                              long maxTaskMs, long medianTaskMs, String jobGroup, Severity severity) {
    }

    public Report {
        findings = findings.stream().sorted(Comparator.comparing(Finding::severity).reversed()).toList();
    }

    /** Without the cluster's usage figures. */
    public Report(String appId, String appName, String source, String sparkVersion, boolean completed,
                  long durationMs, List<Finding> findings, List<NotComputed> notComputed,
                  List<AppMetrics.Unavailable> unavailable, List<StageTiming> stages) {
        this(appId, appName, source, sparkVersion, completed, durationMs, findings, notComputed, unavailable, stages,
                null);
    }

    /** This report with what the application took from its cluster. */
    public Report withUsage(ClusterUsage clusterUsage) {
        return new Report(appId, appName, source, sparkVersion, completed, durationMs, findings, notComputed,
                unavailable, stages, clusterUsage);
    }

    public Severity worst() {
        return findings.stream().map(Finding::severity).max(Comparator.naturalOrder()).orElse(Severity.NONE);
    }

    public Optional<Finding> finding(String heuristic) {
        return findings.stream().filter(f -> f.heuristic().equals(heuristic)).findFirst();
    }
}
