package io.livykernel.backend.livy.rest;

import java.util.Locale;

/** Livy's 401 and 403 worded for Kerberos (the login and token failures are {@code http.KerberosErrors}). */
final class KerberosRefusals {
    private KerberosRefusals() {
    }

    /**
     * The exception for Livy's 401 or 403, worded for Kerberos: Livy asks for Kerberos and none is configured,
     * refuses our token, or refuses the authenticated user. Null when Kerberos plays no part.
     *
     * @param principal the configured principal; null when Kerberos is not configured
     */
    static LivyUnauthorizedException refusal(String endpoint, int status, String livyMessage, boolean asksNegotiate,
                                             String principal) {
        String summary = LivyErrors.summary(livyMessage);
        String said = endpoint + ": HTTP " + status + (summary.isEmpty() ? "" : " " + summary);
        if (principal == null) {
            if (status != 401 || !asksNegotiate) {
                return null;
            }
            return new LivyUnauthorizedException(endpoint, status, livyMessage, "Livy requires Kerberos (SPNEGO)"
                    + " authentication (" + said + "): add \"auth\": {\"type\": \"kerberos\", \"principal\":"
                    + " \"you@YOUR.REALM\"} to the livy section of the configuration file (and run kinit, or add"
                    + " \"keytab\")", true);
        }
        if (status == 401) {
            return new LivyUnauthorizedException(endpoint, status, livyMessage, "Livy refused the Kerberos"
                    + " authentication of " + principal + " (" + said + ")" + (asksNegotiate ? "" : "; Livy does not"
                    + " ask for Kerberos here: check livy.url and livy.auth"), true);
        }
        if (livyMessage.contains("GSSException") || livyMessage.toLowerCase(Locale.ROOT).contains("checksum")) {
            return new LivyUnauthorizedException(endpoint, status, livyMessage, "Livy could not verify the Kerberos"
                    + " token of " + principal + " (" + said + "): Livy's keytab does not match the KDC's key of its"
                    + " HTTP principal, or livy.auth.hostname names another host; tell Livy's administrators", true);
        }
        return new LivyUnauthorizedException(endpoint, status, livyMessage, "Livy authenticated " + principal
                + " but refused the request (" + said + "): this user may not use this session or batch, or may not"
                + " impersonate the proxyUser (livy.superusers, livy.server.access-control.*); ask Livy's"
                + " administrators", true);
    }
}
