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
 */
public final class HttpSparkApi implements SparkApi {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http;
    private final String base;

    public HttpSparkApi(String baseUrl) {
        String url = baseUrl.trim();
        url = url.endsWith("/") ? url : url + "/";
        this.base = url.endsWith("api/v1/") ? url : url + "api/v1/";
        URI.create(base); // fails early on an address that is not a URI
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public String get(String path) throws SparkApiException, InterruptedException {
        URI uri = URI.create(base + path);
        HttpResponse<String> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new SparkApiException(0, "no answer from " + describe() + " within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new SparkApiException(0, "cannot reach " + describe() + " (" + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()) + ")");
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

    @Override
    public String describe() {
        return base;
    }
}
