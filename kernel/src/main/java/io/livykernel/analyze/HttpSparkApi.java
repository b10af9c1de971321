package io.livykernel.analyze;

import io.livykernel.http.AuthenticationException;
import io.livykernel.http.HttpFailures;
import io.livykernel.http.HttpSettings;
import io.livykernel.http.HttpStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The REST API over HTTP. The base is a Spark UI (a driver's {@code :4040}, or the YARN proxy address a session's
 * appInfo.sparkUiUrl names) or a History Server; {@code api/v1/} is added unless the base already ends with it.
 * Requests go through the kernel's {@link HttpStack}: the configured TLS trust, headers and credentials (a
 * Kerberized cluster's YARN proxy and History Server answer 401 "Negotiate" without SPNEGO). Redirects are
 * followed, each server getting its own credentials.
 */
public final class HttpSparkApi implements SparkApi {
    /** What a 401 asking for Kerberos says to do when none is configured (the CLI adds its own option). */
    public static final String KERBEROS_HINT = "set livy.auth {\"type\": \"kerberos\"} in the configuration file"
            + " (LIVY_KERNEL_CONFIG) to use your Kerberos ticket";

    private final HttpStack http;
    private final String base;
    private final Duration timeout;

    /** A Spark UI or History Server without TLS settings, headers or credentials (a local driver's UI). */
    public HttpSparkApi(String baseUrl) {
        this(baseUrl, HttpStack.of(HttpSettings.DEFAULT));
    }

    /** Through {@code http}, each request bounded by its request timeout. */
    public HttpSparkApi(String baseUrl, HttpStack http) {
        this(baseUrl, http, http.settings().requestTimeout());
    }

    /** Through {@code http}; {@code timeout} bounds each request when it is shorter than the configured one. */
    public HttpSparkApi(String baseUrl, HttpStack http, Duration timeout) {
        String url = baseUrl.trim();
        url = url.endsWith("/") ? url : url + "/";
        this.base = url.endsWith("api/v1/") ? url : url + "api/v1/";
        URI.create(base); // fails early on an address that is not a URI
        this.http = http;
        this.timeout = http.timeoutWithin(timeout);
    }

    @Override
    public String get(String path) throws SparkApiException, InterruptedException {
        URI uri = URI.create(base + path);
        HttpResponse<String> answer = send(uri);
        if (http.lacksKerberosFor(answer)) {
            throw new SparkApiException(401, describe() + " wants Kerberos (SPNEGO) and none is configured: "
                    + KERBEROS_HINT, SparkApiException.Kerberos.NOT_CONFIGURED);
        }
        if (answer.statusCode() != 200) {
            String body = answer.body() == null ? "" : answer.body().strip();
            throw new SparkApiException(answer.statusCode(), "HTTP " + answer.statusCode() + " for " + path
                    + (body.isEmpty() || body.length() > 200 || body.startsWith("<") ? "" : ": " + body));
        }
        String type = answer.headers().firstValue("Content-Type").orElse("");
        if (type.contains("html")) {
            // A login page or a proxy's error page answered with 200: not the REST API.
            throw new SparkApiException(answer.statusCode(), "an HTML page instead of JSON for " + path
                    + " (a proxy or login page?)");
        }
        return answer.body();
    }

    private HttpResponse<String> send(URI uri) throws SparkApiException, InterruptedException {
        try {
            return http.send(http.newRequest(uri).timeout(timeout).header("Accept", "application/json").GET(), uri,
                    HttpResponse.BodyHandlers.ofString(), true);
        } catch (AuthenticationException e) {
            throw new SparkApiException(0, e.getMessage(), SparkApiException.Kerberos.FAILED);
        } catch (HttpTimeoutException e) {
            throw new SparkApiException(0, "no answer from " + describe() + " within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new SparkApiException(0, "cannot reach " + describe() + " (" + HttpFailures.describe(e) + ")");
        }
    }

    @Override
    public String describe() {
        return base;
    }
}
