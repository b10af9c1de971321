package io.livykernel.backend.livy;

import static io.livykernel.backend.livy.rest.FakeLivy.reply;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.livykernel.api.CellResult;
import io.livykernel.backend.livy.rest.FakeLivy;
import io.livykernel.backend.livy.rest.LivySettings;
import io.livykernel.http.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An interrupt while Livy answers only 503 cannot know what the statement did: the cell says so, and does
 * not blame plain Python looping for a statement that may well have finished.
 */
class InterruptWhileUnansweredTest {
    @Test
    void theCellSaysTheOutcomeIsUnknownInsteadOfBlamingPlainPython() throws Exception {
        AtomicBoolean unavailable = new AtomicBoolean();
        String idle = "{\"id\": 0, \"name\": \"livy-kernel-k1-ab12\", \"state\": \"idle\", \"kind\": \"pyspark\"}";
        String running = "{\"id\": 0, \"code\": \"work()\", \"state\": \"running\", \"progress\": 0.5}";
        AtomicInteger refused = new AtomicInteger();
        try (FakeLivy livy = new FakeLivy()) {
            livy.handle((request, exchange) -> {
                String path = request.path();
                if (path.startsWith("/sessions/0/statements") && unavailable.get()) {
                    refused.incrementAndGet();
                    reply(exchange, 503, "\"Service Unavailable\"");
                } else if (request.method().equals("POST") && path.equals("/sessions")) {
                    reply(exchange, 201, idle);
                } else if (request.method().equals("POST") && path.equals("/sessions/0/statements")) {
                    unavailable.set(true); // from now on Livy (or its proxy) answers 503
                    reply(exchange, 201, running);
                } else if (path.equals("/sessions")) {
                    reply(exchange, 200, "{\"from\": 0, \"total\": 1, \"sessions\": [" + idle + "]}");
                } else if (path.equals("/sessions/0/statements")) {
                    reply(exchange, 200, "{\"total_statements\": 0, \"statements\": []}");
                } else {
                    reply(exchange, 200, idle);
                }
            });
            LivyBackendConfig config = new LivyBackendConfig(LivySettings.builder(livy.url().toString())
                    .retryPolicy(new RetryPolicy(1, List.of(Duration.ofMillis(5)), 0)).build(),
                    "pyspark", Duration.ofSeconds(5), false, 120, Duration.ofSeconds(30), new JsonObject(), Set.of(),
                    1 << 20);
            LivyBackend backend = new LivyBackend(config, "k1", null);
            try {
                Thread interrupter = new Thread(() -> {
                    while (refused.get() == 0) {   // the POST was answered; polls now meet 503
                        Thread.onSpinWait();
                    }
                    backend.interrupt();
                });
                interrupter.start();

                CellResult result = backend.runStatement("work()", "pyspark", new RecordingOutput(), true);

                String message = assertInstanceOf(CellResult.Error.class, result).evalue();
                assertFalse(message.contains("plain Python"), message);
                // Either the interrupt is seen first (the outcome is unknown) or the 503s end the cell (named as such).
                assertTrue(message.contains("has not answered since") && message.contains("unknown")
                        || message.contains("HTTP 503"), message);
            } finally {
                backend.close();
            }
        }
    }
}
