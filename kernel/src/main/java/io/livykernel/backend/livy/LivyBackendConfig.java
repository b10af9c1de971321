package io.livykernel.backend.livy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.http.HttpConfig;
import io.livykernel.messages.Json;
import java.time.Duration;
import java.util.LinkedHashSet;
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
            LivySettings.Builder http = LivySettings.builder(config.livyUrl().orElseThrow())
                    .http(HttpConfig.from(config));
            String requestedBy = Json.string(livy, "requestedBy", null);
            if (requestedBy != null) {
                http.requestedBy(requestedBy);
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

    private static String where(KernelConfig config) {
        return config.source() == null ? "the configuration" : config.source().toString();
    }

    private static Duration seconds(JsonObject o, String key, int fallback, String where) throws ConfigException {
        int value = Json.integer(o, key, fallback);
        if (value <= 0) {
            throw new ConfigException(where + ": " + key + " must be a positive number of seconds (got " + value + ")");
        }
        return Duration.ofSeconds(value);
    }
}
