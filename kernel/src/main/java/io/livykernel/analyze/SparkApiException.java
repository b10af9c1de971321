package io.livykernel.analyze;

/** A Spark REST resource that could not be read: the HTTP status (0 when there was no answer) and why. */
public final class SparkApiException extends Exception {
    private final int status;

    public SparkApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 0 when the server did not answer at all (refused, timed out, bad address). */
    public int status() {
        return status;
    }

    public boolean notFound() {
        return status == 404;
    }
}
