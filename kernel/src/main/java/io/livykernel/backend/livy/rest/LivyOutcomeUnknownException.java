package io.livykernel.backend.livy.rest;

/**
 * A request that must not run twice (create a session, statement or batch; an upload) was sent, but no
 * answer came back: Livy may or may not have acted on it. Repeating it blindly could run the user's code
 * twice, so the client does not; find out first (see {@link LivyClient#submitStatementExactlyOnce} and
 * {@link LivyClient#createSessionExactlyOnce}).
 */
public final class LivyOutcomeUnknownException extends LivyException {
    private final boolean requestEnded;

    public LivyOutcomeUnknownException(String endpoint, String message, Throwable cause) {
        this(endpoint, message, cause, false);
    }

    /**
     * @param requestEnded true when Livy itself answered (an HTTP 500 of its own): the request is over and
     *                     cannot land later, so one look at the server tells what it did
     */
    public LivyOutcomeUnknownException(String endpoint, String message, Throwable cause, boolean requestEnded) {
        super(endpoint, message, cause);
        this.requestEnded = requestEnded;
    }

    /** True when the request can no longer reach Livy (Livy answered it); false when it may still be in flight. */
    public boolean requestEnded() {
        return requestEnded;
    }
}
