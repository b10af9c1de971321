package io.livykernel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.livykernel.config.ConfigException;
import io.livykernel.config.SparkSize;
import io.livykernel.messages.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionLimitsTest {
    private static final String PLATFORM = """
            {"executorMemory": "8g", "driverMemory": "4g", "executorCores": 4, "numExecutors": 20,
             "maxExecutors": 20, "queues": ["notebooks", "adhoc"], "forbiddenConf": ["spark.yarn.*"]}""";

    private static SessionLimits limits(String json) throws ConfigException {
        return SessionLimits.fromJson(Json.parseObject(json), "livy.session.limits");
    }

    private static JsonObject request(String json) {
        return Json.parseObject(json);
    }

    @Test
    void aRequestOverACapIsNamedWithTheAskedValueAndTheCap() throws Exception {
        List<String> problems = limits(PLATFORM).violations(request("{\"executorMemory\": \"16g\"}"));
        assertEquals(List.of("executorMemory 16g is above this platform's limit of 8g; ask for at most 8g"), problems);
    }

    @Test
    void aRequestAtTheCapIsAcceptedWhateverUnitItUses() throws Exception {
        SessionLimits caps = limits(PLATFORM);
        assertEquals(List.of(), caps.violations(request("{\"executorMemory\": \"8192m\", \"driverMemory\": \"4g\","
                + " \"executorCores\": 4, \"numExecutors\": 20, \"queue\": \"adhoc\"}")));
        assertEquals(List.of(), caps.violations(request("{\"executorMemory\": \"8589934592b\"}")));
        assertEquals(1, caps.violations(request("{\"executorMemory\": \"8193m\"}")).size());
    }

    @Test
    void sparkSettingsInConfCountLikeTheFieldsTheyStandFor() throws Exception {
        List<String> problems = limits(PLATFORM).violations(request(
                "{\"conf\": {\"spark.executor.memory\": \"9g\", \"spark.executor.cores\": \"8\","
                + " \"spark.yarn.queue\": \"prod\"}}"));
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("executorMemory 9g is above"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("executorCores 8 is above this platform's limit of 4")));
        assertTrue(problems.stream().anyMatch(p -> p.contains("queue 'prod' is not one this platform allows;"
                + " choose one of notebooks, adhoc")));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("conf spark.yarn.queue is set by the platform")),
                "spark.yarn.* is forbidden: " + problems);
    }

    @Test
    void containerCapsCountYarnsOverhead() throws Exception {
        SessionLimits caps = limits("{\"executorContainerMemory\": \"8g\"}");
        // 7g + max(384m, 10%) = 7g + 716.8m: within 8g; 7.5g + 768m is not.
        assertEquals(List.of(), caps.violations(request("{\"executorMemory\": \"7g\"}")));
        List<String> over = caps.violations(request("{\"executorMemory\": \"7680m\"}"));
        assertEquals(1, over.size());
        assertTrue(over.get(0).startsWith("executorContainerMemory 8448m (memory plus YARN's overhead) is above"),
                over.get(0));
        assertEquals(1, caps.violations(request("{\"executorMemory\": \"7g\", \"conf\":"
                + " {\"spark.executor.memoryOverhead\": \"2g\"}}")).size(), "an explicit overhead counts");
        assertEquals(List.of(), caps.violations(request("{\"executorMemory\": \"512m\"}")),
                "the overhead is at least 384m: 896m");
    }

    @Test
    void underDynamicAllocationNumExecutorsIsTheInitialCountBoundedByMaxExecutors() throws Exception {
        SessionLimits caps = limits("{\"numExecutors\": 4, \"maxExecutors\": 20}");
        JsonObject asked = caps.applyPolicy(request("{\"numExecutors\": 10, \"conf\":"
                + " {\"spark.dynamicAllocation.enabled\": \"true\"}}"));
        assertEquals("10", asked.getAsJsonObject("conf").get("spark.dynamicAllocation.initialExecutors").getAsString());
        assertEquals("20", asked.getAsJsonObject("conf").get("spark.dynamicAllocation.maxExecutors").getAsString(),
                "an open maximum gets the cap");
        assertEquals(List.of(), caps.violations(asked), "10 > 4 is fine as an initial count under dynamic allocation");
        List<String> tooMany = caps.violations(caps.applyPolicy(request("{\"numExecutors\": 30, \"conf\":"
                + " {\"spark.dynamicAllocation.enabled\": \"true\"}}")));
        assertEquals(1, tooMany.size(), tooMany.toString());
        assertTrue(tooMany.get(0).startsWith("numExecutors 30 is above this platform's limit of 20 executors"));
        assertEquals(1, caps.violations(request("{\"conf\": {\"spark.dynamicAllocation.enabled\": \"true\","
                + " \"spark.dynamicAllocation.maxExecutors\": \"50\"}}")).size());
        assertEquals(1, caps.violations(request("{\"numExecutors\": 10}")).size(),
                "without dynamic allocation numExecutors is a static count, capped at 4");
    }

    @Test
    void requiredDynamicAllocationIsSwitchedOnAndCannotBeSwitchedOff() throws Exception {
        SessionLimits caps = limits("{\"dynamicAllocationRequired\": true}");
        JsonObject shaped = caps.applyPolicy(request("{}"));
        assertEquals("true", shaped.getAsJsonObject("conf").get("spark.dynamicAllocation.enabled").getAsString());
        assertEquals(List.of(), caps.violations(shaped));
        List<String> off = caps.violations(caps.applyPolicy(request(
                "{\"conf\": {\"spark.dynamicAllocation.enabled\": \"false\"}}")));
        assertEquals(1, off.size());
        assertTrue(off.get(0).contains("not allowed on this platform"), off.get(0));
    }

    @Test
    void badLimitsAreConfigurationErrorsNamingTheKey() {
        ConfigException size = assertThrows(ConfigException.class, () -> limits("{\"executorMemory\": \"lots\"}"));
        assertTrue(size.getMessage().startsWith("livy.session.limits.executorMemory must be a Spark size"),
                size.getMessage());
        ConfigException typo = assertThrows(ConfigException.class, () -> limits("{\"maxExecutor\": 3}"));
        assertTrue(typo.getMessage().contains("has no key 'maxExecutor'"), typo.getMessage());
        assertThrows(ConfigException.class, () -> limits("{\"queues\": \"notebooks\"}"));
        assertThrows(ConfigException.class, () -> limits("{\"numExecutors\": 0}"));
    }

    @Test
    void noLimitsAcceptEverything() throws Exception {
        SessionLimits none = limits("{}");
        assertTrue(none.isEmpty());
        assertEquals(List.of(), none.violations(request("{\"executorMemory\": \"1p\", \"numExecutors\": 9999}")));
        assertFalse(limits(PLATFORM).isEmpty());
    }

    @Test
    void sparkSizesReadAsSparkReadsThem() {
        assertEquals(512L << 20, SparkSize.parse("512").orElseThrow().bytes(), "no unit means MiB");
        assertEquals(4L << 30, SparkSize.parse("4g").orElseThrow().bytes());
        assertEquals(4L << 30, SparkSize.parse("4GB").orElseThrow().bytes());
        assertTrue(SparkSize.parse("4 g").isEmpty(), "Spark refuses a space");
        assertTrue(SparkSize.parse("four").isEmpty());
        assertTrue(SparkSize.parse("99999999999p").isEmpty(), "beyond what a long holds");
        assertEquals("1536m", SparkSize.ofBytes(1536L << 20).text());
    }
}
