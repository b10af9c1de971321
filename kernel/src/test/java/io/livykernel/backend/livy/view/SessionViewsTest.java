package io.livykernel.backend.livy.view;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.backend.livy.rest.LivySamples;
import io.livykernel.backend.livy.rest.LivySession;
import io.livykernel.messages.Json;
import org.junit.jupiter.api.Test;

/** The start line and summary of a session, on what a real Livy answered in local mode and on YARN. */
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
                .contains("YARN application application_1795461917120_0002"));
        String summary = SessionViews.summary(idle, ENDPOINT, "alice").plainText();
        assertTrue(summary.contains("YARN application: application_1795461917120_0002"), summary);
        assertTrue(summary.contains("(yarn-pyspark)"), summary);   // the name Livy reports
        assertFalse(SessionViews.isLocalMode(idle) || SessionViews.isLocalMode(starting));
    }
}
