package io.livykernel.http;

import java.nio.file.Path;

/**
 * Kerberos (SPNEGO) authentication to Livy ({@code livy.server.auth.type = kerberos}). Holds no secret: a
 * keytab is named by its path, a ticket cache is the one {@code kinit} fills.
 *
 * @param principal   who logs in, e.g. "alice@EXAMPLE.COM"; null takes the ticket cache's principal
 * @param keytab      log in with this keytab (needs {@code principal}); null uses the ticket cache
 * @param ticketCache the ticket cache to read when there is no keytab; null means KRB5CCNAME, else the
 *                    JDK's default (/tmp/krb5cc_UID)
 * @param service     the service part of Livy's principal, "HTTP" as Livy's SPNEGO filter expects
 * @param hostname    the host part of Livy's principal; null means the canonical name of the URL's host
 */
public record KerberosSettings(String principal, Path keytab, String ticketCache, String service, String hostname) {
    public static final String DEFAULT_SERVICE = "HTTP";

    public KerberosSettings {
        principal = blankToNull(principal);
        ticketCache = blankToNull(ticketCache);
        hostname = blankToNull(hostname);
        service = blankToNull(service) == null ? DEFAULT_SERVICE : service.strip();
        if (keytab != null && principal == null) {
            throw new IllegalArgumentException("a Kerberos keytab needs the principal to log in as (livy.auth.principal)");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
