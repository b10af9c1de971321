package io.livykernel.batch;

import static io.livykernel.batch.LoopbackReplies.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivySettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How following ends when the batch is deleted by someone else (`kill` from another terminal). */
class BatchFollowerTest {
    // Bodies as Livy sends them (tests/livy-samples 140-batch-pi-get-running, 131-err-get-unknown-batch).
    private static final String RUNNING = "{\"id\":7,\"name\":\"pi\",\"owner\":null,\"proxyUser\":null,"
            + "\"state\":\"running\",\"appId\":null,\"appInfo\":{\"driverLogUrl\":null,\"sparkUiUrl\":null,"
            + "\"executorLogUrls\":null},\"log\":[\"stdout: \",\"\\nstderr: \"]}";
    private static final String UNKNOWN = "{\"msg\":\"Session '7' not found.\"}";

    private HttpServer server;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aBatchDeletedBetweenItsStateAndItsLogCountsAsKilled() throws Exception {
        // GET /batches/7 still answers "running"; by the time the log is asked for, the batch is gone.
        server.createContext("/batches/7/log", exchange -> reply(exchange, 404, UNKNOWN));
        server.createContext("/batches/7", exchange -> reply(exchange, 200, RUNNING));
        server.start();

        BatchFollower.Outcome outcome = follower().follow("7", null, true);

        assertEquals(BatchExitCode.KILLED, outcome.exitCode());
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("batch 7: running"), said);
        assertTrue(said.contains("no longer exists on the server: it was killed"), said);
    }

    @Test
    void aBatchAlreadyGoneCountsAsKilled() throws Exception {
        server.createContext("/batches/7", exchange -> reply(exchange, 404, UNKNOWN));
        server.start();

        assertEquals(BatchExitCode.KILLED, follower().follow("7", null, true).exitCode());
    }

    private BatchFollower follower() {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return new BatchFollower(new LivyClient(LivySettings.builder(url).build()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Duration.ofMillis(10));
    }
}
