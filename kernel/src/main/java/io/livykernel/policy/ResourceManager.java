package io.livykernel.policy;

import io.livykernel.config.Urls;
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
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final HttpStack http;
    private final URI base;
    /** The address as messages show it: credentials in it are hidden. */
    private final String shown;

    public ResourceManager(HttpStack http, URI base) {
        this.http = http;
        this.base = base;
        this.shown = Urls.redacted(base.toString());
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

    /** Where this reads, as users may see it. */
    public String describe() {
        return shown;
    }

    /** The application as the ResourceManager reports it; {@link Unreadable} says why it cannot. */
    public ApplicationUsage application(String appId) throws Unreadable, InterruptedException {
        URI uri = URI.create(base.toString().replaceFirst("/+$", "") + "/ws/v1/cluster/apps/" + appId);
        HttpResponse<String> answer;
        try {
            answer = http.send(http.newRequest(uri).timeout(http.timeoutWithin(TIMEOUT))
                    .header("Accept", "application/json").GET(), uri, HttpResponse.BodyHandlers.ofString(), true);
        } catch (AuthenticationException e) {
            throw new Unreadable(e.getMessage());
        } catch (IOException e) {
            throw new Unreadable("the ResourceManager at " + shown + " cannot be reached (" + HttpFailures.describe(e)
                    + ")");
        }
        if (answer.statusCode() != 200) {
            throw new Unreadable("the ResourceManager at " + shown + " answered HTTP " + answer.statusCode());
        }
        try {
            return ApplicationUsage.fromResourceManager(Json.parseObject(answer.body()));
        } catch (RuntimeException notAnApplication) {
            throw new Unreadable("the ResourceManager at " + shown + " did not answer with an application");
        }
    }

    /** Why the ResourceManager could not tell, in words for people. */
    public static final class Unreadable extends Exception {
        public Unreadable(String why) {
            super(why);
        }
    }
}
