package io.livykernel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import io.livykernel.http.HttpSettings;
import io.livykernel.http.HttpStack;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an application has used: the ResourceManager's figures (configured, or behind the YARN proxy address),
 * else what Spark's executors API says it holds, else why not; each says where it came from, none shows 0.
 */
class UsageReaderTest {
    private static final String APP = "application_1733300000000_0007";
    /** A port nothing listens on (the discard port, closed on test machines). */
    private static final URI NOWHERE = URI.create("http://127.0.0.1:9");
    private HttpServer yarn;
    private volatile boolean resourceManagerAnswers = true;
    private String proxy;
    private final HttpStack http = HttpStack.of(HttpSettings.DEFAULT);

    @BeforeEach
    void start() throws IOException {
        // one server as YARN's: the ResourceManager's REST API and the proxy to the application's Spark UI
        yarn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        yarn.createContext("/ws/v1/cluster/apps/", exchange -> {
            if (!resourceManagerAnswers) {
                answer(exchange, 503, "{}");
            } else if (exchange.getRequestURI().getPath().endsWith(APP)) {
                try (InputStream in = UsageReaderTest.class.getResourceAsStream("rm-app-running.json")) {
                    answer(exchange, 200, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            } else {
                answer(exchange, 404, "{\"RemoteException\": {\"message\": \"not found\"}}");
            }
        });
        yarn.createContext("/proxy/" + APP + "/api/v1/applications/" + APP + "/executors", exchange -> answer(exchange,
                200, "[{\"id\": \"driver\", \"isActive\": true, \"totalCores\": 0},"
                        + " {\"id\": \"1\", \"isActive\": true, \"totalCores\": 4},"
                        + " {\"id\": \"2\", \"isActive\": true, \"totalCores\": 4},"
                        + " {\"id\": \"3\", \"isActive\": false, \"totalCores\": 4}]"));
        yarn.createContext("/proxy/" + APP + "/api/v1/applications/" + APP + "/environment", exchange -> answer(exchange,
                200, "{\"sparkProperties\": [[\"spark.executor.memory\", \"4g\"], [\"spark.app.name\", \"etl\"]]}"));
        yarn.start();
        proxy = base() + "/proxy/" + APP + "/";
    }

    private String base() {
        return "http://127.0.0.1:" + yarn.getAddress().getPort();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterEach
    void stop() {
        yarn.stop(0);
    }

    @Test
    void theResourceManagerBehindTheProxyAddressGivesTheFiguresAndIsNamed() throws Exception {
        String line = new UsageReader(http, null).read(APP, proxy).line();
        assertEquals("Resources used (from the YARN ResourceManager at " + base() + "): " + APP + ": 15.000 GB-hours,"
                + " 5.750 vcore-hours so far; holding 13312 MB and 5 vcores in 3 containers (the application master and 2"
                + " executors) now; queue root.notebooks; running for"
                + " 5400 s", line);
    }

    @Test
    void theConfiguredResourceManagerIsReadWhenTheUiIsNotBehindYarnsProxy() throws Exception {
        ResourceUsage usage = new UsageReader(http, URI.create(base())).read(APP, "http://driver:4040/");
        assertEquals(15.0, usage.accounted().gbHours(), 1e-9);
        assertTrue(usage.line().startsWith("Resources used (from the YARN ResourceManager at " + base() + "):"));
    }

    @Test
    void anUnreachableResourceManagerFallsBackToSparksExecutorsAndSaysSo() throws Exception {
        ResourceUsage usage = new UsageReader(http, NOWHERE).read(APP, proxy);
        assertEquals("Resources held now (from Spark's executors API at " + proxy + "api/v1/; GB-hours and"
                + " vcore-hours not available: the ResourceManager at http://127.0.0.1:9 cannot be reached ("
                + usage.unavailableBecause().split("\\(", 2)[1] + "): " + APP + ": 2 executors, 8 cores, 4g of"
                + " executor memory each", usage.line());
        JsonObject json = usage.toJson();
        assertEquals("sparkExecutors", json.get("source").getAsString());
        assertEquals(2, json.get("executors").getAsInt());
        assertFalse(json.has("gbHours"), "not known, so not written (never as 0): " + json);
    }

    @Test
    void aResourceManagerThatCannotTellAlsoFallsBackToTheExecutors() throws Exception {
        resourceManagerAnswers = false;
        String line = new UsageReader(http, null).read(APP, proxy).line();
        assertTrue(line.contains("the ResourceManager at " + base() + " answered HTTP 503") && line.endsWith(
                "2 executors, 8 cores, 4g of executor memory each"), line);
    }

    @Test
    void withNeitherSourceTheLineSaysWhyAndShowsNoFigure() throws Exception {
        String other = "application_1733300000000_0099";
        ResourceUsage usage = new UsageReader(http, null).read(other, proxy.replace(APP, other));
        String line = usage.line();
        assertTrue(line.startsWith("Resources used: not available (the ResourceManager at " + base()
                + " answered HTTP 404; Spark's executors API at "), line);
        assertFalse(line.matches(".*\\b0(\\.0+)? (GB|vcore|executor).*"), line);
        assertEquals("none", usage.toJson().get("source").getAsString());
    }

    @Test
    void withoutAnAddressItSaysWhichSettingGivesOne() throws Exception {
        String line = new UsageReader(http, null).read(APP, null).line();
        assertEquals("Resources used: not available (no ResourceManager address (set yarn.resourceManagerUrl in the"
                + " configuration); no Spark UI address to ask the executors)", line);
    }

    @Test
    void localModeSaysThereIsNoClusterApplication() throws Exception {
        assertTrue(new UsageReader(http, null).read("local-1796404865396", null).line()
                .startsWith("Resources used: not available (no cluster application: Spark runs in local mode here"));
        assertTrue(new UsageReader(http, null).read(null, null).line().contains("no cluster application"));
    }

    @Test
    void aKubernetesApplicationIsNeitherLocalNorAskedOfAResourceManager() throws Exception {
        String line = new UsageReader(http, null).read("spark-4c9b2a7e6f1d4e0a9b3c5d7e8f901234", null).line();
        assertTrue(line.contains("application spark-4c9b2a7e6f1d4e0a9b3c5d7e8f901234 runs on Kubernetes, which has"
                + " no ResourceManager"), line);
        assertFalse(line.contains("local mode"), line);
    }
}
