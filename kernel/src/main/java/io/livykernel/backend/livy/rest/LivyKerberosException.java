package io.livykernel.backend.livy.rest;

/**
 * Kerberos could not authenticate this client to Livy: no ticket, an unusable keytab, an unreachable KDC,
 * no service principal for Livy's host... The message is one line saying what to do; it never holds a
 * ticket, token or key.
 */
public final class LivyKerberosException extends LivyException {
    public LivyKerberosException(String endpoint, String message, Throwable cause) {
        super(endpoint, message, cause);
    }
}
