package io.livykernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class CondaEnvironmentTest {
    @Test
    void uriWithoutAliasGetsTheDefaultOne() {
        CondaEnvironment env = CondaEnvironment.of("hdfs:///envs/ml.tar.gz");
        assertEquals("hdfs:///envs/ml.tar.gz#condaenv", env.archiveEntry());
        assertEquals("./condaenv/bin/python", env.python());
    }

    @Test
    void objectFormWithAliasAndPythonInside() {
        JsonObject settings = JsonParser.parseString("{\"condaEnv\": {\"archive\": \"s3a://b/e.zip#py\","
                + " \"python\": \"./bin/python3\"}, \"conf\": {\"spark.x\": \"1\"}}").getAsJsonObject();
        CondaEnvironment.expandInto(settings);
        assertEquals("[\"s3a://b/e.zip#py\"]", settings.get("archives").toString());
        JsonObject conf = settings.getAsJsonObject("conf");
        assertEquals("1", conf.get("spark.x").getAsString());
        assertEquals("./py/bin/python3", conf.get("spark.executorEnv.PYSPARK_PYTHON").getAsString());
        assertEquals("./py/bin/python3", conf.get("spark.yarn.appMasterEnv.PYSPARK_PYTHON").getAsString());
        assertEquals("./py/bin/python3", conf.get("spark.pyspark.python").getAsString());
        assertEquals(false, settings.has("condaEnv"));
    }
}
