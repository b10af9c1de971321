package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Heuristic;
import io.livykernel.analyze.rest.ExecutorSummary;
import io.livykernel.analyze.rest.SqlExecution;
import io.livykernel.analyze.rest.StageData;
import java.util.List;
import java.util.Map;

/** A heuristic's fixed name and title, and the metrics it needs, each refused with the reason it is missing. */
abstract class NamedHeuristic implements Heuristic {
    private final String id;
    private final String title;

    NamedHeuristic(String id, String title) {
        this.id = id;
        this.title = title;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String title() {
        return title;
    }

    static List<StageData> requireStages(AppMetrics m) throws NotComputable {
        if (m.stages() == null) {
            throw NotComputable.missing(m, "stages");
        }
        return m.stages();
    }

    /** The executors that run tasks (see {@link AppMetrics#taskExecutors()}). */
    static List<ExecutorSummary> requireTaskExecutors(AppMetrics m) throws NotComputable {
        if (m.executors() == null) {
            throw NotComputable.missing(m, "executors");
        }
        return m.taskExecutors();
    }

    /** "stage 4 of query 2 "load" (statement 7)", or without a query "stage 4 (statement 7)". */
    static String stage(AppMetrics m, Map<Integer, SqlExecution> queries, Map<Integer, String> groups, int stageId) {
        return "stage " + stageId + (queries.containsKey(stageId) ? " of " + m.queryName(queries.get(stageId))
                : MemorySettings.cell(groups.get(stageId)));
    }
}
