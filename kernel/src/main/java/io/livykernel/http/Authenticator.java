package io.livykernel.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;

/**
 * How requests prove who sends them: Basic ({@link BasicAuth}), Kerberos SPNEGO ({@link SpnegoAuth}) or a bearer
 * token ({@link BearerAuth}). One authenticator serves every endpoint of an
 * {@link HttpStack}. Implementations keep their own credentials; none are ever logged.
 */
public interface Authenticator {
    /** Sends no credentials. */
    Authenticator NONE = (request, uri, freshToken) -> {
    };

    /**
     * Adds what authenticates a request to {@code uri}: for example a cookie the server issued earlier, else (or
     * with {@code freshToken}, after the server refused the cookie) a new token.
     *
     * @throws AuthenticationException when no credential can be made (no ticket, unreachable KDC...), saying what
     *                                 to do
     */
    void authenticate(HttpRequest.Builder request, URI uri, boolean freshToken) throws AuthenticationException;

    /** Learns from an answer of the server at {@code uri} (keeps or drops its auth cookie). */
    default void remember(URI uri, HttpResponse<?> response) {
    }

    /** Learns that {@code request} to {@code uri} got no answer (the connection failed, or the wait was cut). */
    default void unanswered(URI uri, HttpRequest request) {
    }

    /**
     * True when the refused {@code response} can be answered by sending the request again with
     * {@code freshToken}: the server did not act on it, it only asked for credentials this authenticator has.
     */
    default boolean canAnswer(HttpResponse<?> response) {
        return false;
    }

    /**
     * One line for a 401 from {@code server} (e.g. "Livy") that this authenticator could not answer, saying what to
     * do; {@code said} is the request and status. Null when it has nothing to add to the server's own message.
     */
    default String refusal(String server, String said) {
        return null;
    }

    /** True when a 401 asks for Negotiate, as Hadoop's SPNEGO filter (Livy, YARN proxy, History Server) does. */
    static boolean asksForNegotiate(HttpResponse<?> response) {
        return response.statusCode() == 401 && response.headers().allValues("WWW-Authenticate").stream()
                .anyMatch(v -> v.strip().toLowerCase(Locale.ROOT).startsWith("negotiate"));
    }
}
