package io.livykernel.analyze;

/** A Spark REST resource that could not be read: the HTTP status (0 when there was no answer) and why. */
public final class SparkApiException extends Exception {
    private final int status;
    private final boolean wantsKerberos;

    public SparkApiException(int status, String message) {
        this(status, message, false);
    }

    /** {@code wantsKerberos}: the server asked for SPNEGO and this client had no Kerberos configured. */
    public SparkApiException(int status, String message, boolean wantsKerberos) {
        super(message);
        this.status = status;
        this.wantsKerberos = wantsKerberos;
    }

    /** True when the server wants Kerberos (SPNEGO) that is not configured; the message says how to turn it on. */
    public boolean wantsKerberos() {
        return wantsKerberos;
    }

    /** The HTTP status, or 0 when the server did not answer at all (refused, timed out, bad address). */
    public int status() {
        return status;
    }

    public boolean notFound() {
        return status == 404;
    }
}
