package io.livykernel.backend.livy.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livykernel.http.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Requests serialise the way Livy reads them; answers from other Livy versions do not break parsing. */
class LivyValuesTest {

    @Test
    void unknownStatesKeepTheirText() {
        assertEquals(SessionState.SHUTTING_DOWN, SessionState.fromWire("shutting_down"));
        assertEquals(SessionState.UNKNOWN, SessionState.fromWire("hibernating"));
        assertEquals(SessionState.UNKNOWN, SessionState.fromWire(null));
        assertFalse(SessionState.UNKNOWN.isFinished());

        LivySession s = LivySession.fromJson(JsonFields.parseObject("{\"id\":4,\"state\":\"hibernating\"}"));
        assertEquals(SessionState.UNKNOWN, s.state());
        assertEquals("hibernating", s.rawState());

        LivyStatement st = LivyStatement.fromJson(JsonFields.parseObject("{\"id\":1,\"state\":\"paused\"}"));
        assertEquals(StatementState.UNKNOWN, st.state());
        assertEquals("paused", st.rawState());
        assertFalse(st.state().isFinished());
        assertTrue(StatementState.fromWire("error").isFinished(), "the documented 'error' state ends polling");
        assertTrue(StatementState.fromWire("canceled").isFinished(), "Lighter's spelling ends a statement too");
        assertEquals(StatementState.CANCELLED, StatementState.fromWire("canceled"));
    }

    @Test
    void nullsMissingFieldsAndWrongTypesReadAsDefaults() {
        LivySession s = LivySession.fromJson(JsonFields.parseObject("{\"id\":null,\"state\":null,\"appInfo\":null,"
                + "\"log\":[\"a\",null,\"b\"],\"conf\":{\"k\":1,\"gone\":null},\"driverCores\":\"many\",\"jars\":null,"
                + "\"futureField\":{\"x\":[1]}}"));
        assertNull(s.id(), "no id is no id, not a number standing for none");
        assertEquals(SessionState.UNKNOWN, s.state());
        assertEquals(new AppInfo(null, null, null), s.appInfo());
        assertEquals(List.of("a", "b"), s.log());
        assertEquals(Map.of("k", "1"), s.conf());
        assertNull(s.driverCores());
        assertEquals(List.of(), s.jars());

        LivyStatement st = LivyStatement.fromJson(JsonFields.parseObject(
                "{\"id\":2,\"code\":\"x\",\"state\":\"available\",\"output\":{\"status\":\"ok\",\"data\":null},"
                        + "\"progress\":null}"));
        assertEquals(0.0, st.progress());
        assertEquals(Map.of(), st.output().data());
        assertNull(st.output().executionCount());
        assertEquals(0L, st.started());
    }

    @Test
    void createSessionRequestUsesLivysFieldNamesAndOmitsUnsetOnes() {
        assertEquals("{\"kind\":\"pyspark\"}", CreateSessionRequest.builder().kind("pyspark").build().toJson());

        CreateSessionRequest full = CreateSessionRequest.builder().kind("pyspark").proxyUser("alice")
                .jars(List.of("a.jar")).pyFiles(List.of("b.py")).files(List.of("c.txt"))
                .archives(List.of("env.tgz#env"))
                .driverMemory("2g").driverCores(2).executorMemory("4g").executorCores(3).numExecutors(5).queue("q")
                .name("kernel-1").conf(Map.of("spark.x", "1")).heartbeatTimeoutInSecond(60).ttl("2h")
                .idleTimeout("30m").build();
        JsonObject json = JsonParser.parseString(full.toJson()).getAsJsonObject();
        assertEquals(Set.of("kind", "proxyUser", "jars", "pyFiles", "files", "archives", "driverMemory", "driverCores",
                "executorMemory", "executorCores", "numExecutors", "queue", "name", "conf", "heartbeatTimeoutInSecond",
                "ttl", "idleTimeout"), json.keySet());
        assertEquals(5, json.get("numExecutors").getAsInt());
        assertEquals("1", json.getAsJsonObject("conf").get("spark.x").getAsString());
        assertEquals(full, full.toBuilder().build());
        assertEquals("other", full.toBuilder().name("other").build().name());
    }

    @Test
    void batchAndStatementRequests() {
        CreateBatchRequest batch = CreateBatchRequest.builder("hdfs:///jobs/app.jar").className("com.example.Main")
                .args(List.of("--day", "2024-01-01")).numExecutors(2).build();
        assertEquals(JsonParser.parseString("{\"file\":\"hdfs:///jobs/app.jar\",\"className\":\"com.example.Main\","
                + "\"args\":[\"--day\",\"2024-01-01\"],\"numExecutors\":2}"), JsonParser.parseString(batch.toJson()));
        assertEquals("{\"code\":\"1 < 2\"}", JsonFields.GSON.toJson(new StatementRequest("1 < 2", null)));
        assertThrows(NullPointerException.class, () -> new StatementRequest(null, "sql"));
    }

    @Test
    void settingsDefaultsAndRedaction() {
        LivySettings s = LivySettings.builder("https://livy.example.com:8443/gateway/").basicAuth("alice", "pw-123")
                .header("X-Token", "tok-456").trustStore(Path.of("/etc/ts.p12"), "store-789", "PKCS12").build();
        assertEquals("https://livy.example.com:8443/gateway", s.baseUrl().toString());
        assertEquals("livy-kernel", s.requestedBy());
        assertEquals(Duration.ofSeconds(10), s.connectTimeout());
        assertEquals(Duration.ofSeconds(30), s.requestTimeout());
        assertEquals(RetryPolicy.DEFAULT, s.retryPolicy());
        assertFalse(s.insecureSkipTlsVerify());
        String text = s.toString();
        for (String secret : List.of("pw-123", "tok-456", "store-789")) {
            assertFalse(text.contains(secret), text);
        }
        assertTrue(text.contains("alice") && text.contains("X-Token") && text.contains("/etc/ts.p12"), text);
    }

    @Test
    void settingsRefuseContradictionsWithoutEchoingSecrets() {
        IllegalArgumentException badUrl = assertThrows(IllegalArgumentException.class,
                () -> LivySettings.builder("ftp://u:secret-1@host/").build());
        assertFalse(badUrl.getMessage().contains("secret-1"), badUrl.getMessage());
        IllegalArgumentException unparsable = assertThrows(IllegalArgumentException.class,
                () -> LivySettings.builder("http://u:secret 2@host/"));
        assertFalse(unparsable.getMessage().contains("secret"), unparsable.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LivySettings.builder("http://h/?q=1").build());
        assertThrows(IllegalArgumentException.class,
                () -> LivySettings.builder("http://h").header("Host", "x").build());
        assertThrows(IllegalArgumentException.class, () -> LivySettings.builder("http://h").basicAuth("u", "p")
                .header("Authorization", "Bearer t").build());
        assertThrows(IllegalArgumentException.class, () -> LivySettings.builder("http://h").insecureSkipTlsVerify(true)
                .trustStore(Path.of("ts"), null, null).build());
        assertThrows(IllegalArgumentException.class, () -> LivySettings.builder("http://h")
                .requestTimeout(Duration.ZERO).build());
        // A bearer token for a gateway is fine without basic auth.
        assertEquals("Bearer t", LivySettings.builder("http://h").header("Authorization", "Bearer t").build()
                .headers().get("Authorization"));
    }

    @Test
    void retryPausesFollowTheScheduleWithinTheJitter() {
        Random random = new Random(7);
        RetryPolicy policy = RetryPolicy.DEFAULT;
        for (int i = 0; i < 100; i++) {
            long first = policy.pauseBeforeRetry(1, random).toMillis();
            assertTrue(first >= 160 && first <= 240, "first pause " + first);
            long late = policy.pauseBeforeRetry(9, random).toMillis();
            assertTrue(late >= 4000 && late <= 6000, "later pauses repeat the last one: " + late);
        }
        assertEquals(1, RetryPolicy.none().maxAttempts());
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, List.of(Duration.ZERO), 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(2, List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(2, List.of(Duration.ZERO), 1.5));
    }
}
