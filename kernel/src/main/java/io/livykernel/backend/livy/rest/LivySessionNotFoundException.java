package io.livykernel.backend.livy.rest;

/**
 * HTTP 404 "Session 'N' not found.": the session or batch does not exist, typically because Livy deleted it
 * (heartbeat or idle timeout, a restart without recovery, or someone else's DELETE).
 */
public final class LivySessionNotFoundException extends LivyHttpException {
    public LivySessionNotFoundException(String endpoint, String livyMessage, String message) {
        super(endpoint, 404, livyMessage, message);
    }
}
