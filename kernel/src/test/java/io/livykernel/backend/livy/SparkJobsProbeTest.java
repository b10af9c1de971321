package io.livykernel.backend.livy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import io.livykernel.http.HttpSettings;
import io.livykernel.http.HttpStack;
import io.livykernel.messages.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
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
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/proxy/" + APP + "/api/v1/applications/" + APP + "/jobs", exchange -> {
            calls.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/proxy/" + APP + "/";
    }

    private static LivySession session(String sparkUiUrl) {
        JsonObject o = Json.parseObject("{\"id\": 0, \"appId\": \"" + APP + "\", \"state\": \"busy\", \"kind\": \"pyspark\"}");
        JsonObject appInfo = new JsonObject();
        appInfo.addProperty("sparkUiUrl", sparkUiUrl);
        o.add("appInfo", appInfo);
        return LivySession.fromJson(o);
    }

    private static String awaitLatest(SparkJobsProbe probe, int group) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
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
            assertEquals("Spark job 3: 120/400 tasks, 1 stage(s) running", awaitLatest(probe, 12));
        }
    }

    @Test
    void anUnreachableUiSwitchesItselfOff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (SparkJobsProbe probe = SparkJobsProbe.forSession(session(serve(500, "oops", calls)), HTTP)) {
            assertNull(awaitLatest(probe, 12));
            assertEquals(1, calls.get(), "after a failure the UI is not asked again");
        }
    }

    @Test
    void noUiAddressMeansNoProbe() {
        assertNull(SparkJobsProbe.forSession(session(null), HTTP));
    }

    @Test
    void otherGroupsAndFinishedJobsAreNotShown() {
        JsonArray jobs = Json.gson().fromJson(JOBS, JsonArray.class);
        assertNull(SparkJobsProbe.describe(jobs, 99));
        assertEquals("Spark job 2: 1/8 tasks, 1 stage(s) running", SparkJobsProbe.describe(jobs, 11));
    }
}
