package io.livykernel.backend.livy.rest;

import static io.livykernel.backend.livy.rest.FakeLivy.dropConnection;
import static io.livykernel.backend.livy.rest.FakeLivy.reply;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.http.RetryPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** No password, token or Authorization header in any exception or log line, whatever goes wrong. */
class LivyClientSecretsTest {
    private static final String PASSWORD = "Pa55-TOPSECRET";
    private static final String TOKEN = "hdr-TOPSECRET";

    private FakeLivy livy;
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
    void failuresNeverShowCredentials() throws Exception {
        LivyClient client = new LivyClient(LivySettings.builder(livy.url().toString()).basicAuth("alice", PASSWORD)
                .header("X-Gateway-Token", TOKEN).requestTimeout(Duration.ofMillis(300))
                .retryPolicy(new RetryPolicy(2, List.of(Duration.ofMillis(5)), 0)).build());

        livy.handle((request, exchange) -> reply(exchange, 401, "text/plain", "Unauthorized"));
        assertClean(LivyUnauthorizedException.class, () -> client.getSession("0"));
        livy.handle((request, exchange) -> reply(exchange, 500, "\"java.lang.RuntimeException: boom\""));
        assertClean(LivyHttpException.class, () -> client.getSessionLog("0", 0, 10));
        livy.handle((request, exchange) -> {
            throw dropConnection();
        });
        assertClean(LivyOutcomeUnknownException.class,
                () -> client.submitStatement("0", new StatementRequest("1", null)));
        assertClean(LivyConnectionException.class, () -> client.getStatement("0", "1"));
        livy.handle((request, exchange) -> Thread.sleep(2000));
        assertClean(LivyConnectionException.class, () -> client.getSessionState("0"));
        livy.close();
        assertClean(LivyConnectionException.class, () -> client.deleteSession("0"));

        assertTrue(log.lines().stream().anyMatch(l -> l.matches("(?s).*GET /sessions/0 -> 401 \\(\\d+ ms\\).*")),
                "requests are logged at FINE with method, path, status and duration: " + log.lines());
        for (String line : log.lines()) {
            assertNoSecret(line);
        }
    }

    private static void assertClean(Class<? extends LivyException> expected, Executable call) {
        LivyException e = assertThrows(expected, call);
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertNoSecret(trace.toString());
        assertNoSecret(e.endpoint());
    }

    private static void assertNoSecret(String text) {
        String basic = Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        for (String secret : List.of(PASSWORD, TOKEN, basic, "Authorization")) {
            assertFalse(text.contains(secret), "found " + secret + " in: " + text);
        }
    }
}
