package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.Analyzer;
import io.livykernel.analyze.Heuristic;
import java.util.List;

/** The heuristics every report runs, in the order the report lists them. */
public final class StandardHeuristics {
    private StandardHeuristics() {
    }

    public static List<Heuristic> all() {
        return List.of(new ExecutorMemoryHeuristic(), new GcTimeHeuristic(), new TaskSkewHeuristic(),
                new SpillHeuristic(), new FailuresHeuristic(), new IdleExecutorsHeuristic(),
                new PartitionsHeuristic(), new DriverHeuristic(), new ConfigurationHeuristic(),
                new ScalingEstimateHeuristic(),
                // Read from the SQL executions' plans and node metrics.
                new SmallFilesReadHeuristic(), new SmallFilesWrittenHeuristic(), new BroadcastJoinHeuristic(),
                new CartesianJoinHeuristic(), new TaskSizeHeuristic(), new AdaptiveExecutionHeuristic());
    }

    /** An analyser with every standard heuristic. */
    public static Analyzer analyzer() {
        return new Analyzer(all());
    }
}
