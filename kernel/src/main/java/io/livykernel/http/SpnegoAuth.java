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
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
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
 * until it expires. Requests that need a token while another of ours is already buying that server's cookie
 * wait for its answer and use the cookie (a kernel's first cell often races its start-up request). Thread-safe.
 */
public final class SpnegoAuth implements Authenticator {
    static final String COOKIE = "hadoop.auth";
    private static final Oid SPNEGO = oid("1.3.6.1.5.5.2");
    /** How long others wait for the answer to a request buying the cookie before making a token of their own. */
    private static final long NEGOTIATION_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final KerberosSettings settings;
    /** The host whose principal {@code settings.hostname()} names (Livy's); null when it names none. */
    private final String configuredHost;
    private final KerberosLogin login;
    private final ConcurrentMap<String, String> principals = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> cookies = new ConcurrentHashMap<>();
    /** Per server, until when (System.nanoTime) our request buying its cookie (bare or with a token) is awaited. */
    private final Map<String, Long> negotiating = new HashMap<>();
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
        String server = server(target);
        synchronized (negotiating) {
            if (!freshToken) {
                String current = awaitCookieBeingBought(server);
                if (current != null) {
                    return new Header("Cookie", COOKIE + "=" + current);
                }
            }
            // a request sent bare (before the first login, to learn whether the server wants SPNEGO) is on its
            // way to a token too: those behind it wait for the cookie as well
            negotiating.put(server, System.nanoTime() + NEGOTIATION_WAIT_NANOS);
            if (!freshToken && !loggedIn) {
                return null;
            }
        }
        try {
            return new Header("Authorization", "Negotiate " + token(target, endpoint));
        } catch (AuthenticationException e) {
            stopBuying(server); // no request goes out: nobody should wait for its answer
            throw e;
        }
    }

    private void stopBuying(String server) {
        synchronized (negotiating) {
            negotiating.remove(server);
            negotiating.notifyAll();
        }
    }

    /**
     * The server's cookie, after waiting (at most until the other request's deadline; an interrupt ends the wait)
     * for a request of ours that is buying it, when one is on its way. Holds {@code negotiating}.
     */
    private String awaitCookieBeingBought(String server) {
        while (true) {
            String current = cookies.get(server);
            Long until = negotiating.get(server);
            long left = until == null ? 0 : until - System.nanoTime();
            if (current != null || left <= 0) {
                return current;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(negotiating, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return cookies.get(server);
            }
        }
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

    /**
     * Keeps the auth cookie of a response from {@code target}'s server, or drops the one a refused request
     * carried (a 401 to a request sent without it says nothing of a cookie another request bought meanwhile).
     * The answer to a request that was buying the cookie ends the wait of those that want it, unless it is the
     * 401 that a bare request gets before it is sent again with a token.
     */
    @Override
    public void remember(URI target, HttpResponse<?> response) {
        String server = server(target);
        String sentCookie = sentCookie(response.request());
        synchronized (negotiating) {
            if (response.statusCode() == 401 && sentCookie != null) {
                cookies.remove(server, sentCookie);
            }
            for (String header : response.headers().allValues("Set-Cookie")) {
                String pair = header.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String value = eq > 0 && pair.substring(0, eq).strip().equals(COOKIE) ? pair.substring(eq + 1).strip()
                        : null;
                if (value != null && !value.isEmpty() && !value.equals("\"\"")) {
                    cookies.put(server, value);
                }
            }
            boolean bare = sentCookie == null && !sentToken(response.request());
            if (sentToken(response.request()) || bare && response.statusCode() != 401) {
                stopBuying(server);
            }
        }
    }

    /** A request that got no answer no longer buys the cookie: those waiting for it go on by themselves. */
    @Override
    public void unanswered(URI target, HttpRequest request) {
        if (sentCookie(request) == null) {
            stopBuying(server(target));
        }
    }

    private static String sentCookie(HttpRequest request) {
        return request.headers().firstValue("Cookie").filter(c -> c.startsWith(COOKIE + "="))
                .map(c -> c.substring(COOKIE.length() + 1)).orElse(null);
    }

    private static boolean sentToken(HttpRequest request) {
        return request.headers().firstValue("Authorization").filter(a -> a.startsWith("Negotiate ")).isPresent();
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
