package io.livykernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelConfigTest {
    @TempDir
    Path dir;

    private Path file;
    private final Map<String, String> env = new HashMap<>();

    @Test
    void missingFileMeansDefaultsAndNoEndpoint() throws ConfigException {
        env.put(KernelConfig.CONFIG_ENV, dir.resolve("absent.json").toString());

        KernelConfig config = KernelConfig.load(env);

        assertEquals(Optional.empty(), config.livyUrl());
        assertNull(config.local().python());
        assertEquals(Duration.ofSeconds(60), config.local().startupTimeout());
        assertEquals(new JsonObject(), config.section("livy"));
    }

    @Test
    void readsTheEndpointAndLocalSettingsFromTheFile() throws Exception {
        KernelConfig config = load("{'livy': {'url': 'http://livy.example.com:8998'},"
                + " 'local': {'python': '/opt/py/bin/python3', 'startupTimeoutSeconds': 15}}");

        assertEquals(Optional.of("http://livy.example.com:8998"), config.livyUrl());
        assertEquals("/opt/py/bin/python3", config.local().python());
        assertEquals(Duration.ofSeconds(15), config.local().startupTimeout());
        assertEquals(file, config.source());
    }

    @Test
    void livyUrlEnvironmentVariableWinsOverTheFile() throws Exception {
        env.put(KernelConfig.URL_ENV, "http://from-env:8998");

        assertEquals(Optional.of("http://from-env:8998"),
                load("{'livy': {'url': 'http://from-file:8998'}}").livyUrl());
    }

    @Test
    void blankLivyUrlVariableDoesNotHideTheFilesEndpoint() throws Exception {
        env.put(KernelConfig.URL_ENV, "   ");

        assertEquals(Optional.of("http://from-file:8998"), load("{'livy': {'url': 'http://from-file:8998'}}").livyUrl());
    }

    @Test
    void pythonEnvironmentVariableWinsOverTheFile() throws Exception {
        env.put(KernelConfig.PYTHON_ENV, "/usr/bin/python3.11");

        assertEquals("/usr/bin/python3.11", load("{'local': {'python': '/opt/py/bin/python3'}}").local().python());
    }

    @Test
    void malformedJsonNamesTheFileLineAndColumn() throws IOException {
        write("{\n  'livy': {\n    'url': \n  }\n}");

        ConfigException e = assertThrows(ConfigException.class, () -> KernelConfig.load(env));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 4 column 3"), e.getMessage());
    }

    @Test
    void fileThatIsNotAnObjectIsRefusedByName() throws IOException {
        write("['livy']");

        ConfigException e = assertThrows(ConfigException.class, () -> KernelConfig.load(env));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void zeroOrNegativeStartupTimeoutIsRefused() throws IOException {
        for (String timeout : new String[] {"0", "-5"}) {
            write("{'local': {'startupTimeoutSeconds': " + timeout + "}}");

            ConfigException e = assertThrows(ConfigException.class, () -> KernelConfig.load(env), timeout);

            assertTrue(e.getMessage().contains("startupTimeoutSeconds"), e.getMessage());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Test

    void nonNumericStartupTimeoutIsRefused() throws IOException {
        write("{'local': {'startupTimeoutSeconds': 'ninety'}}");

        assertThrows(ConfigException.class, () -> KernelConfig.load(env));
    }

    @Test
    void sectionIsACopy() throws Exception {
        KernelConfig config = load("{'telemetry': {'enabled': true}}");

        config.section("telemetry").addProperty("enabled", false);
        config.section("telemetry").addProperty("extra", 1);

        assertEquals(1, config.section("telemetry").size());
        assertTrue(config.section("telemetry").get("enabled").getAsBoolean());
    }

    private KernelConfig load(String singleQuotedJson) throws IOException, ConfigException {
        write(singleQuotedJson);
        return KernelConfig.load(env);
    }

    private void write(String singleQuotedJson) throws IOException {
        file = Files.writeString(dir.resolve("config.json"), singleQuotedJson.replace('\'', '"'));
        env.put(KernelConfig.CONFIG_ENV, file.toString());
    }
}
