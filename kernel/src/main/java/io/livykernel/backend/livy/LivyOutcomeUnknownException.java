package io.livykernel.backend.livy;

/**
 * A request that must not run twice (create a session, statement or batch; an upload) was sent, but no
 * answer came back: Livy may or may not have acted on it. Repeating it blindly could run the user's code
 * twice, so the client does not; find out first (see {@link LivyClient#submitStatementExactlyOnce} and
 * {@link LivyClient#createSessionExactlyOnce}).
 */
public final class LivyOutcomeUnknownException extends LivyException {
    public LivyOutcomeUnknownException(String endpoint, String message, Throwable cause) {
        super(endpoint, message, cause);
    }
}
