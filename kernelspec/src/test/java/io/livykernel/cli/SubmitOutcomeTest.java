package io.livykernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit} when Livy's answer to POST /batches is not a clean yes or no (issue 11 item 7): found by its
 * name when it was created, exit code 6 ("unknown, do not retry blindly") when that cannot be checked, never
 * exit 2 ("nothing was submitted") for a batch that may run.
 */
class SubmitOutcomeTest {
    private HttpServer livy;
    private final List<String> posted = new CopyOnWriteArrayList<>();
    private volatile int postStatus = 201;
    private volatile int listStatusAfterPost = 200;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        livy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        livy.createContext("/batches", this::handle);
        livy.start();
    }

    @AfterEach
    void stop() {
        livy.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (exchange.getRequestMethod().equals("POST")) {
            posted.add(JsonParser.parseString(body).getAsJsonObject().get("name").getAsString());
            reply(exchange, postStatus, postStatus == 201 ? batch(posted.size() - 1)
                    : "\"java.lang.IllegalStateException: lost on the way back\"");
        } else if (!posted.isEmpty() && listStatusAfterPost != 200) {
            reply(exchange, listStatusAfterPost, "{\"msg\":\"not allowed\"}");
        } else {
            StringBuilder all = new StringBuilder();
            for (int id = 0; id < posted.size(); id++) {
                all.append(id == 0 ? "" : ",").append(batch(id));
            }
            reply(exchange, 200, "{\"from\":0,\"total\":" + posted.size() + ",\"sessions\":[" + all + "]}");
        }
    }

    private String batch(int id) {
        return "{\"id\":" + id + ",\"name\":\"" + posted.get(id) + "\",\"state\":\"starting\"}";
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private int submit() throws IOException {
        Path entry = Files.writeString(tmp.resolve("pi.py"), "print(1)\n");
        String url = "http://127.0.0.1:" + livy.getAddress().getPort();
        return Main.standard().run(new String[] {"submit", "--livy-url", url, "--no-wait", entry.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aBatchLivyCreatedBeforeAnErrorAnswerIsFoundByItsNameAndNotSentAgain() throws Exception {
        postStatus = 500;

        assertEquals(0, submit(), err.toString(StandardCharsets.UTF_8));

        assertEquals(1, posted.size());
        assertTrue(posted.get(0).startsWith("pi-"), "a unique name, the receipt of the POST: " + posted);
        assertEquals("0", out.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void whenLivyCannotBeAskedTheExitCodeSaysUnknownNotNothingSubmitted() throws Exception {
        postStatus = 500;
        listStatusAfterPost = 403;

        int exit = submit();

        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(6, exit, said);
        assertTrue(said.contains("Do not submit it again blindly") && said.contains(posted.get(0)), said);
        assertEquals(1, posted.size());
    }
}
