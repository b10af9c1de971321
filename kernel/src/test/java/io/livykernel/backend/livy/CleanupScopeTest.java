package io.livykernel.backend.livy;

import static io.livykernel.backend.livy.rest.FakeLivy.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.livykernel.backend.livy.rest.FakeLivy;
import io.livykernel.backend.livy.rest.LivySettings;
import io.livykernel.extension.SessionSummary;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** %%cleanup and %%info's "your sessions": never another user's session unless every user is asked for. */
class CleanupScopeTest {
    private static final String OS_USER = System.getProperty("user.name");

    private FakeLivy livy;
    private LivyBackend backend;

    @BeforeEach
    void start() throws Exception {
        livy = new FakeLivy();
        JsonArray sessions = new JsonArray();
        sessions.add(session(1, "livy-kernel-k1-ab12", null, null));       // this kernel's
        sessions.add(session(2, "someone", null, "not-" + OS_USER));          // proxyUser another user (root, ...)
        sessions.add(session(3, "os-user-owned", OS_USER, null));            // owned by the OS user
        sessions.add(session(4, "os-user-proxied", "svc", OS_USER));         // runs as the OS user
        sessions.add(session(5, "bobs", "bob", null));                       // another user's
        sessions.add(session(6, "livy-kernel-k2-cd34", null, null));         // another kernel's, anonymous
        JsonObject list = new JsonObject();
        list.addProperty("from", 0);
        list.addProperty("total", sessions.size());
        list.add("sessions", sessions);
        livy.handle((request, exchange) -> reply(exchange, 200, request.method().equals("GET") ? list.toString()
                : "{\"msg\": \"deleted\"}"));
        LivyBackendConfig config = new LivyBackendConfig(LivySettings.builder(livy.url().toString()).build(),
                "pyspark", Duration.ofSeconds(5), false, 120, Duration.ofSeconds(30), new JsonObject(), Set.of(), 1 << 20);
        backend = new LivyBackend(config, "k1", null); // no JUPYTERHUB_USER
    }

    @AfterEach
    void stop() {
        backend.close();
        livy.close();
    }

    @Test
    void withoutAHubUserOnlyThisKernelsAndTheOsUsersSessionsAreDeleted() throws Exception {
        List<String> deleted = backend.sessions().deleteAll(false);

        assertEquals(List.of("1", "3", "4"), deleted);
        assertEquals(List.of("/sessions/1", "/sessions/3", "/sessions/4"), deletes());
    }

    @Test
    void infoListsTheSameSessionsAsYours() throws Exception {
        assertEquals(List.of("1", "3", "4"), backend.sessions().userSessions().stream().map(SessionSummary::id).toList());
    }

    @Test
    void everyUsersSessionsOnlyWhenAskedFor() throws Exception {
        assertEquals(List.of("1", "2", "3", "4", "5", "6"), backend.sessions().deleteAll(true));
    }

    private List<String> deletes() {
        return livy.requests().stream().filter(r -> r.method().equals("DELETE")).map(FakeLivy.Request::path).toList();
    }

    private static JsonObject session(int id, String name, String owner, String proxyUser) {
        JsonObject s = new JsonObject();
        s.addProperty("id", id);
        s.addProperty("name", name);
        s.addProperty("owner", owner);
        s.addProperty("proxyUser", proxyUser);
        s.addProperty("state", "idle");
        s.addProperty("kind", "pyspark");
        return s;
    }
}
