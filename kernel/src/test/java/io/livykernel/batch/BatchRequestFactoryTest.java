package io.livykernel.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livykernel.backend.livy.rest.CreateBatchRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchRequestFactoryTest {
    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    private static BatchOptions options(Map<String, String> conf, String conda, String queue) {
        return new BatchOptions("/jobs/main.py", null, List.of("/stage/proj.zip"), List.of("--day", "2024-01-01"), conf, conda,
                null, "8g", 4, 10, queue, "nightly", "etl");
    }

    @Test
    void defaultsThenNotebookThenCommandLine() throws BatchSubmissionException {
        JsonObject defaults = json("{\"queue\": \"default\", \"executorMemory\": \"4g\", \"heartbeatTimeoutInSecond\": 60,"
                + " \"kind\": \"pyspark\", \"conf\": {\"spark.a\": \"platform\", \"spark.b\": \"platform\"}}");
        JsonObject notebook = json("{\"driverMemory\": \"2g\", \"pyFiles\": [\"hdfs:///libs/x.zip\"],"
                + " \"conf\": {\"spark.b\": \"notebook\", \"spark.c\": \"notebook\"}}");
        CreateBatchRequest r = BatchRequestFactory.build(defaults, notebook,
                options(Map.of("spark.c", "cli"), null, null));
        assertEquals("/jobs/main.py", r.file());
        assertEquals(List.of("--day", "2024-01-01"), r.args());
        assertEquals("default", r.queue());
        assertEquals("2g", r.driverMemory());
        assertEquals("8g", r.executorMemory());
        assertEquals(4, r.executorCores());
        assertEquals(10, r.numExecutors());
        assertEquals("nightly", r.name());
        assertEquals("etl", r.proxyUser());
        assertEquals(List.of("hdfs:///libs/x.zip", "/stage/proj.zip"), r.pyFiles(), "lists are added to");
        assertEquals(Map.of("spark.a", "platform", "spark.b", "notebook", "spark.c", "cli"), r.conf());
        assertEquals(r.toJson().contains("heartbeatTimeoutInSecond") || r.toJson().contains("kind"), false);
    }

    @Test
    void condaEnvGivesArchiveAndPythonSettingsNextToOtherArchives() throws BatchSubmissionException {
        CreateBatchRequest r = BatchRequestFactory.build(json("{\"archives\": [\"hdfs:///data.zip#data\"]}"),
                new JsonObject(), options(Map.of(), "hdfs:///envs/ml.tar.gz", "q"));
        assertEquals(List.of("hdfs:///data.zip#data", "hdfs:///envs/ml.tar.gz#condaenv"), r.archives());
        assertEquals("./condaenv/bin/python", r.conf().get("spark.yarn.appMasterEnv.PYSPARK_PYTHON"));
        assertEquals("./condaenv/bin/python", r.conf().get("spark.executorEnv.PYSPARK_PYTHON"));
        assertEquals("./condaenv/bin/python", r.conf().get("spark.pyspark.python"));
        assertEquals("q", r.queue());
    }

    @Test
    void condaEnvInThePlatformDefaultsIsExpandedToo() throws BatchSubmissionException {
        CreateBatchRequest r = BatchRequestFactory.build(json("{\"condaEnv\": \"hdfs:///envs/base.zip#base\"}"),
                new JsonObject(), new BatchOptions("f.py", null, List.of(), List.of(), Map.of(), null, null, null, null,
                        null, null, null, null));
        assertEquals(List.of("hdfs:///envs/base.zip#base"), r.archives());
        assertEquals("./base/bin/python", r.conf().get("spark.pyspark.python"));
        assertNull(r.args());
        assertNull(r.pyFiles());
    }

    @Test
    void jarEntryPointCarriesItsMainClass() throws BatchSubmissionException {
        CreateBatchRequest r = BatchRequestFactory.build(new JsonObject(), new JsonObject(), new BatchOptions(
                "/jobs/app.jar", "org.example.Main", List.of(), List.of("10"), Map.of(), null, null, null, null, null,
                null, null, null));
        assertEquals("org.example.Main", r.className());
        assertEquals("/jobs/app.jar", r.file());
        assertEquals(true, r.toJson().contains("\"className\":\"org.example.Main\""));
    }

    @Test
    void wronglyTypedDefaultIsASubmissionError() {
        assertThrows(BatchSubmissionException.class, () -> BatchRequestFactory.build(
                json("{\"driverCores\": \"many\"}"), new JsonObject(), options(Map.of(), null, null)));
    }
}
