package io.livykernel.analyze.rest;

/** {@code stages/{id}/{attempt}/taskList?status=failed}: one failed task and its error. */
public record TaskData(long taskId, int index, int attempt, String executorId, String host, String status,
                       String errorMessage, long duration) {

    /** The first line of the error: the exception and its message, without the stack trace. */
    public String errorHeadline() {
        if (errorMessage == null || errorMessage.isBlank()) {
            return "(no error message)";
        }
        String first = errorMessage.strip().lines().findFirst().orElse("");
        return first.length() > 300 ? first.substring(0, 300) + "..." : first;
    }
}
