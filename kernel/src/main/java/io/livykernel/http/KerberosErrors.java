package io.livykernel.http;

import java.util.Locale;
import javax.security.auth.login.LoginException;
import org.ietf.jgss.GSSException;

/**
 * One-line explanations of Kerberos failures, from the JDK's messages (which name Kerberos error codes) to
 * what the user should do. Messages name principals, files and hosts; never tickets, tokens, keys or cookies.
 */
final class KerberosErrors {
    private KerberosErrors() {
    }

    /** Why the login (keytab or ticket cache) failed. */
    static String login(LoginException e, KerberosSettings settings, String cache) {
        String who = settings.principal() != null ? settings.principal() : "YOU@YOUR.REALM";
        String common = common(e, who);
        if (common != null) {
            return common;
        }
        String text = messages(e);
        if (settings.keytab() != null) {
            if (text.contains("pre-authentication information was invalid") || text.contains("integrity check")
                    || text.contains("checksum failed")) {
                return "the KDC refused the key in the keytab " + settings.keytab() + " for " + who
                        + " (pre-authentication failed): the keytab is outdated (the password or keys changed since)"
                        + " or belongs to another principal; export a fresh one";
            }
            return "Kerberos login as " + who + " with the keytab " + settings.keytab() + " failed: "
                    + firstMessage(e);
        }
        if (text.contains("unable to obtain password")) {
            return "no usable Kerberos ticket for " + who + " in " + cache + ": run kinit " + who
                    + " or set livy.auth.keytab";
        }
        return "Kerberos login as " + who + " from the ticket cache " + cache + " failed: " + firstMessage(e);
    }

    /** Why no token could be made for Livy's service principal. */
    static String token(GSSException e, String servicePrincipal, String who) {
        String text = messages(e);
        if (text.contains("server not found in kerberos database") || text.contains("looking_up_server")) {
            return "Kerberos has no service principal " + servicePrincipal + " (Server not found in Kerberos"
                    + " database): set livy.auth.hostname to the host in Livy's principal"
                    + " (livy.server.auth.kerberos.principal), or ask your Kerberos administrators to create it";
        }
        String common = common(e, who);
        if (common != null) {
            return common;
        }
        return "could not get a Kerberos ticket for " + servicePrincipal + " as " + who + ": " + firstMessage(e);
    }

    /** Failures a login and a service ticket request share; null when {@code e} is none of them. */
    private static String common(Throwable e, String who) {
        String text = messages(e);
        if (text.contains("clock skew too great")) {
            return "Kerberos refused because this machine's clock and the KDC's differ by more than the allowed"
                    + " skew (usually 5 minutes): synchronise the clock (NTP)";
        }
        if (text.contains("cannot contact any kdc") || text.contains("receive timed out")
                || text.contains("connection refused") || text.contains("network is unreachable")
                || text.contains("no route to host")) {
            return "cannot reach the Kerberos KDC for " + who + " (" + firstMessage(e) + "); check the kdc entries in "
                    + Krb5Conf.location() + " (or KRB5_CONFIG) and the network";
        }
        if (text.contains("client not found in kerberos database")) {
            return "Kerberos does not know the principal " + who + " (Client not found in Kerberos database): fix"
                    + " livy.auth.principal";
        }
        if (text.contains("cannot locate default realm") || text.contains("cannot find kdc for realm")
                || text.contains("krb5.conf")) {
            return "Kerberos is not set up on this machine (" + firstMessage(e) + "): point KRB5_CONFIG (or the"
                    + " java.security.krb5.conf property) at your krb5.conf; now read: " + Krb5Conf.location();
        }
        if (text.contains("ticket expired") || text.contains("tgt has expired")) {
            return "the Kerberos ticket of " + who + " expired: run kinit " + who + " again, or set livy.auth.keytab"
                    + " to renew it automatically";
        }
        return null;
    }

    /** A configuration error found before talking to the KDC (e.g. no default realm for a short principal). */
    static String configuration(String detail, KerberosSettings settings) {
        return "Kerberos is not set up for " + settings.principal() + " (" + detail + "): write the principal with"
                + " its realm, or point KRB5_CONFIG at your krb5.conf (now read: " + Krb5Conf.location() + ")";
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(' ');
            if (t instanceof GSSException gss) {
                all.append(gss.getMajorString()).append(' ').append(gss.getMinorString()).append(' ');
            }
        }
        return all.toString().toLowerCase(Locale.ROOT);
    }

    /** The innermost message, which names the Kerberos error; shortened to one line. */
    private static String firstMessage(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        String line = message == null ? e.getClass().getSimpleName() : message.strip().lines().findFirst().orElse("");
        return line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }
}
