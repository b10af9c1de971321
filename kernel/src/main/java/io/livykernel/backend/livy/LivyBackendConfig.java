package io.livykernel.backend.livy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.messages.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The "livy" section of the configuration file, checked: how to reach Livy, and how this kernel's
 * sessions are created and kept. See the README for every key.
 *
 * @param sessionDefaults the platform's defaults for POST /sessions (queue, conf, executor sizes...),
 *                        under which a notebook's %%configure is merged
 * @param lockedKeys      session keys that notebooks may not override (e.g. proxyUser)
 */
public record LivyBackendConfig(LivySettings http, String kind, Duration startupTimeout, boolean createAtStart,
                                int heartbeatTimeoutSeconds, Duration heartbeatInterval, JsonObject sessionDefaults,
                                Set<String> lockedKeys, int maxOutputBytes) {

    public static final int DEFAULT_MAX_OUTPUT_BYTES = 2 * 1024 * 1024;

    public LivyBackendConfig {
        sessionDefaults = sessionDefaults.deepCopy();
        lockedKeys = Set.copyOf(lockedKeys);
    }

    @Override
    public JsonObject sessionDefaults() {
        return sessionDefaults.deepCopy();
    }

    /** The endpoint as users should see it (credentials removed). */
    public String endpoint() {
        return http.baseUrl().toString();
    }

    public static LivyBackendConfig from(KernelConfig config) throws ConfigException {
        JsonObject livy = config.section("livy");
        String where = where(config);
        try {
            LivySettings.Builder http = LivySettings.builder(config.livyUrl().orElseThrow());
            String user = Json.string(livy, "username", null);
            if (user != null) {
                String password = Json.string(livy, "password", null);
                String passwordEnv = Json.string(livy, "passwordEnv", null);
                if (password == null && passwordEnv != null) {
                    password = System.getenv(passwordEnv);
                }
                http.basicAuth(user, password == null ? "" : password);
            }
            KerberosSettings kerberos = kerberos(Json.object(livy, "auth"), where);
            if (kerberos != null) {
                http.kerberos(kerberos);
            }
            http.headers(strings(Json.object(livy, "headers"), where + ": livy.headers"));
            String requestedBy = Json.string(livy, "requestedBy", null);
            if (requestedBy != null) {
                http.requestedBy(requestedBy);
            }
            http.connectTimeout(seconds(livy, "connectTimeoutSeconds", 10, where));
            http.requestTimeout(seconds(livy, "requestTimeoutSeconds", 30, where));
            JsonObject tls = Json.object(livy, "tls");
            if (!Json.bool(tls, "verify", true)) {
                http.insecureSkipTlsVerify(true);
            }
            String trustStore = Json.string(tls, "trustStore", null);
            if (trustStore != null) {
                http.trustStore(Path.of(trustStore), Json.string(tls, "trustStorePassword", null),
                        Json.string(tls, "trustStoreType", "PKCS12"));
            }
            JsonObject session = Json.object(livy, "session");
            int heartbeatTimeout = Json.integer(session, "heartbeatTimeoutSeconds", 120);
            Duration heartbeatInterval = seconds(session, "heartbeatIntervalSeconds",
                    Math.max(1, Math.min(30, heartbeatTimeout / 3)), where);
            Set<String> locked = new LinkedHashSet<>();
            JsonElement lockedJson = session.get("locked");
            if (lockedJson != null && lockedJson.isJsonArray()) {
                lockedJson.getAsJsonArray().forEach(e -> locked.add(e.getAsString()));
            }
            JsonObject output = Json.object(livy, "output");
            return new LivyBackendConfig(http.build(), Json.string(session, "kind", "pyspark"),
                    seconds(session, "startupTimeoutSeconds", 600, where), Json.bool(session, "createAtStart", false),
                    heartbeatTimeout, heartbeatInterval, Json.object(session, "defaults"), locked,
                    Json.integer(output, "maxBytes", DEFAULT_MAX_OUTPUT_BYTES));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    /** livy.auth of the configuration when it configures Kerberos (also for the Spark UI), else null. */
    public static KerberosSettings kerberos(KernelConfig config) throws ConfigException {
        try {
            return kerberos(Json.object(config.section("livy"), "auth"), where(config));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where(config) + ": " + e.getMessage());
        }
    }

    private static String where(KernelConfig config) {
        return config.source() == null ? "the configuration" : config.source().toString();
    }

    /** livy.auth: {"type": "kerberos", "principal", "keytab", "ticketCache", "service", "hostname"}; null for none. */
    private static KerberosSettings kerberos(JsonObject auth, String where) throws ConfigException {
        String type = Json.string(auth, "type", "none");
        if (type.equalsIgnoreCase("none") || type.equalsIgnoreCase("basic")) {
            return null;
        }
        if (!type.equalsIgnoreCase("kerberos")) {
            throw new ConfigException(where + ": livy.auth.type must be \"kerberos\" (or \"none\"), was \"" + type
                    + "\"; Basic auth is livy.username and livy.password");
        }
        String keytab = Json.string(auth, "keytab", null);
        return new KerberosSettings(Json.string(auth, "principal", null),
                keytab == null || keytab.isBlank() ? null : Path.of(keytab), Json.string(auth, "ticketCache", null),
                Json.string(auth, "service", null), Json.string(auth, "hostname", null));
    }

    private static Duration seconds(JsonObject o, String key, int fallback, String where) throws ConfigException {
        int value = Json.integer(o, key, fallback);
        if (value <= 0) {
            throw new ConfigException(where + ": " + key + " must be a positive number of seconds (got " + value + ")");
        }
        return Duration.ofSeconds(value);
    }

    private static Map<String, String> strings(JsonObject o, String what) throws ConfigException {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (!e.getValue().isJsonPrimitive()) {
                throw new ConfigException(what + "." + e.getKey() + " must be a string");
            }
            values.put(e.getKey(), e.getValue().getAsString());
        }
        return values;
    }

}
