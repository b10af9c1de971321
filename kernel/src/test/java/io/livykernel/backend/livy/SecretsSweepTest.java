package io.livykernel.backend.livy;

import static io.livykernel.backend.livy.rest.FakeLivy.reply;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.api.UserFacingException;
import io.livykernel.backend.livy.rest.FakeLivy;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivyException;
import io.livykernel.backend.livy.rest.LivyProblems;
import io.livykernel.backend.livy.rest.LivySettings;
import io.livykernel.backend.livy.rest.LogCapture;
import io.livykernel.backend.livy.rest.StatementRequest;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.extension.RemoteSessions;
import io.livykernel.http.RetryPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * One sweep of every message path a secret could leak through (configuration errors, connection, HTTP and
 * TLS errors, what %%info shows, the log at FINE): secrets holding line breaks, "@", quotes, "%", "/" and
 * non-ASCII characters never appear, nor any 4-character part of them.
 */
class SecretsSweepTest {
    /** A URL password with everything that breaks naive redaction. */
    private static final String PASSWORD = "Zq\"@x%7K\u00fc\nWj/3#?";
    /** A header value HTTP can carry (quotes, @, %, Latin-1). */
    private static final String TOKEN = "tK\"@v%9\u00ffRm!";
    /** A header value HTTP cannot carry: a trailing line break and a character beyond Latin-1. */
    private static final String BAD_TOKEN = "Bq\"@7%\u20acYh\n";
    private static final String STORE_PASSWORD = "sW\"@%\u00e98\npL";
    private static final List<String> SECRETS = List.of(PASSWORD, TOKEN, BAD_TOKEN, STORE_PASSWORD,
            URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8).replace("+", "%20"),
            Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));

    @TempDir
    Path dir;

    private FakeLivy livy;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private LogCapture log;

    @BeforeEach
    void start() throws Exception {
        livy = new FakeLivy();
        log = new LogCapture();
    }

    @AfterEach
    void stop() {
        log.close();
        livy.close();
    }

    @Test
    void noSecretReachesAnyMessageOrLogLine() throws Exception {
        configurationErrors();
        httpFailures();
        tlsFailure();
        whatInfoShows();

        seen.addAll(log.lines());
        assertTrue(seen.size() > 20, "the sweep saw too little to mean anything: " + seen);
        for (String text : seen) {
            for (String secret : SECRETS) {
                for (int i = 0; i + 4 <= secret.length(); i++) {
                    String part = secret.substring(i, i + 4);
                    assertFalse(text.contains(part), "found \"" + part + "\" of a secret in: " + text);
                }
            }
        }
    }

    private void configurationErrors() throws Exception {
        String rawUrl = "http://alice:" + PASSWORD.replace("\n", "") + "@livy.example.com:8998";
        configError(Map.of(), "{\"livy\": {\"url\": " + json(rawUrl) + "}}");
        configError(Map.of(KernelConfig.URL_ENV, rawUrl), "{}");
        configError(Map.of(), "{\"livy\": " + json(rawUrl) + "}");
        configError(Map.of(), "{\"livy\": {\"url\": \"http://l:1\", \"password\": [" + json(PASSWORD) + "],"
                + " \"headers\": {\"X-Token\": {\"v\": " + json(TOKEN) + "}}}}");
        configError(Map.of(), "{\"kernel_python_credentials\": {\"url\": \"http://l:1\", \"username\": \"u\","
                + " \"base64_password\": " + json(PASSWORD) + "}}");
        configError(Map.of(), "{\"livy\": {\"url\": \"http://l:1\", \"password\": \"" + PASSWORD.replace("\n", "")
                + "\n}}");
        backendError("{\"livy\": {\"url\": \"http://l:1\", \"headers\": {\"Authorization\": " + json(BAD_TOKEN) + "}}}");
        backendError("{\"livy\": {\"url\": \"https://l:1\", \"tls\": {\"trustStore\": " + json(dir.resolve("none.p12").toString())
                + ", \"trustStorePassword\": " + json(STORE_PASSWORD) + "}}}");
        Path garbage = Files.writeString(dir.resolve("garbage.p12"), "not a store");
        backendError("{\"livy\": {\"url\": \"https://l:1\", \"tls\": {\"trustStore\": " + json(garbage.toString())
                + ", \"trustStorePassword\": " + json(STORE_PASSWORD) + "}}}");
        record(assertThrows(IllegalArgumentException.class, () -> LivySettings.builder("http://l:1")
                .header("X-Token", BAD_TOKEN).build()));
        record(assertThrows(IllegalArgumentException.class, () -> LivySettings.builder(rawUrl).build()));
    }

    private void httpFailures() throws Exception {
        LivyClient client = client(livy.url().getPort(), "http");
        livy.handle((request, exchange) -> reply(exchange, 401, "text/plain", "Unauthorized"));
        failure(() -> client.getSession("0"));
        livy.handle((request, exchange) -> reply(exchange, 500, "\"java.lang.RuntimeException: boom\""));
        failure(() -> client.getSessionLog("0", 0, 10));
        livy.handle((request, exchange) -> reply(exchange, 400, "{\"msg\": \"bad request\"}"));
        failure(() -> client.submitStatementExactlyOnce("0", new StatementRequest("1", null)));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        LivyClient refused = client(closedPort, "http");
        failure(() -> refused.getSession("0"));
        record(refused.settings().toString());
    }

    private void tlsFailure() throws Exception {
        LivyClient client = client(livy.url().getPort(), "https"); // TLS to a plain HTTP server
        failure(() -> client.getSession("0"));
    }

    private void whatInfoShows() throws Exception {
        Path file = Files.writeString(dir.resolve("info.json"), "{\"livy\": {\"url\": " + json(urlWithCredentials(
                livy.url().getPort(), "http")) + ", \"headers\": {\"X-Token\": " + json(TOKEN) + "}}}");
        KernelConfig config = KernelConfig.load(Map.of(KernelConfig.CONFIG_ENV, file.toString()));
        LivyBackend backend = LivyBackend.fromConfig(config, "k1", "alice");
        try {
            RemoteSessions remote = backend.sessions();
            record(remote.endpoint());
            record(backend.description());
            record(remote.effectiveRequest().toString());
            record(remote.platformDefaults().toString());
            livy.handle((request, exchange) -> reply(exchange, 500, "\"no\""));
            record(assertThrows(UserFacingException.class, remote::userSessions));
        } finally {
            backend.close();
        }
    }

    private void configError(Map<String, String> env, String json) throws Exception {
        Path file = Files.writeString(dir.resolve("config.json"), json);
        Map<String, String> all = new HashMap<>(env);
        all.put(KernelConfig.CONFIG_ENV, file.toString());
        record(assertThrows(ConfigException.class, () -> KernelConfig.load(all)));
    }

    private void backendError(String json) throws Exception {
        Path file = Files.writeString(dir.resolve("config.json"), json);
        KernelConfig config = KernelConfig.load(Map.of(KernelConfig.CONFIG_ENV, file.toString()));
        record(assertThrows(ConfigException.class, () -> LivyBackend.fromConfig(config, "k1", null)));
    }

    private void failure(Executable call) {
        LivyException e = assertThrows(LivyException.class, call);
        record(e);
        record(e.endpoint());
        record(LivyProblems.explain("run the cell", e));
    }

    private LivyClient client(int port, String scheme) {
        return new LivyClient(LivySettings.builder(urlWithCredentials(port, scheme)).header("X-Token", TOKEN)
                .requestTimeout(Duration.ofSeconds(5)).retryPolicy(new RetryPolicy(2, List.of(Duration.ofMillis(5)), 0))
                .build());
    }

    private static String urlWithCredentials(int port, String scheme) {
        return scheme + "://alice:" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8).replace("+", "%20")
                + "@127.0.0.1:" + port;
    }

    private void record(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        seen.add(trace.toString());
    }

    private void record(String text) {
        seen.add(String.valueOf(text));
    }

    private static String json(String text) {
        return io.livykernel.messages.Json.toJson(text);
    }
}
