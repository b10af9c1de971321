package io.livykernel.analyze.rest;

import java.util.List;

/** {@code applications/{id}/jobs}: one Spark job; its job group is the Livy statement that ran it. */
public record JobData(int jobId, String name, String submissionTime, String completionTime, List<Integer> stageIds,
                      String jobGroup, String status, int numTasks, int numCompletedTasks, int numSkippedTasks,
                      int numFailedTasks, int numKilledTasks, int numFailedStages) {

    public List<Integer> stages() {
        return stageIds == null ? List.of() : stageIds;
    }
}
