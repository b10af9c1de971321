package io.livykernel.backend.livy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import javax.security.auth.Subject;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * SPNEGO ("Negotiate") for one Livy server, with the JDK's GSS-API: makes the tokens for the Authorization
 * header and keeps the {@code hadoop.auth} cookie that Livy's authentication filter (Hadoop's
 * AuthenticationFilter) returns once a token was accepted, so that later requests cost no token until it
 * expires. Thread-safe.
 */
final class SpnegoAuth {
    static final String COOKIE = "hadoop.auth";
    private static final Oid SPNEGO = oid("1.3.6.1.5.5.2");

    private final KerberosSettings settings;
    private final String livyHost;
    private final KerberosLogin login;
    private volatile String servicePrincipal;
    private volatile String cookie;
    private volatile boolean loggedIn;

    SpnegoAuth(KerberosSettings settings, URI livyUrl, Map<String, String> env) {
        this.settings = settings;
        this.livyHost = livyUrl.getHost();
        this.login = new KerberosLogin(settings, env, Clock.systemUTC());
    }

    /** The configured principal, or the ticket cache's; for messages. */
    String principal() {
        return login.principalForMessages();
    }

    /** A header that authenticates a request; its value is a secret (never log it). */
    record Header(String name, String value) {
        @Override
        public String toString() {
            return "Header[" + name + "]";
        }
    }

    /**
     * The header that authenticates the next request: the cookie when there is one, else (once a login
     * exists, or when {@code freshToken}) a new Negotiate token; null before the first login.
     */
    Header header(String endpoint, boolean freshToken) throws LivyKerberosException {
        String current = cookie;
        if (current != null && !freshToken) {
            return new Header("Cookie", COOKIE + "=" + current);
        }
        if (freshToken || loggedIn) {
            return new Header("Authorization", "Negotiate " + token(endpoint));
        }
        return null;
    }

    /** Keeps (or drops) the auth cookie of a response. */
    void remember(HttpResponse<?> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).strip().equals(COOKIE)) {
                String value = pair.substring(eq + 1).strip();
                cookie = value.isEmpty() || value.equals("\"\"") ? null : value;
            }
        }
    }

    void forgetCookie() {
        cookie = null;
    }

    /** True when the response asks for Negotiate (Livy's SPNEGO filter answers 401 with it). */
    static boolean asksForNegotiate(HttpResponse<?> response) {
        return response.headers().allValues("WWW-Authenticate").stream()
                .anyMatch(v -> v.strip().toLowerCase(Locale.ROOT).startsWith("negotiate"));
    }

    /** Livy's principal, "HTTP/host", host being the canonical name of Livy's host, as Livy's filter expects. */
    String servicePrincipal() {
        String known = servicePrincipal;
        if (known == null) {
            String host = settings.hostname() != null ? settings.hostname() : canonical(livyHost);
            known = settings.service() + "/" + host.toLowerCase(Locale.ROOT);
            servicePrincipal = known;
        }
        return known;
    }

    private String token(String endpoint) throws LivyKerberosException {
        Subject subject = login.subject(endpoint);
        loggedIn = true;
        String service = servicePrincipal();
        try {
            byte[] token = Subject.doAs(subject, (PrivilegedExceptionAction<byte[]>) () -> {
                GSSManager manager = GSSManager.getInstance();
                GSSName server = manager.createName(service.replaceFirst("/", "@"), GSSName.NT_HOSTBASED_SERVICE);
                GSSContext context = manager.createContext(server, SPNEGO, null, GSSContext.DEFAULT_LIFETIME);
                try {
                    context.requestMutualAuth(false);
                    context.requestCredDeleg(false);
                    return context.initSecContext(new byte[0], 0, 0);
                } finally {
                    context.dispose();
                }
            });
            return Base64.getEncoder().encodeToString(token);
        } catch (PrivilegedActionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof GSSException gss ? KerberosErrors.token(gss, service, principal())
                    : "could not make a Kerberos token for " + service + ": " + cause;
            throw new LivyKerberosException(endpoint, why, cause);
        }
    }

    private static String canonical(String host) {
        try {
            return InetAddress.getByName(host).getCanonicalHostName();
        } catch (UnknownHostException e) {
            return host;
        }
    }

    private static Oid oid(String dotted) {
        try {
            return new Oid(dotted);
        } catch (GSSException e) {
            throw new IllegalStateException(e);
        }
    }
}
