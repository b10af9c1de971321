package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Heuristic;
import io.livykernel.analyze.rest.ExecutorSummary;
import io.livykernel.analyze.rest.StageData;
import java.util.List;

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
}
