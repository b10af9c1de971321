package io.livykernel.backend.livy.rest;

/** Livy (or a proxy in front of it) answered with an HTTP error status. */
public class LivyHttpException extends LivyException {
    private final int status;
    private final String livyMessage;

    public LivyHttpException(String endpoint, int status, String livyMessage, String message) {
        super(endpoint, message, null);
        this.status = status;
        this.livyMessage = livyMessage;
    }

    public int status() {
        return status;
    }

    /**
     * Livy's explanation: the "msg" of its JSON error, its plain-text error (often a Java exception with
     * stack trace), or the title of an HTML error page; empty when the body was empty.
     */
    public String livyMessage() {
        return livyMessage;
    }
}
