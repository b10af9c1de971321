package io.livykernel.backend.livy.rest;

/**
 * No usable HTTP answer: connection refused or reset, a timeout, a failed TLS handshake. Thrown after the
 * retries that were safe for the request.
 */
public final class LivyConnectionException extends LivyException {
    public LivyConnectionException(String endpoint, String message, Throwable cause) {
        super(endpoint, message, cause);
    }
}
