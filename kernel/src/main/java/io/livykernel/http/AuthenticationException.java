package io.livykernel.http;

/**
 * No credential could be made for a request: no Kerberos ticket, an unusable keytab, an unreachable KDC, no
 * service principal for the server's host... The message is one line saying what to do; it never holds a
 * ticket, token, key or password.
 */
public final class AuthenticationException extends Exception {
    private final String endpoint;

    public AuthenticationException(String endpoint, String message, Throwable cause) {
        super(message, cause);
        this.endpoint = endpoint;
    }

    /** The request that needed the credential, e.g. "GET http://livy:8998/sessions". */
    public String endpoint() {
        return endpoint;
    }
}
