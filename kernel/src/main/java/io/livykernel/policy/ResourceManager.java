package io.livykernel.policy;

import io.livykernel.http.AuthenticationException;
import io.livykernel.http.HttpFailures;
import io.livykernel.http.HttpStack;
import io.livykernel.messages.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The YARN ResourceManager's REST API, read for what an application has used
 * ({@code GET /ws/v1/cluster/apps/{appId}}), through the kernel's HTTP stack (its TLS, headers and login). Its
 * address is configured ({@code yarn.resourceManagerUrl}) or found in the application's proxy address, which
 * YARN serves from the ResourceManager ({@code http://rm:8088/proxy/application_.../}).
 */
public final class ResourceManager {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final HttpStack http;
    private final URI base;

    public ResourceManager(HttpStack http, URI base) {
        this.http = http;
        this.base = base;
    }

    /** The ResourceManager that serves a YARN proxy address such as a Spark UI's; empty for other addresses. */
    public static Optional<URI> fromProxyUrl(String url) {
        if (url == null) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(url);
            return uri.getPath() != null && uri.getPath().startsWith("/proxy/application_") && uri.getHost() != null
                    ? Optional.of(URI.create(uri.getScheme() + "://" + uri.getRawAuthority())) : Optional.empty();
        } catch (IllegalArgumentException notAUrl) {
            return Optional.empty();
        }
    }

    /** What the application has used so far; the reason in words when the ResourceManager cannot tell. */
    public Usage usage(String appId) throws InterruptedException {
        URI uri = URI.create(base.toString().replaceFirst("/+$", "") + "/ws/v1/cluster/apps/" + appId);
        try {
            HttpResponse<String> answer = http.send(http.newRequest(uri).timeout(TIMEOUT)
                    .header("Accept", "application/json").GET(), uri, HttpResponse.BodyHandlers.ofString(), true);
            if (answer.statusCode() != 200) {
                return Usage.unknown("the ResourceManager at " + base + " answered HTTP " + answer.statusCode());
            }
            return new Usage(ApplicationUsage.fromResourceManager(Json.parseObject(answer.body())), null);
        } catch (AuthenticationException e) {
            return Usage.unknown(e.getMessage());
        } catch (IOException e) {
            return Usage.unknown("the ResourceManager at " + base + " cannot be reached (" + HttpFailures.describe(e)
                    + ")");
        } catch (RuntimeException e) {
            return Usage.unknown("the ResourceManager at " + base + " did not answer with an application");
        }
    }

    /** An application's usage, or why it is not known (never shown as zero). */
    public record Usage(ApplicationUsage figures, String unknownBecause) {
        static Usage unknown(String why) {
            return new Usage(null, why);
        }

        /** One line for people. */
        public String line() {
            return figures != null ? "Resources used: " + figures.summary()
                    : "Resources used: not available (" + unknownBecause + ")";
        }
    }
}
