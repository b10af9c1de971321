package io.livykernel.backend.livy.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.backend.livy.rest.LivySamples;
import io.livykernel.backend.livy.rest.LivySession;
import io.livykernel.messages.Json;
import org.junit.jupiter.api.Test;

/**
 * The start line and summary of a session, on what a real Livy answered in local mode and on YARN, and on answers
 * shaped as Livy 0.9 on Kubernetes gives them (SparkKubernetesApp.scala: appId from the driver pod's
 * spark-app-selector label, appInfo with sparkUiUrl only, a "Kubernetes Diagnostics:" section per pod).
 */
class SessionViewsTest {
    private static final String ENDPOINT = "http://livy:8998";

    private static LivySession sample(String name) {
        return LivySession.fromJson(Json.parseObject(LivySamples.body(name)));
    }

    @Test
    void aLocalModeSessionIsNeverDescribedInYarnWords() {
        LivySession starting = sample("002-post-session-pyspark.json");
        LivySession idle = sample("098-get-session-idle-full.json");
        String line = SessionViews.starting(starting, ENDPOINT, 1200, null).plainText();
        String summary = SessionViews.summary(idle, ENDPOINT, "alice").plainText();
        assertFalse(line.contains("YARN") || summary.contains("YARN"), line + "\n" + summary);
        assertTrue(line.contains("application id not assigned yet"), line);
        assertTrue(summary.contains("local mode, no cluster application"), summary);
        assertFalse(SessionViews.summary(idle, ENDPOINT, "alice").data().get("text/html").getAsString().contains("YARN"));
    }

    @Test
    void aYarnSessionShowsItsApplicationAndIsNotTakenForLocalMode() {
        LivySession starting = sample("yarn/001-yarn-post-session-pyspark.json");
        LivySession withApp = sample("yarn/003-yarn-get-session-starting-appid.json");
        LivySession idle = sample("yarn/004-yarn-get-session-idle-appid.json");
        assertTrue(SessionViews.starting(starting, ENDPOINT, 500, null).plainText()
                .contains("application id not assigned yet"));
        assertTrue(SessionViews.starting(withApp, ENDPOINT, 500, null).plainText()
                .contains("application application_1795461917120_0002 on YARN"));
        String summary = SessionViews.summary(idle, ENDPOINT, "alice").plainText();
        assertTrue(summary.contains("Application: application_1795461917120_0002 on YARN"), summary);
        assertTrue(summary.contains("Spark UI: http://"), summary);   // YARN's proxy address, as Livy gives it
        assertTrue(summary.contains("(yarn-pyspark)"), summary);   // the name Livy reports
        assertFalse(SessionViews.isLocalMode(idle) || SessionViews.isLocalMode(starting));
    }

    private static final String K8S_APP = "spark-4c9b2a7e6f1d4e0a9b3c5d7e8f901234";

    private static LivySession kubernetes(String state, String appId, String ui, String... log) {
        return LivySession.fromJson(Json.parseObject("{\"id\": 7, \"name\": \"nb\", \"state\": \"" + state
                + "\", \"kind\": \"pyspark\", \"appId\": " + (appId == null ? "null" : "\"" + appId + "\"")
                + ", \"appInfo\": {\"driverLogUrl\": null, \"sparkUiUrl\": " + (ui == null ? "null" : "\"" + ui + "\"")
                + ", \"executorLogUrls\": null}, \"log\": " + Json.gson().toJson(log) + "}"));
    }

    @Test
    void aKubernetesSessionShowsItsApplicationDriverPodAndUiInNeutralWords() {
        LivySession starting = kubernetes("starting", null, null, "stdout: ", "\nstderr: ");
        LivySession idle = kubernetes("idle", K8S_APP, "http://spark-ui.example/" + K8S_APP, "stdout: ",
                "\nstderr: ", "\nKubernetes Diagnostics: ", "nb-7-driver.spark-jobs:", "\tnode: worker-2",
                "\tphase: Running", "nb-7-exec-1.spark-jobs:", "\tphase: Running");
        String line = SessionViews.starting(starting, ENDPOINT, 900, null).plainText();
        assertTrue(line.contains("application id not assigned yet"), line);
        assertEquals("application " + K8S_APP + " on Kubernetes", SessionViews.application(idle));
        String summary = SessionViews.summary(idle, ENDPOINT, "alice").plainText();
        assertTrue(summary.contains("Application: " + K8S_APP + " on Kubernetes, driver pod nb-7-driver (namespace"
                + " spark-jobs)"), summary);
        assertTrue(summary.contains("Spark UI: http://spark-ui.example/" + K8S_APP), summary);
        assertTrue(summary.contains("driver log: -"), summary);
        assertFalse(summary.contains("YARN") || summary.contains("local mode"), summary);
    }

    @Test
    void aKubernetesSessionWhoseLogDoesNotReachTheDriverIsStillOnKubernetes() {
        LivySession idle = kubernetes("idle", null, null, "\tphase: Running", "\nKubernetes Diagnostics: ");
        assertFalse(SessionViews.isLocalMode(idle));
        assertEquals(SparkCluster.KUBERNETES, SparkCluster.of(kubernetes("idle", K8S_APP, null)));
    }
}
