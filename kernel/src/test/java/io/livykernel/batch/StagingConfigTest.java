package io.livykernel.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livykernel.config.ConfigException;
import org.junit.jupiter.api.Test;

class StagingConfigTest {
    private static JsonObject livy(String staging) {
        return JsonParser.parseString("{\"batch\": {\"staging\": " + staging + "}}").getAsJsonObject();
    }

    @Test
    void absentSectionMeansNoStaging() throws ConfigException {
        assertTrue(StagingConfig.from(new JsonObject(), "cfg", "alice").isEmpty());
    }

    @Test
    void defaultsArePerUserAndOnTheDefaultFileSystem() throws ConfigException {
        StagingConfig c = StagingConfig.from(livy("{\"webhdfsUrl\": \"http://nn:9870/webhdfs/v1/\"}"), "cfg", "alice")
                .orElseThrow();
        assertEquals("http://nn:9870", c.webhdfsUrl().toString());
        assertEquals("/user/alice/.livy-kernel/staging", c.directory());
        assertEquals("alice", c.user());
        assertEquals("hdfs:///user/alice/x.py", c.clusterUri("/user/alice/x.py"));
    }

    @Test
    void configuredUserDirectoryAndFileSystem() throws ConfigException {
        StagingConfig c = StagingConfig.from(livy("{\"webhdfsUrl\": \"https://nn:9871\", \"user\": \"etl\","
                + " \"directory\": \"/jobs/{user}/stage/\", \"fileSystem\": \"hdfs://ns1/\"}"), "cfg", "alice")
                .orElseThrow();
        assertEquals("/jobs/etl/stage", c.directory());
        assertEquals("hdfs://ns1/jobs/etl/stage/a.zip", c.clusterUri("/jobs/etl/stage/a.zip"));
    }

    @Test
    void mistakesNameTheKey() {
        assertTrue(assertThrows(ConfigException.class, () -> StagingConfig.from(livy("{\"directory\": \"/x\"}"), "cfg",
                "a")).getMessage().contains("needs webhdfsUrl"));
        assertTrue(assertThrows(ConfigException.class, () -> StagingConfig.from(livy("{\"webhdfsUrl\": \"nn:9870\"}"),
                "cfg", "a")).getMessage().contains("webhdfsUrl must be an http(s) URL"));
        assertTrue(assertThrows(ConfigException.class, () -> StagingConfig.from(livy("{\"webhdfsUrl\": \"http://nn\","
                + " \"directory\": \"rel\"}"), "cfg", "a")).getMessage().contains("absolute HDFS path"));
    }
}
