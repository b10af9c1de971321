package io.livykernel.backend.livy;

import static io.livykernel.backend.livy.rest.FakeLivy.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.livykernel.api.UserFacingException;
import io.livykernel.backend.livy.rest.FakeLivy;
import io.livykernel.backend.livy.rest.LivySettings;
import io.livykernel.http.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** %%configure -f reports a deleted session only when Livy deleted it; a failed DELETE changes nothing. */
class ConfigureRecreateTest {
    private FakeLivy livy;
    private LivyBackend backend;
    private final AtomicInteger deleteStatus = new AtomicInteger(200);

    @BeforeEach
    void start() throws Exception {
        livy = new FakeLivy();
        String idle = "{\"id\": 0, \"name\": \"livy-kernel-k1-ab12\", \"state\": \"idle\", \"kind\": \"pyspark\"}";
        livy.handle((request, exchange) -> {
            switch (request.method()) {
                case "POST" -> reply(exchange, 201, idle);
                case "DELETE" -> reply(exchange, deleteStatus.get(), "{\"msg\": \"" + deleteStatus.get() + "\"}");
                default -> reply(exchange, 200, request.path().equals("/sessions")
                        ? "{\"from\": 0, \"total\": 1, \"sessions\": [" + idle + "]}" : idle);
            }
        });
        LivyBackendConfig config = new LivyBackendConfig(LivySettings.builder(livy.url().toString())
                .retryPolicy(new RetryPolicy(1, List.of(Duration.ofMillis(5)), 0)).build(),
                "pyspark", Duration.ofSeconds(5), false, 120, Duration.ofSeconds(30), new JsonObject(), Set.of(), 1 << 20);
        backend = new LivyBackend(config, "k1", null);
        backend.sessions().start(new RecordingOutput());
    }

    @AfterEach
    void stop() {
        deleteStatus.set(200);
        backend.close();
        livy.close();
    }

    @Test
    void aFailedDeleteIsReportedAndTheSessionKeepsItsSettings() {
        deleteStatus.set(500);
        JsonObject newSettings = new JsonObject();
        newSettings.addProperty("executorMemory", "8g");

        UserFacingException e = assertThrows(UserFacingException.class,
                () -> backend.sessions().configure(newSettings, true));

        assertTrue(e.getMessage().contains("delete session 0, so it keeps running with the earlier settings and"
                + " nothing changed"), e.getMessage());
        assertEquals("0", backend.sessions().current().id());
        assertFalse(backend.sessions().effectiveRequest().has("executorMemory"));
    }

    @Test
    void aSuccessfulDeleteSaysSo() throws Exception {
        assertTrue(backend.sessions().configure(new JsonObject(), true));
        assertEquals(null, backend.sessions().current());
    }
}
