package io.livykernel.batch;

import static io.livykernel.batch.LoopbackReplies.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.livykernel.backend.livy.rest.CreateBatchRequest;
import io.livykernel.config.KernelConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch service inside the JVM: one request for both routes, built from the configuration and the
 * options, and the kill-or-detach decision after Ctrl-C, against a loopback Livy whose batch keeps running.
 */
class BatchServiceTest {
    private HttpServer livy;
    /** "METHOD path" of every request, in order. */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> posted = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    /** Whether batch 0 has ended on YARN (success, application_1_0001 behind this server's YARN proxy). */
    private volatile boolean ended;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        livy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        livy.createContext("/batches", this::handle);
        // the same server as YARN's ResourceManager, which also serves the application's proxy address
        livy.createContext("/ws/v1/cluster/apps/application_1_0001", exchange -> reply(exchange, 200, "{\"app\":"
                + " {\"id\": \"application_1_0001\", \"state\": \"FINISHED\", \"finalStatus\": \"SUCCEEDED\","
                + " \"queue\": \"etl\", \"elapsedTime\": 61000, \"memorySeconds\": 7372800, \"vcoreSeconds\":"
                + " 3600}}"));
        livy.start();
    }

    @AfterEach
    void stop() {
        livy.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(method + " " + path);
        if (method.equals("POST")) {
            posted.add(body);
            reply(exchange, 201, batch(0, JsonParser.parseString(body).getAsJsonObject().get("name").getAsString()));
        } else if (method.equals("DELETE")) {
            reply(exchange, 200, "{\"msg\":\"deleted\"}");
        } else if (path.endsWith("/log")) {
            reply(exchange, 200, "{\"id\":0,\"from\":0,\"total\":0,\"log\":[]}");
        } else if (path.equals("/batches/0") && ended) {
            reply(exchange, 200, "{\"id\":0,\"name\":\"job\",\"state\":\"success\",\"appId\":\"application_1_0001\","
                    + "\"appInfo\":{\"sparkUiUrl\":\"http://127.0.0.1:" + livy.getAddress().getPort()
                    + "/proxy/application_1_0001/\"}}");
        } else if (path.equals("/batches/0")) {
            reply(exchange, 200, batch(0, "job"));
        } else {
            reply(exchange, 200, "{\"from\":0,\"total\":0,\"sessions\":[]}");
        }
    }

    private static String batch(int id, String name) {
        return "{\"id\":" + id + ",\"name\":\"" + name + "\",\"state\":\"running\",\"appId\":null,\"appInfo\":{}}";
    }

    /** A terminal where Ctrl-C was already pressed when following starts, answering {@code answer}. */
    private record PressedCtrlC(String answer, List<String> asked) implements BatchTerminal {
        PressedCtrlC(String answer) {
            this(answer, new ArrayList<>());
        }

        @Override
        public void onInterrupt(Runnable action) {
            action.run();
        }

        @Override
        public String ask(String question) {
            asked.add(question);
            return answer;
        }
    }

    /** The magics' rules stand-in: accepts a JSON object as it is, masks nothing. */
    private static final ConfigureRules PLAIN_RULES = new ConfigureRules() {
        @Override
        public JsonObject parse(String body, Set<String> lockedKeys) throws BatchSubmissionException {
            if (body.contains("forbidden")) {
                throw new BatchSubmissionException("'forbidden' is not a setting\nsee %%help");
            }
            return JsonParser.parseString(body).getAsJsonObject();
        }

        @Override
        public JsonObject redacted(JsonObject request) {
            return request;
        }
    };

    private BatchService service(BatchTerminal terminal) throws Exception {
        Path config = Files.writeString(tmp.resolve("config.json"), "{\"livy\": {\"url\": \"http://127.0.0.1:"
                + livy.getAddress().getPort() + "\", \"session\": {\"defaults\": {\"queue\": \"etl\","
                + " \"executorMemory\": \"2g\"}}}}");
        BatchSettings settings = BatchSettings.from(KernelConfig.load(Map.of(KernelConfig.CONFIG_ENV, config.toString())));
        return new BatchService(settings, PLAIN_RULES, terminal, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Duration.ofMillis(10));
    }

    private SubmitSpec entry(String driverMemory, boolean noWait) throws IOException {
        Path file = Files.writeString(tmp.resolve("main.py"), "print(1)\n");
        return new SubmitSpec(file.toString(), null, null, List.of("--day", "1"), Map.of("spark.x", "y"), null,
                tmp.resolve("staging").toString(), null, driverMemory, null, null, null, null, null, null, null,
                noWait, false);
    }

    private String said() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void ctrlCWhileFollowingAndAnsweringKillDeletesTheBatch() throws Exception {
        PressedCtrlC terminal = new PressedCtrlC("k");
        BatchService service = service(terminal);

        int exit = service.submit(entry(null, false), service.livyRoute());

        assertEquals(BatchExitCode.KILLED.code(), exit, said());
        assertEquals(1, requests.stream().filter("DELETE /batches/0"::equals).count(), requests.toString());
        assertTrue(terminal.asked().get(0).contains("batch 0 is still running"), terminal.asked().toString());
        assertTrue(said().contains("batch 0 killed"), said());
    }

    @Test
    void ctrlCWithNoTerminalToAskDetachesAndLeavesTheBatchRunning() throws Exception {
        BatchService service = service(new PressedCtrlC(null));

        int exit = service.submit(entry(null, false), service.livyRoute());

        assertEquals(BatchExitCode.NOT_FINISHED.code(), exit, said());
        assertTrue(requests.stream().noneMatch(r -> r.startsWith("DELETE")), requests.toString());
        assertEquals("0", out.toString(StandardCharsets.UTF_8).strip(), "the id to follow it later");
        assertTrue(said().contains("no terminal to ask whether to kill: detaching"), said());
    }

    @Test
    void anyOtherAnswerDetaches() throws Exception {
        BatchService service = service(new PressedCtrlC("d"));

        assertEquals(BatchExitCode.NOT_FINISHED.code(), service.submit(entry(null, false), service.livyRoute()));

        assertTrue(requests.stream().noneMatch(r -> r.startsWith("DELETE")), requests.toString());
        assertTrue(said().contains("detached from batch 0; it keeps running"), said());
    }

    @Test
    void theLivyRouteSendsTheConfiguredDefaultsUnderTheOptionsOnceWithAName() throws Exception {
        BatchService service = service(new PressedCtrlC(null));

        assertEquals(0, service.submit(entry("4g", true), service.livyRoute()), said());

        assertEquals(1, posted.size());
        JsonObject sent = JsonParser.parseString(posted.get(0)).getAsJsonObject();
        assertEquals("etl", sent.get("queue").getAsString(), "livy.session.defaults apply to batches");
        assertEquals("2g", sent.get("executorMemory").getAsString());
        assertEquals("4g", sent.get("driverMemory").getAsString());
        assertTrue(sent.get("name").getAsString().startsWith("main-"), sent.toString());
        assertEquals("0", out.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void theSparkSubmitRouteLaunchesTheSameRequestAndSendsNothingToLivy() throws Exception {
        BatchService service = service(new PressedCtrlC(null));
        List<SparkSubmitCommandLine> launched = new ArrayList<>();

        int exit = service.submit(entry("4g", true), service.sparkSubmitRoute(tmp, null, null,
                (command, noWait, timeout) -> {
                    launched.add(command);
                    return BatchExitCode.SUCCESS.code();
                }));

        assertEquals(0, exit, said());
        SparkSubmitCommandLine command = launched.get(0);
        assertEquals("yarn", command.value("--master"));
        assertEquals("cluster", command.value("--deploy-mode"));
        assertEquals("etl", command.value("--queue"));
        assertEquals("4g", command.value("--driver-memory"));
        assertEquals(List.of("--day", "1"), command.appArgs());
        assertTrue(command.words().contains("spark.yarn.submit.waitAppCompletion=false"),
                "--no-wait: spark-submit returns once YARN has the application: " + command.words());
        assertTrue(requests.isEmpty(), requests.toString());
    }

    @Test
    void aNotebookConfigureTheMagicWouldRefuseStopsTheSubmissionBeforeAnythingIsSent() throws Exception {
        Path notebook = Files.writeString(tmp.resolve("nb.ipynb"), "{\"nbformat\": 4, \"nbformat_minor\": 5,"
                + " \"metadata\": {}, \"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [],"
                + " \"source\": \"%%configure\\n{\\\"forbidden\\\": 1}\"}, {\"cell_type\": \"code\", \"metadata\": {},"
                + " \"outputs\": [], \"source\": \"print(1)\"}]}");
        SubmitSpec spec = new SubmitSpec(null, notebook, null, List.of(), Map.of(), null, tmp.resolve("staging").toString(),
                null, null, null, null, null, null, null, null, null, false, false);
        BatchService service = service(new PressedCtrlC(null));
        List<CreateBatchRequest> routed = new ArrayList<>();

        BatchSubmissionException refused = assertThrows(BatchSubmissionException.class,
                () -> service.submit(spec, (request, s) -> {
                    routed.add(request);
                    return 0;
                }));

        assertEquals("the notebook's %%configure: 'forbidden' is not a setting see %%help", refused.getMessage());
        assertTrue(routed.isEmpty() && requests.isEmpty());
    }

    @Test
    void logsFollowStoppedByCtrlCLeavesTheBatchRunning() throws Exception {
        BatchService service = service(new PressedCtrlC("k"));

        assertEquals(BatchExitCode.NOT_FINISHED.code(), service.logs("0", true));

        assertTrue(said().contains("stopped following batch 0; it keeps running"), said());
        assertTrue(requests.stream().noneMatch(r -> r.startsWith("DELETE")), requests.toString());
    }

    @Test
    void statusIsLivysAnswerForTheBatch() throws Exception {
        assertEquals("running", service(new PressedCtrlC(null)).status("0").rawState());
        assertEquals("GET /batches/0", requests.get(0));
    }

    @Test
    void aBatchThatEndsIsFollowedByWhatItUsedFromTheResourceManager() throws Exception {
        ended = true;
        BatchService service = service(new PressedCtrlC(null));   // it has ended before Ctrl-C is looked at
        int exit = service.submit(entry("4g", false), service.livyRoute());

        assertEquals(0, exit, said());
        assertTrue(said().contains("batch 0 ended: exit code 0 (success)\nResources used (from the YARN ResourceManager"
                + " at http://127.0.0.1:" + livy.getAddress().getPort() + "): application_1_0001: 2.000 GB-hours,"
                + " 1.000 vcore-hours in total; queue etl; ran for 61 s"), said());
    }

    @Test
    void aBatchWithoutAYarnApplicationSaysWhyItsUsageIsNotKnown() throws Exception {
        BatchService service = service(new PressedCtrlC(null));
        assertEquals("Resources used: not available (no cluster application: Spark runs in local mode here, or the"
                + " cluster has not assigned one yet)", service.usage(service.status("0").appId(), null).line());
    }
}
