package io.livykernel.backend.livy.rest;

/**
 * The answer to a POST that creates something (a statement, session or batch) was lost, and the server
 * shows it did not create it: nothing of ours appeared until after the request could still have landed.
 * Sending it again is the caller's decision (for a cell: the user's, by running it again).
 */
public final class LivyNotCreatedException extends LivyException {
    public LivyNotCreatedException(String endpoint, String message, Throwable cause) {
        super(endpoint, message, cause);
    }
}
