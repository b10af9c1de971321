package io.livykernel.backend.livy.rest;

/** HTTP 401 or 403: the credentials were refused, or the user may not touch this session. */
public final class LivyUnauthorizedException extends LivyHttpException {
    private final boolean kerberos;

    public LivyUnauthorizedException(String endpoint, int status, String livyMessage, String message) {
        this(endpoint, status, livyMessage, message, false);
    }

    public LivyUnauthorizedException(String endpoint, int status, String livyMessage, String message,
                                     boolean kerberos) {
        super(endpoint, status, livyMessage, message);
        this.kerberos = kerberos;
    }

    /** True when the message is about Kerberos and already says what to do. */
    public boolean kerberos() {
        return kerberos;
    }
}
