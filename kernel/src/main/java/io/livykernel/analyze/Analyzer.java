package io.livykernel.analyze;

import io.livykernel.analyze.rest.StageData;
import io.livykernel.analyze.rest.TaskSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every heuristic over an application's metrics; one that cannot run is listed with its reason. The set
 * of heuristics is given by the caller (usually {@code StandardHeuristics.analyzer()}), so this engine does not
 * depend on the heuristics that depend on it.
 */
public final class Analyzer {
    private final List<Heuristic> heuristics;

    public Analyzer(List<Heuristic> heuristics) {
        this.heuristics = List.copyOf(heuristics);
    }

    public List<Heuristic> heuristics() {
        return heuristics;
    }

    public Report analyze(AppMetrics metrics) {
        List<Finding> findings = new ArrayList<>();
        List<Report.NotComputed> skipped = new ArrayList<>();
        for (Heuristic h : heuristics) {
            try {
                findings.add(h.evaluate(metrics));
            } catch (Heuristic.NotComputable e) {
                skipped.add(new Report.NotComputed(h.id(), h.title(), e.getMessage()));
            } catch (RuntimeException e) {
                // Odd metrics must not cost the other heuristics their answer.
                skipped.add(new Report.NotComputed(h.id(), h.title(), "failed on these metrics: " + e));
            }
        }
        return new Report(metrics.app().id(), metrics.app().name(), metrics.source(), metrics.sparkVersion(),
                metrics.completed(), metrics.durationMs(), findings, skipped, metrics.unavailable(),
                timings(metrics, findings));
    }

    private static List<Report.StageTiming> timings(AppMetrics metrics, List<Finding> findings) {
        if (metrics.stages() == null) {
            return List.of();
        }
        Map<Integer, Severity> worst = new HashMap<>();
        for (Finding f : findings) {
            f.stageIds().forEach(id -> worst.merge(id, f.severity(), Severity::max));
        }
        Map<Integer, String> groups = metrics.jobGroupByStage();
        List<Report.StageTiming> out = new ArrayList<>();
        for (StageData s : metrics.stages()) {
            TaskSummary summary = metrics.summary(s);
            long max = summary == null ? -1 : (long) summary.at(summary.duration(), 1.0);
            long median = summary == null ? -1 : (long) summary.at(summary.duration(), 0.5);
            out.add(new Report.StageTiming(s.stageId(), s.attemptId(), s.name(), s.status(), s.numTasks(),
                    s.wallClockMs(), max, median, groups.get(s.stageId()), worst.getOrDefault(s.stageId(),
                    Severity.NONE)));
        }
        out.sort(Comparator.comparingInt(Report.StageTiming::stageId).thenComparingInt(Report.StageTiming::attemptId));
        return List.copyOf(out);
    }
}
