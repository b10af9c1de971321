package io.livykernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.livykernel.api.UserFacingException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionSettingsTest {

    private static String refusal(String body, Set<String> locked) {
        return assertThrows(UserFacingException.class, () -> SessionSettings.parse(body, locked)).getMessage();
    }

    @Test
    void malformedJsonIsReportedWithLineAndColumn() {
        String message = refusal("{\n  \"executorMemory\": \"4g\"\n  \"numExecutors\": 2\n}", Set.of());
        assertTrue(message.contains("line 3 column"), message);
        assertTrue(message.contains("Nothing changed"), message);
    }

    @Test
    void textAfterTheObjectIsRefused() {
        assertTrue(refusal("{\"queue\": \"a\"} extra", Set.of()).contains("not valid JSON"));
    }

    @Test
    void everyProblemIsListedAtOnce() {
        String message = refusal("{\"executorMemory\": \"4 GB\", \"numExecutor\": 2, \"driverCores\": 1.5,"
                + " \"conf\": {\"spark.x\": {\"nested\": 1}}, \"condaEnv\": 3}", Set.of());
        assertTrue(message.contains("executorMemory must be a size"), message);
        assertTrue(message.contains("did you mean 'numExecutors'"), message);
        assertTrue(message.contains("driverCores must be a whole number"), message);
        assertTrue(message.contains("conf.spark.x must be a string"), message);
        assertTrue(message.contains("condaEnv must be the archive's URI"), message);
    }

    @Test
    void sparkMemorySizesAreAccepted() throws Exception {
        for (String size : new String[] {"512m", "4g", "4G", "2048", "1gb", "460800k", "1t"}) {
            SessionSettings.parse("{\"driverMemory\": \"" + size + "\"}", Set.of());
        }
    }

    @Test
    void memorySizesOutsideWhatAJvmCanBeGivenAreRefusedWithTheAcceptedForm() {
        for (String size : new String[] {"99999t", "2p", "100k", "4.5g", "4 g"}) {
            String message = refusal("{\"executorMemory\": \"" + size + "\"}", Set.of());
            assertTrue(message.contains("executorMemory must be a size Spark understands: a whole number with a unit"
                    + " m, g or t"), message);
            assertTrue(message.contains("from 450m (Spark's minimum) to 1t"), message);
        }
    }

    @Test
    void badJsonIsExplainedInOurWordsWithoutTheParsersAdvice() {
        for (String body : new String[] {"{'executorMemory': '4g'}", "{\"a\": 1,}", "{executorMemory: \"4g\"}",
                "{\"executorMemory\": \"4g\"", "// note\n{}"}) {
            String message = refusal(body, Set.of());
            assertTrue(message.contains("not valid JSON at line "), message);
            assertTrue(!message.contains("setStrictness") && !message.contains("JsonReader")
                    && !message.contains("path $") && !message.contains("Strictness"), message);
        }
    }

    @Test
    void lockedKeysAreRefused() {
        assertTrue(refusal("{\"proxyUser\": \"root\"}", Set.of("proxyUser")).contains("cannot be changed"));
    }

    @Test
    void condaEnvBecomesAnArchiveAndPythonForDriverAndExecutors() throws Exception {
        JsonObject settings = SessionSettings.parse("{\"archives\": [\"hdfs:///data.zip#data\"],"
                + " \"condaEnv\": {\"archive\": \"hdfs:///envs/ml.tar.gz#ml\", \"python\": \"bin/python3\"}}", Set.of());
        assertEquals("[\"hdfs:///data.zip#data\",\"hdfs:///envs/ml.tar.gz#ml\"]", settings.get("archives").toString());
        JsonObject conf = settings.getAsJsonObject("conf");
        assertEquals("./ml/bin/python3", conf.get("spark.yarn.appMasterEnv.PYSPARK_PYTHON").getAsString());
        assertEquals("./ml/bin/python3", conf.get("spark.executorEnv.PYSPARK_PYTHON").getAsString());
        assertEquals("./ml/bin/python3", conf.get("spark.pyspark.python").getAsString());
        assertTrue(!settings.has("condaEnv"));
    }

    @Test
    void secretsAreMaskedForDisplayOnly() throws Exception {
        JsonObject settings = SessionSettings.parse("{\"conf\": {\"spark.hadoop.fs.s3a.secret.key\": \"abc\","
                + " \"spark.app.name\": \"x\"}}", Set.of());
        JsonObject shown = SessionSettings.redacted(settings);
        assertEquals("***", shown.getAsJsonObject("conf").get("spark.hadoop.fs.s3a.secret.key").getAsString());
        assertEquals("x", shown.getAsJsonObject("conf").get("spark.app.name").getAsString());
        assertEquals("abc", settings.getAsJsonObject("conf").get("spark.hadoop.fs.s3a.secret.key").getAsString());
    }

    @Test
    void aMalformedIdleTimeoutIsRefusedInOneLineThatSaysWhatToWrite() {
        String message = refusal("{\"idleTimeout\": \"10 minutes\"}", Set.of());
        assertEquals("%%configure was not applied; nothing changed: idleTimeout '10 minutes' is not a Livy duration;"
                + " write e.g. 10m or 2h", message);
    }

    @Test
    void ttlAndIdleTimeoutTakeLivysDurationsOnly() throws Exception {
        JsonObject settings = SessionSettings.parse("{\"ttl\": \"2h\", \"idleTimeout\": \"30m\"}", Set.of());
        assertEquals("2h", settings.get("ttl").getAsString());
        assertEquals("30m", settings.get("idleTimeout").getAsString());
        for (String bad : new String[] {"soon", "30", "-5m", "0s", "1.5h", "2 weeks", "10minutes", ""}) {
            assertTrue(refusal("{\"ttl\": \"" + bad + "\"}", Set.of()).contains("ttl '" + bad + "' is not a Livy"
                    + " duration"), bad);
        }
        assertTrue(refusal("{\"ttl\": 30}", Set.of()).contains("ttl 30 is not a Livy duration"));
    }
}
