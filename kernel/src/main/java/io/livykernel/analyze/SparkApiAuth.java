package io.livykernel.analyze;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;

/**
 * How {@link HttpSparkApi} authenticates to a Spark UI, YARN proxy or History Server that wants it (Kerberos
 * SPNEGO on a secured cluster). Implementations keep their own credentials; none are ever logged.
 */
public interface SparkApiAuth {

    /**
     * Adds what authenticates a request to {@code uri}: a cookie the server issued earlier, else (or with
     * {@code freshToken}, after the server refused the cookie) a new token.
     *
     * @throws SparkApiException when no credential can be made (no ticket, unreachable KDC...), saying what to do
     */
    void authenticate(HttpRequest.Builder request, URI uri, boolean freshToken) throws SparkApiException;

    /** Learns from an answer of the server at {@code uri} (keeps or drops its auth cookie). */
    void remember(URI uri, HttpResponse<?> response);

    /** True when a 401 asks for Negotiate, as Hadoop's SPNEGO filter (Livy, YARN proxy, History Server) does. */
    static boolean asksForNegotiate(HttpResponse<?> response) {
        return response.headers().allValues("WWW-Authenticate").stream()
                .anyMatch(v -> v.strip().toLowerCase(Locale.ROOT).startsWith("negotiate"));
    }
}
