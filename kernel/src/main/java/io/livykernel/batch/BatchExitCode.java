package io.livykernel.batch;

import io.livykernel.backend.livy.rest.SessionState;

/**
 * The process exit codes of {@code submit}, {@code status} and {@code logs --follow}: what a scheduler
 * (cron, Airflow) reads. 0 means the job succeeded and nothing else does.
 */
public enum BatchExitCode {
    SUCCESS(0, "the job succeeded (or --no-wait: the job was submitted; kill: the batch was killed)"),
    FAILED(1, "the job failed (Livy state dead or error; spark-submit: the application failed)"),
    SUBMISSION_ERROR(2, "usage or submission error: bad option, missing file, unreachable server, refused request,"
            + " no usable SPARK_HOME, unknown batch; nothing was submitted"),
    KILLED(3, "the job was killed (state killed, the batch was deleted on the server, or Ctrl-C stopped a"
            + " client-mode driver)"),
    TIMEOUT(4, "--timeout expired; the job was killed"),
    NOT_FINISHED(5, "the job has not finished: status of a starting/running batch, or detached with Ctrl-C"),
    OUTCOME_UNKNOWN(6, "unknown whether the batch was submitted (Livy's answer was lost and it could not be"
            + " checked): do not retry blindly; look for the batch by the name submit printed (status, Livy's batch"
            + " list) first");

    private final int code;
    private final String meaning;

    BatchExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** The code for a batch found in {@code state}; states that are not final mean the job has not finished. */
    public static BatchExitCode forState(SessionState state) {
        return switch (state) {
            case SUCCESS -> SUCCESS;
            case DEAD, ERROR -> FAILED;
            case KILLED -> KILLED;
            default -> NOT_FINISHED;
        };
    }

    /** The code for a YARN application in {@code state} with {@code finalStatus}, as the ResourceManager says. */
    public static BatchExitCode forYarn(String state, String finalStatus) {
        if (!"FINISHED".equals(state) && !"FAILED".equals(state) && !"KILLED".equals(state)) {
            return NOT_FINISHED;
        }
        return switch (finalStatus == null ? state : finalStatus) {
            case "SUCCEEDED" -> SUCCESS;
            case "KILLED" -> KILLED;
            default -> FAILED;
        };
    }

    /** The table for --help and the README. */
    public static String table() {
        StringBuilder text = new StringBuilder();
        for (BatchExitCode c : values()) {
            text.append(String.format("  %d  %s%n", c.code, c.meaning));
        }
        return text.toString();
    }
}
