package io.livykernel.analyze;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The REST API over HTTP. The base is a Spark UI (a driver's {@code :4040}, or the YARN proxy address a session's
 * appInfo.sparkUiUrl names) or a History Server; {@code api/v1/} is added unless the base already ends with it.
 * On a Kerberized cluster those answer 401 "Negotiate" unless an {@link SparkApiAuth} authenticates the requests.
 */
public final class HttpSparkApi implements SparkApi {
    /** What a 401 asking for Kerberos says to do when none is configured (the CLI adds its own option). */
    public static final String KERBEROS_HINT = "set livy.auth {\"type\": \"kerberos\"} in the configuration file"
            + " (LIVY_KERNEL_CONFIG) to use your Kerberos ticket";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http;
    private final String base;
    private final SparkApiAuth auth;
    private final Duration timeout;

    public HttpSparkApi(String baseUrl) {
        this(baseUrl, null, TIMEOUT);
    }

    /** {@code auth} null sends no credentials; {@code timeout} bounds each request (connecting: at most 5 s). */
    public HttpSparkApi(String baseUrl, SparkApiAuth auth, Duration timeout) {
        String url = baseUrl.trim();
        url = url.endsWith("/") ? url : url + "/";
        this.base = url.endsWith("api/v1/") ? url : url + "api/v1/";
        URI.create(base); // fails early on an address that is not a URI
        this.auth = auth;
        this.timeout = timeout;
        Duration connect = timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5);
        this.http = HttpClient.newBuilder().connectTimeout(connect)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public String get(String path) throws SparkApiException, InterruptedException {
        URI uri = URI.create(base + path);
        HttpResponse<String> answer = send(uri, false);
        if (answer.statusCode() == 401 && SparkApiAuth.asksForNegotiate(answer)) {
            if (auth == null) {
                throw new SparkApiException(401, describe() + " wants Kerberos (SPNEGO) and none is configured: "
                        + KERBEROS_HINT, SparkApiException.Kerberos.NOT_CONFIGURED);
            }
            // The filter refused the cookie (expired, or issued by another server) before the API saw anything.
            answer = send(uri, true);
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

    private HttpResponse<String> send(URI uri, boolean freshToken) throws SparkApiException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .GET();
        if (auth != null) {
            auth.authenticate(request, uri, freshToken);
        }
        HttpResponse<String> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new SparkApiException(0, "no answer from " + describe() + " within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new SparkApiException(0, "cannot reach " + describe() + " (" + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
        if (auth != null) {
            auth.remember(answer.uri(), answer);   // after a redirect, the cookie is the last server's
        }
        return answer;
    }

    @Override
    public String describe() {
        return base;
    }
}
