package io.livykernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.livykernel.backend.livy.LivyBackendConfig;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivyException;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.messages.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code livy.auth.type = "bearer"} against a loopback server that wants {@code Authorization: Bearer <token>}:
 * each token source reaches it, a rewritten file and an expiring command token are picked up, a 401 makes the
 * kernel read the source again and send the request once more, and the token never shows in messages or logs.
 */
class BearerAuthTest {
    // Quotes, @ and % are legal in a header value; the file adds a trailing newline.
    private static final String TOKEN = "eyJ0\"tok@en%41-first";
    private static final String NEW_TOKEN = "eyJ0'rot@ted%42-second";

    @TempDir
    Path dir;
    private HttpServer server;
    private final AtomicReference<String> required = new AtomicReference<>(TOKEN);
    private final List<String> answered = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::livy);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Livy behind a filter that accepts one bearer token, like a hosted Livy endpoint. */
    private void livy(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String line = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            if (!("Bearer " + required.get()).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answered.add(line + " 401");
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                reply(exchange, 401, "{\"msg\": \"token expired or invalid\"}");
            } else {
                answered.add(line + " 200");
                reply(exchange, 200, "{\"version\": \"0.9.0\"}");
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- each source reaches the server

    @Test
    void theEnvironmentVariableSourceReachesTheServer() throws Exception {
        Map<String, String> env = Map.of("LIVY_TOKEN", TOKEN);
        HttpSettings settings = HttpConfig.from(config(auth("tokenEnv", "LIVY_TOKEN")), env);
        assertEquals(new TokenSource.Env("LIVY_TOKEN"), settings.bearer());
        assertEquals(200, get(HttpStack.of(settings).withAuthenticator(new BearerAuth(settings.bearer(), env))));
        assertEquals(List.of("GET /version 200"), answered);
    }

    @Test
    void theFileSourceReachesLivyAndARewrittenFileIsPickedUpWithoutA401() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        LivyClient livy = livy(config(auth("tokenFile", file.toString())));
        assertEquals("0.9.0", livy.getVersion().version());

        // A sidecar refreshes the file; the server now wants the new token only.
        required.set(NEW_TOKEN);
        Files.writeString(file, NEW_TOKEN + "\n");
        Files.setLastModifiedTime(file, FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(5)));
        assertEquals("0.9.0", livy.getVersion().version());
        assertEquals(List.of("GET /version 200", "GET /version 200"), answered);
    }

    @Test
    void theCommandSourceReachesLivy() throws Exception {
        Path script = script("printf '%s\\n' '{\"accessToken\": \"" + TOKEN.replace("\"", "\\\"")
                + "\", \"expiresOn\": \"2099-01-01 00:00:00.000000\"}'");
        LivyClient livy = livy(config(command(script)));
        assertEquals("0.9.0", livy.getVersion().version());
        assertEquals("0.9.0", livy.getVersion().version());
        assertEquals(1, runs(), "the token is kept until shortly before its expiry");
    }

    // ---- a command's token is kept until shortly before its expiry

    @Test
    void aCommandTokenIsKeptUntilShortlyBeforeItsExpiryThenTheCommandRunsAgain() throws Exception {
        Path script = script("printf '{\"access_token\": \"%s\", \"expires_in\": 3600}' \"$(cat " + dir.resolve("current")
                + ")\"");
        Files.writeString(dir.resolve("current"), "tok-one");
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T20:00:00Z"));
        BearerAuth auth = new BearerAuth(new TokenSource.Command(List.of("/bin/sh", script.toString()),
                Duration.ofSeconds(30)), Map.of(), clock);
        assertEquals("tok-one", auth.token("x", false));
        Files.writeString(dir.resolve("current"), "tok-two");
        clock.now = clock.now.plus(Duration.ofMinutes(54));
        assertEquals("tok-one", auth.token("x", false));
        assertEquals(1, runs());
        clock.now = clock.now.plus(Duration.ofMinutes(1).plusSeconds(1));
        assertEquals("tok-two", auth.token("x", false), "within five minutes of its expiry the token is replaced");
        assertEquals(2, runs());
    }

    @Test
    void azStyleOutputIsRead() {
        Instant now = Instant.parse("2026-12-04T20:00:00Z");
        IssuedToken az = IssuedToken.parse("{\"accessToken\": \"a.b.c\", \"expiresOn\": \"2026-12-04 21:10:00.000000\","
                + " \"subscription\": \"s\", \"tokenType\": \"Bearer\"}\n", now, ZoneOffset.ofHours(1));
        assertEquals("a.b.c", az.token());
        assertEquals(Instant.parse("2026-12-04T20:10:00Z"), az.expiresAt());
        assertEquals(Instant.ofEpochSecond(1800000000), IssuedToken.parse("{\"accessToken\": \"t\", \"expires_on\":"
                + " 1800000000, \"expiresOn\": \"2027-01-15 08:00:00.000000\"}", now, ZoneId.of("UTC")).expiresAt());
        assertNull(IssuedToken.parse("bare-token\n", now, ZoneId.of("UTC")).expiresAt());
        assertEquals("bare-token", IssuedToken.parse("bare-token\n", now, ZoneId.of("UTC")).token());
    }

    // ---- a 401 reads the source again, once

    @Test
    void anExpiredTokenIsReadAgainOnceAfterA401AndTheRequestIsRepeatedOnce() throws Exception {
        // A command that prints no expiry: its token is kept until the server refuses it.
        Files.writeString(dir.resolve("current"), TOKEN);
        Path script = script("cat " + dir.resolve("current"));
        LivyClient livy = livy(config(command(script)));
        assertEquals("0.9.0", livy.getVersion().version());
        required.set(NEW_TOKEN);
        Files.writeString(dir.resolve("current"), NEW_TOKEN);

        assertEquals("0.9.0", livy.getVersion().version());
        assertEquals(List.of("GET /version 200", "GET /version 401", "GET /version 200"), answered);
        assertEquals(2, runs());

        // The same through the stack (the Spark UI, WebHDFS), for a POST: refused, re-read, sent once more.
        answered.clear();
        required.set(TOKEN);
        Files.writeString(dir.resolve("current"), TOKEN);
        HttpStack stack = livy.otherServices();
        URI uri = URI.create(base() + "/echo");
        HttpResponse<String> answer = stack.send(stack.newRequest(uri).POST(HttpRequest.BodyPublishers.ofString("1")),
                uri, HttpResponse.BodyHandlers.ofString(), false);
        assertEquals(200, answer.statusCode());
        assertEquals(List.of("POST /echo 401", "POST /echo 200"), answered);
    }

    @Test
    void aTokenRefusedAgainAfterReadingItAgainFailsWithOneLineSayingWhatToDo() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "stale-token");
        LivyClient livy = livy(config(auth("tokenFile", file.toString())));
        LivyException e = assertThrows(LivyException.class, livy::getVersion);
        assertEquals("Livy refused the bearer token from the file " + file + " (livy.auth.tokenFile) (GET " + base()
                + "/version: HTTP 401) even after reading it again: write a fresh token to " + file
                + " and run the cell again", e.getMessage());
        assertEquals(List.of("GET /version 401", "GET /version 401"), answered, "repeated exactly once");
    }

    @Test
    void anEnvironmentTokenIsNotSentTwiceSinceItCannotChange() throws Exception {
        Map<String, String> env = Map.of("LIVY_TOKEN", "stale-token");
        HttpStack stack = HttpStack.of(HttpSettings.DEFAULT).withAuthenticator(
                new BearerAuth(new TokenSource.Env("LIVY_TOKEN"), env));
        assertEquals(401, get(stack));
        assertEquals(List.of("GET /version 401"), answered);
        assertEquals("Livy refused the bearer token from LIVY_TOKEN (livy.auth.tokenEnv) (GET /version: HTTP 401):"
                + " set LIVY_TOKEN to a fresh token and restart the kernel",
                new BearerAuth(new TokenSource.Env("LIVY_TOKEN"), env).refusal("Livy", "GET /version: HTTP 401"));
    }

    // ---- configuration errors name the key

    @Test
    void configurationErrorsNameTheKey() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), TOKEN);
        String one = "livy.auth.type \"bearer\" needs exactly one of livy.auth.tokenEnv, livy.auth.tokenFile or"
                + " livy.auth.tokenCommand";
        assertTrue(configError(auth(null, null)).endsWith(one));
        assertTrue(configError(withKey(auth("tokenEnv", "LIVY_TOKEN"), "tokenFile", file.toString()))
                .endsWith(one + ", not livy.auth.tokenEnv and livy.auth.tokenFile"));
        assertTrue(configError(auth("tokenFile", dir.resolve("missing").toString())).endsWith("livy.auth.tokenFile "
                + dir.resolve("missing") + " cannot be read (no such file, or no permission)"));
        assertTrue(configError(auth("tokenEnv", "NOPE")).endsWith("livy.auth.tokenEnv names the environment variable"
                + " NOPE, which is not set in the kernel's environment"));
        String notAList = configError(auth("tokenCommand", "az account get-access-token"));
        assertTrue(notAList.contains("livy.auth.tokenCommand must be a list of strings"), notAList);
        JsonObject missing = auth(null, null);
        JsonArray argv = new JsonArray();
        argv.add("no-such-token-tool");
        missing.add("tokenCommand", argv);
        assertTrue(configError(missing).endsWith("livy.auth.tokenCommand runs no-such-token-tool, which is not on the"
                + " kernel's PATH"));
    }

    @Test
    void aFailingCommandIsNamedAndWhatItPrintedIsNotShown() throws Exception {
        Path script = script("echo '" + TOKEN + "'; echo 'token " + TOKEN + " expired' >&2; exit 3");
        LivyException e = assertThrows(LivyException.class, livy(config(command(script)))::getVersion);
        assertEquals("the command /bin/sh (livy.auth.tokenCommand) failed with exit status 3: run it in a terminal"
                + " to see why (a login may have expired)", e.getMessage());
        assertEquals(List.of(), answered, "nothing was sent without a token");
    }

    // ---- secrets

    @Test
    void theTokenNeverAppearsInMessagesToStringOrLogs() throws Exception {
        List<String> logs = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logs.add(String.valueOf(new java.util.logging.SimpleFormatter().formatMessage(record))
                        + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        Level before = root.getLevel();
        root.setLevel(Level.FINE);
        root.addHandler(capture);
        List<String> seen = new ArrayList<>();
        try {
            Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
            KernelConfig config = config(auth("tokenFile", file.toString()));
            LivyClient livy = livy(config);
            livy.getVersion();
            seen.add(livy.settings().toString());
            seen.add(HttpConfig.from(config).toString());
            seen.add(livy.otherServices().toString());
            seen.add(new BearerAuth(new TokenSource.File(file), Map.of()).toString());
            seen.add(IssuedToken.parse("{\"accessToken\": \"" + TOKEN.replace("\"", "\\\"") + "\"}", Instant.EPOCH,
                    ZoneId.of("UTC")).toString());
            required.set(NEW_TOKEN);
            seen.add(assertThrows(LivyException.class, livy::getVersion).getMessage());
            // A token broken over two lines cannot go in a header: refused without showing either half.
            Files.writeString(file, "first-half@%\"\nsecond-half");
            seen.add(assertThrows(LivyException.class, livy::getVersion).getMessage());
            Path script = script("echo '" + TOKEN + "' >&2; exit 1");
            seen.add(assertThrows(LivyException.class, livy(config(command(script)))::getVersion).getMessage());
        } finally {
            root.removeHandler(capture);
            root.setLevel(before);
        }
        assertTrue(seen.get(seen.size() - 2).contains("holds a line break"), seen.get(seen.size() - 2));
        assertTrue(logs.stream().anyMatch(l -> l.contains("read the bearer token from the file")), "logs were captured");
        List<String> all = new ArrayList<>(seen);
        all.addAll(logs);
        for (String text : all) {
            for (String secret : List.of(TOKEN, NEW_TOKEN, "first-half", "second-half", "tok@en", "rot@ted")) {
                assertFalse(text.contains(secret), "a secret in: " + text);
            }
        }
    }

    // ---- helpers

    private int get(HttpStack stack) throws Exception {
        URI uri = URI.create(base() + "/version");
        return stack.send(stack.newRequest(uri).GET(), uri, HttpResponse.BodyHandlers.ofString(), false).statusCode();
    }

    private static LivyClient livy(KernelConfig config) throws ConfigException {
        return new LivyClient(LivyBackendConfig.from(config).http());
    }

    /** A shell script (run by /bin/sh, not through a shell command line) that counts its runs. */
    private Path script(String body) throws IOException {
        return Files.writeString(dir.resolve("token-command.sh"), "echo run >> " + dir.resolve("runs") + "\n" + body
                + "\n");
    }

    private int runs() throws IOException {
        Path runs = dir.resolve("runs");
        return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
    }

    private static JsonObject command(Path script) {
        JsonObject auth = auth(null, null);
        JsonArray argv = new JsonArray();
        argv.add("/bin/sh");
        argv.add(script.toString());
        auth.add("tokenCommand", argv);
        return auth;
    }

    private static JsonObject auth(String key, String value) {
        JsonObject auth = new JsonObject();
        auth.addProperty("type", "bearer");
        return key == null ? auth : withKey(auth, key, value);
    }

    private static JsonObject withKey(JsonObject auth, String key, String value) {
        auth.addProperty(key, value);
        return auth;
    }

    private KernelConfig config(JsonObject auth) throws IOException, ConfigException {
        JsonObject livy = new JsonObject();
        livy.addProperty("url", base());
        livy.add("auth", auth);
        JsonObject root = new JsonObject();
        root.add("livy", livy);
        Path file = Files.createTempFile(dir, "config", ".json");
        Files.writeString(file, Json.gson().toJson(root));
        return KernelConfig.load(Map.of(KernelConfig.CONFIG_ENV, file.toString()));
    }

    /** The error of the file, at load (its schema) or when the HTTP settings are made from it. */
    private String configError(JsonObject auth) throws Exception {
        return assertThrows(ConfigException.class, () -> HttpConfig.from(config(auth), Map.of())).getMessage();
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
