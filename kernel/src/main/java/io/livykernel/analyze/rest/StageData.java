package io.livykernel.analyze.rest;

/** {@code applications/{id}/stages}: one attempt of a stage with its task metrics summed. Times in ms. */
public record StageData(String status, int stageId, int attemptId, String name, int numTasks, int numCompleteTasks,
                        int numFailedTasks, int numKilledTasks, String submissionTime, String firstTaskLaunchedTime,
                        String completionTime, String failureReason, long executorRunTime, long executorCpuTime,
                        long resultSize, long jvmGcTime, long memoryBytesSpilled, long diskBytesSpilled,
                        long peakExecutionMemory, long inputBytes, long outputBytes, long shuffleReadBytes,
                        long shuffleWriteBytes) {

    /** Wall-clock time from submission to completion, or -1 when either is unknown. */
    public long wallClockMs() {
        long start = SparkTime.epochMillis(submissionTime);
        long end = SparkTime.epochMillis(completionTime);
        return start < 0 || end < 0 ? -1 : Math.max(0, end - start);
    }

    /** Bytes the stage's tasks read: input plus shuffle. */
    public long bytesProcessed() {
        return inputBytes + shuffleReadBytes;
    }

    public String key() {
        return stageId + "." + attemptId;
    }
}
