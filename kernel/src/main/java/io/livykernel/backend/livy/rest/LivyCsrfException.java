package io.livykernel.backend.livy.rest;

/**
 * HTTP 400 "Missing Required Header for CSRF protection.": the request reached Livy without X-Requested-By.
 * This client always sends it, so something in between removed it.
 */
public final class LivyCsrfException extends LivyHttpException {
    public LivyCsrfException(String endpoint, String livyMessage, String message) {
        super(endpoint, 400, livyMessage, message);
    }
}
