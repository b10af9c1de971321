package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.rest.SqlExecution;
import java.util.List;

/** A heuristic that reads the SQL executions' plan graphs and node metrics (Spark's SQL REST resource). */
abstract class QueryPlanHeuristic extends NamedHeuristic {

    QueryPlanHeuristic(String id, String title) {
        super(id, title);
    }

    static List<SqlExecution> requireSql(AppMetrics m) throws NotComputable {
        if (m.sqlExecutions() == null) {
            throw NotComputable.missing(m, "sql");
        }
        return m.sqlExecutions();
    }

    /**
     * Refuses to judge when operators of the given kind ran but none reported the metric (a Spark version that
     * lacks it): better skipped with the reason than "all well".
     */
    static void requireMetric(boolean operatorsRan, boolean metricSeen, String operator, String metric)
            throws NotComputable {
        if (operatorsRan && !metricSeen) {
            throw new NotComputable(operator + " ran, but this Spark version reports no \"" + metric
                    + "\" metric for it");
        }
    }

    /** Marks the query's stages and notebook statement on a finding, and returns its name for the details. */
    static String where(AppMetrics m, Finding.Builder f, SqlExecution e) {
        String group = m.jobGroup(e);
        if (m.jobs() != null) {
            m.jobs().stream().filter(j -> e.jobIds().contains((long) j.jobId()))
                    .forEach(j -> j.stages().forEach(s -> f.stage(s, group)));
        }
        return m.queryName(e);
    }
}
