package io.livykernel.backend.livy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.livykernel.backend.livy.rest.LivySession;
import io.livykernel.http.HttpSettings;
import io.livykernel.http.HttpStack;
import io.livykernel.messages.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The running Spark jobs of a statement's job group, from a Spark UI REST API on loopback. */
class SparkJobsProbeTest {
    private static final HttpStack HTTP = HttpStack.of(HttpSettings.DEFAULT);
    private static final String APP = "application_1795461917120_0002";
    private static final String JOBS = "[{\"jobId\": 3, \"jobGroup\": \"12\", \"status\": \"RUNNING\", \"numTasks\": 400,"
            + " \"numCompletedTasks\": 120, \"numActiveStages\": 1, \"numFailedTasks\": 0},"
            + " {\"jobId\": 2, \"jobGroup\": \"11\", \"status\": \"RUNNING\", \"numTasks\": 8, \"numCompletedTasks\": 1,"
            + " \"numActiveStages\": 1, \"numFailedTasks\": 0}]";

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(int status, String body, AtomicInteger calls) throws IOException {
        return serve(exchange -> {
            calls.incrementAndGet();
            answer(exchange, status, body);
        });
    }

    private String serve(HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/proxy/" + APP + "/api/v1/applications/" + APP + "/jobs", handler);
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/proxy/" + APP + "/";
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitCalls(AtomicInteger calls, int n) throws InterruptedException {
        for (int i = 0; i < 500 && calls.get() < n; i++) {
            Thread.sleep(10);
        }
    }

    private static LivySession session(String sparkUiUrl) {
        JsonObject o = Json.parseObject("{\"id\": 0, \"appId\": \"" + APP + "\", \"state\": \"busy\", \"kind\": \"pyspark\"}");
        JsonObject appInfo = new JsonObject();
        appInfo.addProperty("sparkUiUrl", sparkUiUrl);
        o.add("appInfo", appInfo);
        return LivySession.fromJson(o);
    }

    private static String awaitLatest(SparkJobsProbe probe, String group) throws InterruptedException {
        for (int i = 0; i < 500; i++) {   // up to 10 s: the slow proxy's first answer takes 2.5 s
            probe.refresh(group);
            if (probe.latest() != null) {
                return probe.latest();
            }
            Thread.sleep(20);
        }
        return null;
    }

    @Test
    void describesTheRunningJobsOfTheStatementsGroup() throws Exception {
        try (SparkJobsProbe probe = SparkJobsProbe.forSession(session(serve(200, JOBS, new AtomicInteger())), HTTP)) {
            assertEquals("Spark job 3: 120/400 tasks, 1 stage(s) running", awaitLatest(probe, "12"));
        }
    }

    @Test
    void aProxyThatTakesSecondsToAnswerItsFirstRequestStillGetsTheJobsShown() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String url = serve(exchange -> {
            if (calls.incrementAndGet() == 1) {
                pause(2500);   // the YARN proxy's cold first answer (1.85 s on a real cluster)
            }
            answer(exchange, 200, JOBS);
        });
        try (SparkJobsProbe probe = SparkJobsProbe.forSession(session(url), HTTP)) {
            assertEquals("Spark job 3: 120/400 tasks, 1 stage(s) running", awaitLatest(probe, "12"));
        }
    }

    @Test
    void aFailureIsAskedAgainAfterAPauseInsteadOfSwitchingTheProbeOff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String url = serve(exchange -> answer(exchange, calls.incrementAndGet() == 1 ? 500 : 200,
                calls.get() == 1 ? "oops" : JOBS));
        AtomicLong now = new AtomicLong(1_000_000);
        try (SparkJobsProbe probe = new SparkJobsProbe(url, HTTP, "applications/" + APP + "/jobs?status=running",
                now::get)) {
            probe.refresh("12");
            awaitCalls(calls, 1);
            for (int i = 0; i < 20; i++) {   // the pause is not over: the UI is left alone
                probe.refresh("12");
                Thread.sleep(10);
            }
            assertEquals(1, calls.get(), "asked again before the pause ended");
            assertNull(probe.latest());
            String shown = null;
            for (int i = 0; i < 500 && shown == null; i++) {   // the pause ends (again, if the failure came late)
                now.addAndGet(SparkJobsProbe.FIRST_BACKOFF_MILLIS);
                probe.refresh("12");
                Thread.sleep(20);
                shown = probe.latest();
            }
            assertEquals("Spark job 3: 120/400 tasks, 1 stage(s) running", shown);
        }
    }

    @Test
    void noUiAddressMeansNoProbe() {
        assertNull(SparkJobsProbe.forSession(session(null), HTTP));
    }

    @Test
    void otherGroupsAndFinishedJobsAreNotShown() {
        JsonArray jobs = Json.gson().fromJson(JOBS, JsonArray.class);
        assertNull(SparkJobsProbe.describe(jobs, "99"));
        assertEquals("Spark job 2: 1/8 tasks, 1 stage(s) running", SparkJobsProbe.describe(jobs, "11"));
    }
}
