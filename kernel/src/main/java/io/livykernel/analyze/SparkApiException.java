package io.livykernel.analyze;

/** A Spark REST resource that could not be read: the HTTP status (0 when there was no answer) and why. */
public final class SparkApiException extends Exception {
    /** How Kerberos (SPNEGO) kept the resource away, if it did. */
    public enum Kerberos {
        /** The server asked for SPNEGO and this client has no Kerberos configured. */
        NOT_CONFIGURED,
        /** Kerberos is configured but could not make a token (no ticket, unreachable KDC...). */
        FAILED
    }

    private final int status;
    private final Kerberos kerberos;

    public SparkApiException(int status, String message) {
        this(status, message, null);
    }

    /** {@code kerberos}: how Kerberos kept the resource away (the message says what to do), or null. */
    public SparkApiException(int status, String message, Kerberos kerberos) {
        super(message);
        this.status = status;
        this.kerberos = kerberos;
    }

    /** How Kerberos kept the resource away, or null when it had no part in it. */
    public Kerberos kerberos() {
        return kerberos;
    }

    /** The HTTP status, or 0 when the server did not answer at all (refused, timed out, bad address). */
    public int status() {
        return status;
    }

    public boolean notFound() {
        return status == 404;
    }
}
