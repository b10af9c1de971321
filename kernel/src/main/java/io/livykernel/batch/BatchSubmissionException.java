package io.livykernel.batch;

/**
 * A submission that cannot go ahead (bad option, missing file, refused request): its message is one line
 * for the user, and the command exits with {@link BatchExitCode#SUBMISSION_ERROR}.
 */
public final class BatchSubmissionException extends Exception {
    public BatchSubmissionException(String message) {
        super(message);
    }

    public BatchSubmissionException(String message, Throwable cause) {
        super(message, cause);
    }
}
