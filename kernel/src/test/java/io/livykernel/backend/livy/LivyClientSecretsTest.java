package io.livykernel.backend.livy;

import static io.livykernel.backend.livy.FakeLivy.dropConnection;
import static io.livykernel.backend.livy.FakeLivy.reply;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** No password, token or Authorization header in any exception or log line, whatever goes wrong. */
class LivyClientSecretsTest {
    private static final String PASSWORD = "Pa55-TOPSECRET";
    private static final String TOKEN = "hdr-TOPSECRET";
    /** The Livy client and the HTTP stack (io.livykernel.http) it sends through. */
    private static final Logger PACKAGE_LOG = Logger.getLogger("io.livykernel");

    private FakeLivy livy;
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            logLines.add(formatter.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previousLevel;

    @BeforeEach
    void start() throws Exception {
        livy = new FakeLivy();
        previousLevel = PACKAGE_LOG.getLevel();
        PACKAGE_LOG.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        PACKAGE_LOG.addHandler(capture);
    }

    @AfterEach
    void stop() {
        PACKAGE_LOG.removeHandler(capture);
        PACKAGE_LOG.setLevel(previousLevel);
        livy.close();
    }

    @Test
    void failuresNeverShowCredentials() throws Exception {
        LivyClient client = new LivyClient(LivySettings.builder(livy.url().toString()).basicAuth("alice", PASSWORD)
                .header("X-Gateway-Token", TOKEN).requestTimeout(Duration.ofMillis(300))
                .retryPolicy(new RetryPolicy(2, List.of(Duration.ofMillis(5)), 0)).build());

        livy.handle((request, exchange) -> reply(exchange, 401, "text/plain", "Unauthorized"));
        assertClean(LivyUnauthorizedException.class, () -> client.getSession(0));
        livy.handle((request, exchange) -> reply(exchange, 500, "\"java.lang.RuntimeException: boom\""));
        assertClean(LivyHttpException.class, () -> client.getSessionLog(0, 0, 10));
        livy.handle((request, exchange) -> {
            throw dropConnection();
        });
        assertClean(LivyOutcomeUnknownException.class,
                () -> client.submitStatement(0, new StatementRequest("1", null)));
        assertClean(LivyConnectionException.class, () -> client.getStatement(0, 1));
        livy.handle((request, exchange) -> Thread.sleep(2000));
        assertClean(LivyConnectionException.class, () -> client.getSessionState(0));
        livy.close();
        assertClean(LivyConnectionException.class, () -> client.deleteSession(0));

        assertTrue(logLines.stream().anyMatch(l -> l.matches("(?s).*GET /sessions/0 -> 401 \\(\\d+ ms\\).*")),
                "requests are logged at FINE with method, path, status and duration: " + logLines);
        for (String line : logLines) {
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
