package io.livykernel.backend.livy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.api.Cell;
import io.livykernel.api.CellResult;
import io.livykernel.backend.livy.rest.FakeLivy;
import io.livykernel.config.KernelConfig;
import io.livykernel.messages.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first cell's POST /sessions leaves at once: the kernel's warm-up (after its first kernel_info_reply)
 * has drawn the session's name, built the request and opened the connection to Livy, so nothing slow stands
 * between the cell and the POST.
 */
class SessionStartLatencyTest {
    @TempDir
    Path dir;

    @Test
    void theWarmUpReadiesTheStartSoThePostIsTheFirstThingTheCellDoes() throws Exception {
        try (FakeLivy livy = new FakeLivy()) {
            livy.handle((request, exchange) -> {
                String path = request.path();
                if (path.equals("/version")) {
                    FakeLivy.reply(exchange, 200, "{\"version\": \"0.10.0-incubating-SNAPSHOT\"}");
                } else if (request.method().equals("POST") && path.equals("/sessions")) {
                    String name = Json.parseObject(request.bodyText()).get("name").getAsString();
                    FakeLivy.reply(exchange, 201, session(name, "idle"));
                } else if (request.method().equals("POST") && path.equals("/sessions/0/statements")) {
                    FakeLivy.reply(exchange, 201, "{\"id\": 0, \"code\": \"x = 1\", \"state\": \"available\","
                            + " \"output\": {\"status\": \"ok\", \"execution_count\": 0, \"data\": {\"text/plain\": \"\"}},"
                            + " \"progress\": 1.0}");
                } else {
                    FakeLivy.reply(exchange, 404, "{\"msg\": \"not in this test\"}");
                }
            });
            Path file = dir.resolve("config.json");
            Files.writeString(file, "{\"livy\": {\"url\": \"" + livy.url() + "\"}}");
            LivyBackendConfig config = LivyBackendConfig.from(KernelConfig.load(Map.of(KernelConfig.CONFIG_ENV,
                    file.toString())));
            LivyBackend backend = new LivyBackend(config, "k1", "alice");
            try {
                backend.warmUp();
                assertEquals(1, livy.count("GET", "/version"), "the warm-up did not open the connection to Livy");
                String previewed = backend.sessions().effectiveRequest().get("name").getAsString();
                int before = livy.requests().size();

                CellResult result = backend.execute(new Cell("x = 1", false, true, true, 1, Map.of()),
                        new RecordingOutput());

                assertInstanceOf(CellResult.Ok.class, result);
                List<FakeLivy.Request> cells = livy.requests().subList(before, livy.requests().size());
                assertEquals("POST /sessions", cells.get(0).method() + " " + cells.get(0).path(),
                        "the cell did something else before starting the session");
                assertEquals(previewed, Json.parseObject(cells.get(0).bodyText()).get("name").getAsString());
                assertTrue(cells.size() <= 2, "only the POST of the session and of the statement: " + cells.size());
            } finally {
                backend.close();
            }
        }
    }

    private static String session(String name, String state) {
        return "{\"id\": 0, \"name\": \"" + name + "\", \"appId\": null, \"owner\": null, \"proxyUser\": \"alice\","
                + " \"state\": \"" + state + "\", \"kind\": \"pyspark\", \"appInfo\": {}, \"log\": []}";
    }
}
