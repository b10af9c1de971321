package io.livykernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole configuration file is checked: unknown keys, wrong types and ranges are refused by their path. */
class ConfigValidationTest {
    @TempDir
    Path dir;

    private Path file;
    private final Map<String, String> env = new HashMap<>();

    @Test
    void aMisspeltKeyIsNamedWithWhatWasMeant() throws IOException {
        String message = refusal("{'livy': {'url': 'http://livy:8998', 'sesion': {'startupTimeoutSeconds': 60}}}");

        assertTrue(message.contains("livy.sesion is not a setting; did you mean livy.session?"), message);
        assertTrue(message.contains(file.toString()), message);
    }

    @Test
    void aKeyInTheWrongSectionIsPointedToItsPlace() throws IOException {
        String message = refusal("{'url': 'http://livy:8998'}");

        assertTrue(message.contains("url is not a setting; did you mean livy.url?"), message);
    }

    @Test
    void aWrongTypeIsRefusedWithTheKeyPathAndTheValue() throws IOException {
        String message = refusal("{'livy': {'url': 'http://livy:8998', 'session': {'heartbeatTimeoutSeconds': 'abc'}}}");

        assertTrue(message.contains("livy.session.heartbeatTimeoutSeconds must be a whole number of seconds >= 1,"
                + " got \"abc\""), message);
    }

    @Test
    void zeroOrNegativeHeartbeatTimeoutIsRefusedNotDropped() throws IOException {
        for (String value : new String[] {"0", "-10", "1.5"}) {
            String message = refusal("{'livy': {'url': 'http://l:1', 'session': {'heartbeatTimeoutSeconds': " + value + "}}}");

            assertTrue(message.contains("livy.session.heartbeatTimeoutSeconds must be a whole number of seconds >= 1,"
                    + " got " + value), message);
        }
    }

    @Test
    void outOfRangeValuesNameTheRange() throws IOException {
        String message = refusal("{'livy': {'url': 'http://l:1', 'connectTimeoutSeconds': 100000}}");

        assertTrue(message.contains("livy.connectTimeoutSeconds must be a whole number of seconds from 1 to 600, got"
                + " 100000"), message);
    }

    @Test
    void theSlowCellHintsSettingsAreChecked() throws IOException {
        String message = refusal("{'livy': {'url': 'http://l:1'}, 'analyze': {'hint': {'enabled': 'no',"
                + " 'slowCellSeconds': 0, 'slowCelSeconds': 5}}}");

        assertTrue(message.contains("analyze.hint.enabled must be"), message);
        assertTrue(message.contains("analyze.hint.slowCellSeconds must be a whole number of seconds from 1 to 86400,"
                + " got 0"), message);
        assertTrue(message.contains("did you mean analyze.hint.slowCellSeconds?"), message);
    }

    @Test
    void aLivySectionThatIsAStringIsAnErrorNotTheLocalBackend() throws IOException {
        String message = refusal("{'livy': 'http://x:8998'}");

        assertTrue(message.contains("livy must be an object of settings such as {\"url\": \"http://livy:8998\"},"
                + " got \"http://x:8998\""), message);
    }

    @Test
    void aPlatformDefaultOfTheWrongTypeIsAClearError() throws IOException {
        String message = refusal("{'livy': {'url': 'http://l:1', 'session': {'defaults': {'numExecutors': 'many',"
                + " 'executorMemory': '99999t', 'queu': 'etl'}}}}");

        assertTrue(message.contains("livy.session.defaults.numExecutors must be a whole number"), message);
        assertTrue(message.contains("livy.session.defaults.executorMemory must be a size Spark understands"), message);
        assertTrue(message.contains("did you mean 'queue'?"), message);
        assertFalse(message.contains("NumberFormatException"), message);
    }

    @Test
    void platformDefaultTtlAndIdleTimeoutMustBeLivyDurations() throws IOException {
        String message = refusal("{'livy': {'url': 'http://l:1', 'session': {'defaults': {'idleTimeout': '10 minutes',"
                + " 'ttl': '8h'}}}}");

        assertTrue(message.contains("livy.session.defaults.idleTimeout '10 minutes' is not a Livy duration; write e.g."
                + " 10m or 2h"), message);
        assertFalse(message.contains("ttl"), message);
    }

    @Test
    void everyProblemIsListedAtOnce() throws IOException {
        String message = refusal("{'livy': {'url': 'http://l:1', 'tls': {'verify': 'no'}, 'output': {'maxBytes': 'big'}},"
                + " 'local': {'startupTimeoutSeconds': 'ninety'}, 'magics': {'sql': {'sampleMethod': 'random'}}}");

        assertTrue(message.contains("4 problems"), message);
        assertTrue(message.contains("livy.tls.verify must be true or false, got \"no\""), message);
        assertTrue(message.contains("livy.output.maxBytes must be a whole number of bytes"), message);
        assertTrue(message.contains("local.startupTimeoutSeconds must be a whole number of seconds"), message);
        assertTrue(message.contains("magics.sql.sampleMethod must be \"take\" (or \"sample\")"), message);
    }

    @Test
    void theResourceManagerAddressMustBeAnHttpUrl() throws Exception {
        String message = refusal("{'livy': {'url': 'http://l:1'}, 'yarn': {'resourceManagerUrl': 'rm:8088'}}");
        assertTrue(message.contains("yarn.resourceManagerUrl must be an http(s) URL"), message);
        write("{'livy': {'url': 'http://l:1'}, 'yarn': {'resourceManagerUrl': 'https://rm.example.com:8090'}}");
        assertEquals("https://rm.example.com:8090", io.livykernel.policy.UsageReader.configuredResourceManager(
                KernelConfig.load(env)).toString());
    }

    @Test
    void aMalformedLivyUrlVariableIsBlamedOnTheVariable() throws IOException {
        env.put(KernelConfig.URL_ENV, "livy.example.com:8998");
        write("{'livy': {'session': {'startupTimeoutSeconds': 60}}}");

        String message = assertThrows(ConfigException.class, () -> KernelConfig.load(env)).getMessage();

        assertTrue(message.startsWith("The environment variable LIVY_URL is not a usable Livy URL"), message);
        assertFalse(message.contains(file.toString()), message);
    }

    @Test
    void aMalformedUrlInTheFileIsBlamedOnTheKey() throws IOException {
        String message = refusal("{'livy': {'url': 'ftp://livy:8998'}}");

        assertTrue(message.contains("livy.url must be an http(s) URL"), message);
    }

    @Test
    void secretValuesOfTheWrongTypeAreNotQuoted() throws IOException {
        String message = refusal("{'livy': {'url': 'http://l:1', 'username': 'u', 'password': 98765432,"
                + " 'headers': {'X-Token': 12345678}}}");

        assertTrue(message.contains("livy.password must be a string, got a number (not shown"), message);
        assertTrue(message.contains("livy.headers must be an object of names and string values"), message);
        assertFalse(message.contains("98765432") || message.contains("12345678"), message);
    }

    @Test
    void aValidFileWithEveryDocumentedSectionLoads() throws Exception {
        write("{'livy': {'url': 'https://livy:8998', 'username': 'u', 'passwordEnv': 'P', 'headers': {'X-Team': 'ml'},"
                + " 'requestedBy': 'me', 'connectTimeoutSeconds': 5, 'requestTimeoutSeconds': 60,"
                + " 'tls': {'verify': true, 'trustStore': '/x.p12', 'trustStorePassword': 'p', 'trustStoreType': 'PKCS12'},"
                + " 'session': {'startupTimeoutSeconds': 600, 'heartbeatTimeoutSeconds': 120, 'heartbeatIntervalSeconds': 30,"
                + "   'createAtStart': false, 'kind': 'pyspark', 'locked': ['queue'],"
                + "   'defaults': {'queue': 'q', 'executorMemory': '4g', 'numExecutors': 2, 'conf': {'spark.a': 'b'},"
                + "     'ttl': '8h', 'idleTimeout': '30m'}},"
                + " 'output': {'maxBytes': 2097152},"
                + " 'batch': {'staging': {'webhdfsUrl': 'http://nn:9870', 'timeoutSeconds': 120}}},"
                + " 'magics': {'sql': {'maxRows': 10, 'sampleMethod': 'take', 'sampleFraction': 0.5},"
                + "   'sendToSpark': {'maxBytes': 100}},"
                + " 'analyze': {'historyServerUrl': 'http://history:18080'},"
                + " 'local': {'python': '/usr/bin/python3', 'startupTimeoutSeconds': 60}}");

        assertEquals("https://livy:8998", KernelConfig.load(env).livyUrl().orElseThrow());
    }

    @Test
    void aSparkmagicFileIsCheckedToo() throws IOException {
        String message = refusal("{'kernel_python_credentials': {'url': 'http://livy:8998', 'username': 'u',"
                + " 'base64_password': 'not base64!'}, 'livy_session_startup_timeout_seconds': 'sixty',"
                + " 'custom_header': {'X': 'y'}}");

        assertTrue(message.contains("kernel_python_credentials.base64_password must be base64 text"), message);
        assertTrue(message.contains("livy_session_startup_timeout_seconds must be a whole number of seconds"), message);
        assertTrue(message.contains("custom_header is not a setting; did you mean custom_headers?"), message);
        assertFalse(message.contains("not base64!"), message);
    }

    @Test
    void sparkmagicsOwnKeysThatThisKernelDoesNotUseAreAccepted() throws Exception {
        write("{'kernel_python_credentials': {'url': 'http://livy:8998', 'auth': 'None'},"
                + " 'logging_config': {'version': 1}, 'wait_for_idle_timeout_seconds': 15, 'use_auto_viz': true,"
                + " 'livy_server_heartbeat_timeout_seconds': 0, 'kernel_scala_credentials': {'url': 'http://x'}}");

        assertEquals("http://livy:8998", KernelConfig.load(env).livyUrl().orElseThrow());
    }

    @Test
    void jsonSyntaxErrorsAreInOurWordsWithoutTheParsersAdvice() throws IOException {
        String message = refusal("{\n  'livy': {'url': 'http://l:1',}\n}");

        assertTrue(message.contains("line 2"), message);
        assertFalse(message.contains("setStrictness") || message.contains("JsonReader") || message.contains("path $"),
                message);
    }

    private String refusal(String singleQuotedJson) throws IOException {
        write(singleQuotedJson);
        return assertThrows(ConfigException.class, () -> KernelConfig.load(env)).getMessage();
    }

    private void write(String singleQuotedJson) throws IOException {
        file = Files.writeString(dir.resolve("config.json"), singleQuotedJson.replace('\'', '"'));
        env.put(KernelConfig.CONFIG_ENV, file.toString());
    }
}
