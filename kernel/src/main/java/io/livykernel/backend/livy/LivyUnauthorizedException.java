package io.livykernel.backend.livy;

/** HTTP 401 or 403: the credentials were refused, or the user may not touch this session. */
public final class LivyUnauthorizedException extends LivyHttpException {
    public LivyUnauthorizedException(String endpoint, int status, String livyMessage, String message) {
        super(endpoint, status, livyMessage, message);
    }
}
