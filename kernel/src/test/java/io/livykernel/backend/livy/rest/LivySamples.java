package io.livykernel.backend.livy.rest;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The recorded Livy traffic in the repository's {@code tests/livy-samples} (a copy of the real Livy's answers,
 * found by walking up from the working directory; {@code -Dlivy.samples.dir} overrides). Each file is one exchange or a timeline
 * of polls.
 */
public final class LivySamples {
    private LivySamples() {
    }

    /** One recorded response. {@code path} is the URL's path and query, without the host. */
    record Exchange(String source, String method, String path, int status, String contentType, String body) {
    }

    static Path dir() {
        String configured = System.getProperty("livy.samples.dir");
        if (configured != null) {
            return Path.of(configured);
        }
        // The copy kept in the repository (tests/livy-samples): tests never read outside the checkout.
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("tests").resolve("livy-samples");
            if (Files.isDirectory(candidate.resolve("yarn")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return candidate;
            }
        }
        return fail("Livy samples not found: expected tests/livy-samples in the repository that contains "
                + Path.of("").toAbsolutePath() + "; set -Dlivy.samples.dir=... to point elsewhere");
    }

    /** Every sample file, top level and yarn/, sorted by path. */
    static List<Path> files() {
        try (Stream<Path> top = Files.list(dir()); Stream<Path> yarn = Files.list(dir().resolve("yarn"))) {
            return Stream.concat(top, yarn).filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonObject read(String name) {
        return read(dir().resolve(name));
    }

    static JsonObject read(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The exchange recorded in a single-exchange sample such as "098-get-session-idle-full.json". */
    static Exchange exchange(String name) {
        List<Exchange> all = exchanges(dir().resolve(name));
        if (all.size() != 1) {
            fail(name + " is a timeline, not a single exchange");
        }
        return all.get(0);
    }

    /** The body of a single-exchange sample's response, exactly as Livy sent it. */
    public static String body(String name) {
        return exchange(name).body();
    }

    /** A sample's exchanges: one, or one per poll of a timeline (whose bodies were stored parsed). */
    static List<Exchange> exchanges(Path file) {
        JsonObject sample = read(file);
        String source = dir().relativize(file).toString();
        List<Exchange> result = new ArrayList<>();
        if (sample.has("polls")) {
            JsonArray polls = sample.getAsJsonArray("polls");
            for (int i = 0; i < polls.size(); i++) {
                JsonObject poll = polls.get(i).getAsJsonObject();
                JsonObject request = poll.getAsJsonObject("request");
                JsonElement body = poll.get("body");
                result.add(new Exchange(source + " poll " + i, request.get("method").getAsString(),
                        pathOf(request.get("url").getAsString()), poll.get("status").getAsInt(), "application/json",
                        body == null || body.isJsonNull() ? "" : body.toString()));
            }
            return result;
        }
        JsonObject request = sample.getAsJsonObject("request");
        JsonObject response = sample.getAsJsonObject("response");
        JsonObject headers = response.getAsJsonObject("headers");
        String contentType = headers.has("Content-Type") ? headers.get("Content-Type").getAsString() : null;
        result.add(new Exchange(source, request.get("method").getAsString(), pathOf(request.get("url").getAsString()),
                response.get("status").getAsInt(), contentType, response.get("body_raw").getAsString()));
        return result;
    }

    private static String pathOf(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
