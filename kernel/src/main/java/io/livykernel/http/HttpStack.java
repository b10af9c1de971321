package io.livykernel.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.logging.Logger;

/**
 * The kernel's one HTTP stack: the only place that builds an {@link HttpClient}, so that TLS (verification, trust
 * store), the configured headers, timeouts, the retry policy and authentication (Basic, Kerberos SPNEGO with its
 * per-server cookie, a bearer token) are the same for Livy, the Spark UI through the YARN proxy, a History Server and WebHDFS.
 * Redirects are not followed by the client: a redirect to another server needs that server's credentials, so
 * {@link #send} follows them itself when asked. Thread-safe; make one per configuration.
 */
public final class HttpStack {
    private static final Logger LOG = Logger.getLogger(HttpStack.class.getName());
    private static final int MAX_REDIRECTS = 5;

    private final HttpSettings settings;
    private final HttpClient client;
    private final Authenticator authenticator;
    private final Random jitter = new Random();

    private HttpStack(HttpSettings settings, HttpClient client, Authenticator authenticator) {
        this.settings = settings;
        this.client = client;
        this.authenticator = authenticator;
    }

    /** A stack for services that are not Livy (Spark UI, History Server, WebHDFS). */
    public static HttpStack of(HttpSettings settings) {
        return forLivy(settings, null);
    }

    /**
     * A stack whose Kerberos tokens for {@code livyUrl}'s host go to {@code livy.auth.hostname}'s principal.
     * Throws IllegalArgumentException when the configured trust store cannot be loaded.
     */
    public static HttpStack forLivy(HttpSettings settings, URI livyUrl) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(TlsContexts.forSettings(settings))
                .build();
        Authenticator authenticator = settings.kerberos() != null
                ? new SpnegoAuth(settings.kerberos(), livyUrl, System.getenv())
                : settings.bearer() != null ? new BearerAuth(settings.bearer(), System.getenv())
                : settings.username() != null ? new BasicAuth(settings.username(), settings.password())
                : Authenticator.NONE;
        return new HttpStack(settings, client, authenticator);
    }

    /**
     * This stack for other services than Livy (the sessions' Spark UI): the same client, settings and Kerberos
     * login, but not Livy's cookies nor {@code livy.auth.hostname}.
     */
    public HttpStack forOtherServices() {
        return authenticator instanceof SpnegoAuth spnego
                ? new HttpStack(settings, client, spnego.sharingLogin()) : this;
    }

    /** This stack (its client and settings) with another way to authenticate, e.g. a bearer token. */
    public HttpStack withAuthenticator(Authenticator value) {
        return new HttpStack(settings, client, value);
    }

    public HttpSettings settings() {
        return settings;
    }

    /** The client, for a caller with its own send loop (LivyClient); others use {@link #send}. */
    public HttpClient client() {
        return client;
    }

    /** The Kerberos authentication, or null when none is configured. */
    public SpnegoAuth kerberos() {
        return authenticator instanceof SpnegoAuth spnego ? spnego : null;
    }

    /** A request to {@code uri} bounded by the configured request timeout. */
    public HttpRequest.Builder newRequest(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(settings.requestTimeout());
    }

    /**
     * Adds the credentials for {@code uri} and then the configured headers (which replace same-named ones) to a
     * request the caller has otherwise finished.
     */
    public void prepare(HttpRequest.Builder request, URI uri, boolean freshToken) throws AuthenticationException {
        authenticator.authenticate(request, uri, freshToken);
        settings.headers().forEach(request::setHeader);
    }

    /** Lets the authenticator learn from an answer (keep or drop its cookie). */
    public void remember(URI uri, HttpResponse<?> response) {
        authenticator.remember(uri, response);
    }

    /** Lets the authenticator learn that a request got no answer. */
    public void unanswered(URI uri, HttpRequest request) {
        authenticator.unanswered(uri, request);
    }

    /** True when a refused request may be sent once more with a fresh token (the server did not act on it). */
    public boolean canAnswer(HttpResponse<?> response) {
        return authenticator.canAnswer(response);
    }

    /** The authenticator's one line for a 401 from {@code server} it could not answer; null when it has none. */
    public String refusal(String server, HttpResponse<?> response, String said) {
        return response.statusCode() == 401 ? authenticator.refusal(server, said) : null;
    }

    /** True when a 401 asks for Kerberos and this stack has none to offer. */
    public boolean lacksKerberosFor(HttpResponse<?> response) {
        return Authenticator.asksForNegotiate(response) && !authenticator.canAnswer(response);
    }

    /**
     * Sends {@code request} (for {@code uri}) with the credentials and headers, sending it once more with a fresh
     * token when the server refused them in a way that proves it did not act on it (SPNEGO's 401). With
     * {@code followRedirects} (for GETs) a redirect is followed, each server getting its own credentials.
     */
    public <T> HttpResponse<T> send(HttpRequest.Builder request, URI uri, HttpResponse.BodyHandler<T> handler,
                                    boolean followRedirects)
            throws IOException, InterruptedException, AuthenticationException {
        URI target = uri;
        for (int redirects = 0; ; redirects++) {
            HttpResponse<T> answer = sendOnce(request.copy().uri(target), target, handler, false);
            if (authenticator.canAnswer(answer)) {
                answer = sendOnce(request.copy().uri(target), target, handler, true);
            }
            String location = answer.headers().firstValue("Location").orElse(null);
            if (!followRedirects || !isRedirect(answer.statusCode()) || location == null
                    || redirects >= MAX_REDIRECTS) {
                return answer;
            }
            target = target.resolve(location);
        }
    }

    /**
     * {@link #send} for a request that may safely run twice (a read, or a write that replaces what it writes):
     * repeated with the retry policy's pauses while the connection fails (but not a TLS handshake: a certificate
     * does not become trusted by waiting) or the server answers 5xx. Returns the last answer, or throws the last
     * failure.
     */
    public <T> HttpResponse<T> sendRepeatable(HttpRequest.Builder request, URI uri, HttpResponse.BodyHandler<T> handler,
                                              boolean followRedirects)
            throws IOException, InterruptedException, AuthenticationException {
        RetryPolicy policy = settings.retryPolicy();
        for (int attempt = 1; ; attempt++) {
            String why;
            try {
                HttpResponse<T> answer = send(request, uri, handler, followRedirects);
                if (answer.statusCode() < 500 || attempt >= policy.maxAttempts()) {
                    return answer;
                }
                why = "HTTP " + answer.statusCode();
            } catch (IOException e) {
                if (attempt >= policy.maxAttempts() || HttpFailures.isPermanent(e)) {
                    throw e;
                }
                why = HttpFailures.describe(e);
            }
            Duration pause = policy.pauseBeforeRetry(attempt, jitter);
            String said = uri.getScheme() + "://" + uri.getAuthority() + uri.getPath() + ": " + why + "; retry "
                    + attempt + " of " + (policy.maxAttempts() - 1) + " in " + pause.toMillis() + " ms";
            LOG.info(said);
            Thread.sleep(pause.toMillis());
        }
    }

    private <T> HttpResponse<T> sendOnce(HttpRequest.Builder request, URI uri, HttpResponse.BodyHandler<T> handler,
                                         boolean freshToken)
            throws IOException, InterruptedException, AuthenticationException {
        prepare(request, uri, freshToken);
        HttpRequest built = request.build();
        HttpResponse<T> answer;
        try {
            answer = client.send(built, handler);
        } catch (IOException | InterruptedException e) {
            authenticator.unanswered(uri, built);
            throw e;
        }
        authenticator.remember(uri, answer);
        return answer;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** The request timeout to use when a caller has its own bound: the shorter of the two. */
    public Duration timeoutWithin(Duration bound) {
        return bound.compareTo(settings.requestTimeout()) < 0 ? bound : settings.requestTimeout();
    }

    @Override
    public String toString() {
        return "HttpStack[" + settings + "]";
    }
}
