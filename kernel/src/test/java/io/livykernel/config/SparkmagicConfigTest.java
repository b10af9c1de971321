package io.livykernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import io.livykernel.messages.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A team's existing sparkmagic config.json works unchanged. */
class SparkmagicConfigTest {
    @TempDir
    Path dir;

    @Test
    void readsCredentialsHeadersTlsAndMergedSessionConfigs() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, """
                {"kernel_python_credentials": {"username": "ana", "base64_password": "czNjcjN0", "url": "http://livy:8998",
                  "auth": "Basic_Access"},
                 "custom_headers": {"X-Team": "ml"},
                 "ignore_ssl_errors": true,
                 "session_configs_defaults": {"queue": "default", "conf": {"spark.a": "1", "spark.b": "2"}},
                 "session_configs": {"executorMemory": "4g", "conf": {"spark.b": "3"}},
                 "livy_session_startup_timeout_seconds": 300,
                 "heartbeat_refresh_seconds": 20,
                 "livy_server_heartbeat_timeout_seconds": 90}
                """);
        KernelConfig config = KernelConfig.load(Map.of(KernelConfig.CONFIG_ENV, file.toString()));
        assertEquals("http://livy:8998", config.livyUrl().orElseThrow());
        JsonObject livy = config.section("livy");
        assertEquals("ana", Json.string(livy, "username", null));
        assertEquals("s3cr3t", Json.string(livy, "password", null));
        assertEquals("ml", Json.string(Json.object(livy, "headers"), "X-Team", null));
        assertFalse(Json.bool(Json.object(livy, "tls"), "verify", true));
        JsonObject session = Json.object(livy, "session");
        assertEquals(300, Json.integer(session, "startupTimeoutSeconds", 0));
        assertEquals(20, Json.integer(session, "heartbeatIntervalSeconds", 0));
        assertEquals(90, Json.integer(session, "heartbeatTimeoutSeconds", 0));
        JsonObject defaults = Json.object(session, "defaults");
        assertEquals("default", Json.string(defaults, "queue", null));
        assertEquals("4g", Json.string(defaults, "executorMemory", null));
        assertEquals("1", Json.string(Json.object(defaults, "conf"), "spark.a", null));
        assertEquals("3", Json.string(Json.object(defaults, "conf"), "spark.b", null));
    }

    @Test
    void kerberosAuthAndItsRequestsKerberosOptionsBecomeLivyAuth() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, """
                {"kernel_python_credentials": {"username": "", "password": "", "url": "http://livy:8998",
                  "auth": "Kerberos"},
                 "kerberos_auth_configuration": {"mutual_authentication": "REQUIRED", "service": "HTTP",
                  "principal": "ana@EX.COM", "hostname_override": "livy.ex.com"}}
                """);
        JsonObject livy = KernelConfig.load(Map.of(KernelConfig.CONFIG_ENV, file.toString())).section("livy");
        JsonObject auth = Json.object(livy, "auth");
        assertEquals("kerberos", Json.string(auth, "type", null));
        assertEquals("ana@EX.COM", Json.string(auth, "principal", null));
        assertEquals("HTTP", Json.string(auth, "service", null));
        assertEquals("livy.ex.com", Json.string(auth, "hostname", null));
        assertFalse(livy.has("username"));
    }

    @Test
    void ourOwnSectionWinsWhenBothArePresent() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"livy\": {\"url\": \"http://ours:8998\"}, \"kernel_python_credentials\": {\"url\": \"http://theirs\"}}");
        assertEquals("http://ours:8998", KernelConfig.load(Map.of(KernelConfig.CONFIG_ENV, file.toString())).livyUrl().orElseThrow());
    }
}
