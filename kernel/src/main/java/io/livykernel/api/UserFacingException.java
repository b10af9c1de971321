package io.livykernel.api;

/**
 * An expected failure with a message written for the notebook user: what went wrong and what to do.
 * {@link ErrorReporter} shows it as is, without a Java stack trace.
 */
public class UserFacingException extends Exception {
    private final String errorName;

    public UserFacingException(String errorName, String message) {
        super(message);
        this.errorName = errorName;
    }

    public UserFacingException(String errorName, String message, Throwable cause) {
        super(message, cause);
        this.errorName = errorName;
    }

    /** Short error class shown as the cell's ename, e.g. "LivySessionError". */
    public String errorName() {
        return errorName;
    }
}
