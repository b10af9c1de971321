package io.livykernel.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.security.auth.Subject;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * SPNEGO ("Negotiate") with the JDK's GSS-API for the HTTP services of a Kerberized cluster: Livy, and the
 * Spark UI behind YARN's proxy or a History Server (Hadoop's AuthenticationFilter in front of each). One
 * Kerberos login serves them all; each server (host:port) gets tokens for its own principal
 * {@code HTTP/<canonical host>} and keeps its own {@code hadoop.auth} cookie, so later requests cost no token
 * until it expires. Thread-safe.
 */
public final class SpnegoAuth implements Authenticator {
    static final String COOKIE = "hadoop.auth";
    private static final Oid SPNEGO = oid("1.3.6.1.5.5.2");

    private final KerberosSettings settings;
    /** The host whose principal {@code settings.hostname()} names (Livy's); null when it names none. */
    private final String configuredHost;
    private final KerberosLogin login;
    private final ConcurrentMap<String, String> principals = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> cookies = new ConcurrentHashMap<>();
    private volatile boolean loggedIn;

    /** {@code livyUrl}'s host is the one {@code settings.hostname()} names; null for other services. */
    public SpnegoAuth(KerberosSettings settings, URI livyUrl, Map<String, String> env) {
        this(settings, livyUrl == null ? null : livyUrl.getHost(), new KerberosLogin(settings, env, Clock.systemUTC()));
    }

    private SpnegoAuth(KerberosSettings settings, String configuredHost, KerberosLogin login) {
        this.settings = settings;
        this.configuredHost = configuredHost;
        this.login = login;
    }

    /** Authentication for other services than Livy (the Spark UI), sharing this login but not its cookies. */
    SpnegoAuth sharingLogin() {
        return new SpnegoAuth(settings, null, login);
    }

    /** The configured principal, or the ticket cache's; for messages. */
    public String principal() {
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
     * The header that authenticates the next request to {@code target}: its server's cookie when there is one,
     * else (once a login exists, or when {@code freshToken}) a new Negotiate token; null before the first login.
     */
    Header header(URI target, String endpoint, boolean freshToken) throws AuthenticationException {
        String current = cookies.get(server(target));
        if (current != null && !freshToken) {
            return new Header("Cookie", COOKIE + "=" + current);
        }
        if (freshToken || loggedIn) {
            return new Header("Authorization", "Negotiate " + token(target, endpoint));
        }
        return null;
    }

    @Override
    public void authenticate(HttpRequest.Builder request, URI uri, boolean freshToken)
            throws AuthenticationException {
        // A server is only sent a token once one wants SPNEGO, so a login costs nothing where none is needed.
        Header header = header(uri, uri.getHost(), freshToken);
        if (header != null) {
            request.setHeader(header.name(), header.value());
        }
    }

    /** A 401 asking for Negotiate: the filter refused before the service saw the request, so it may be resent. */
    @Override
    public boolean canAnswer(HttpResponse<?> response) {
        return asksForNegotiate(response);
    }

    /** Keeps (or drops) the auth cookie of a response from {@code target}'s server. */
    @Override
    public void remember(URI target, HttpResponse<?> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).strip().equals(COOKIE)) {
                String value = pair.substring(eq + 1).strip();
                if (value.isEmpty() || value.equals("\"\"")) {
                    cookies.remove(server(target));
                } else {
                    cookies.put(server(target), value);
                }
            }
        }
    }

    public void forgetCookie(URI target) {
        cookies.remove(server(target));
    }

    /** True when the response asks for Negotiate (Hadoop's SPNEGO filter answers 401 with it). */
    public static boolean asksForNegotiate(HttpResponse<?> response) {
        return Authenticator.asksForNegotiate(response);
    }

    /**
     * The server's principal, "HTTP/host", host being the canonical name of the URL's host as Hadoop's filter
     * expects (or {@code livy.auth.hostname} for Livy's host).
     */
    public String servicePrincipal(URI target) {
        String host = target.getHost();
        return principals.computeIfAbsent(host == null ? "" : host.toLowerCase(Locale.ROOT), h -> {
            boolean configured = settings.hostname() != null && configuredHost != null
                    && configuredHost.equalsIgnoreCase(h);
            String named = configured ? settings.hostname() : canonical(h);
            return settings.service() + "/" + named.toLowerCase(Locale.ROOT);
        });
    }

    private static String server(URI target) {
        return (target.getHost() == null ? "" : target.getHost().toLowerCase(Locale.ROOT)) + ":" + target.getPort();
    }

    private String token(URI target, String endpoint) throws AuthenticationException {
        Subject subject = login.subject(endpoint);
        loggedIn = true;
        String service = servicePrincipal(target);
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
            throw new AuthenticationException(endpoint, why, cause);
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
