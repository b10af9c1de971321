package io.livykernel.backend.livy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.backend.livy.rest.LivySettings;
import io.livykernel.backend.livy.rest.ServerFlavor;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.http.HttpConfig;
import io.livykernel.messages.Json;
import io.livykernel.policy.SessionLimits;
import io.livykernel.policy.UsageReader;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The "livy" section of the configuration file, checked: how to reach Livy, and how this kernel's
 * sessions are created and kept. See the README for every key.
 *
 * @param sessionDefaults the platform's defaults for POST /sessions (queue, conf, executor sizes...),
 *                        under which a notebook's %%configure is merged
 * @param lockedKeys      session keys that notebooks may not override (e.g. proxyUser)
 * @param limits          the platform's caps on what a session may ask for (livy.session.limits)
 * @param platformTag     the platform's own YARN tag on every session (livy.session.tags), or null
 * @param resourceManager the YARN ResourceManager to read usage from (yarn.resourceManagerUrl), or null to find
 *                        it from each application's YARN proxy address
 */
public record LivyBackendConfig(LivySettings http, String kind, Duration startupTimeout, boolean createAtStart,
                                int heartbeatTimeoutSeconds, Duration heartbeatInterval, JsonObject sessionDefaults,
                                Set<String> lockedKeys, int maxOutputBytes, SessionLimits limits,
                                String platformTag, URI resourceManager) {

    public static final int DEFAULT_MAX_OUTPUT_BYTES = 2 * 1024 * 1024;

    public LivyBackendConfig {
        sessionDefaults = sessionDefaults.deepCopy();
        lockedKeys = Set.copyOf(lockedKeys);
        limits = limits == null ? SessionLimits.NONE : limits;
    }

    /** Without a configured ResourceManager. */
    public LivyBackendConfig(LivySettings http, String kind, Duration startupTimeout, boolean createAtStart,
                             int heartbeatTimeoutSeconds, Duration heartbeatInterval, JsonObject sessionDefaults,
                             Set<String> lockedKeys, int maxOutputBytes, SessionLimits limits, String platformTag) {
        this(http, kind, startupTimeout, createAtStart, heartbeatTimeoutSeconds, heartbeatInterval, sessionDefaults,
                lockedKeys, maxOutputBytes, limits, platformTag, null);
    }

    /** Without caps or a platform tag. */
    public LivyBackendConfig(LivySettings http, String kind, Duration startupTimeout, boolean createAtStart,
                             int heartbeatTimeoutSeconds, Duration heartbeatInterval, JsonObject sessionDefaults,
                             Set<String> lockedKeys, int maxOutputBytes) {
        this(http, kind, startupTimeout, createAtStart, heartbeatTimeoutSeconds, heartbeatInterval, sessionDefaults,
                lockedKeys, maxOutputBytes, SessionLimits.NONE, null);
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
            ServerFlavor flavor = ServerFlavor.fromConfig(Json.string(livy, "flavor", null));
            if (flavor == null) {
                throw new ConfigException(where + ": livy.flavor must be \"livy\" or \"lighter\", was \""
                        + Json.string(livy, "flavor", null) + "\"");
            }
            http.flavor(flavor);
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
            String refused = flavor.refusesKind(Json.string(session, "kind", "pyspark"));
            if (refused != null) {
                throw new ConfigException(where + ": " + refused + ": set livy.session.kind to \"pyspark\"");
            }
            SessionLimits limits = SessionLimits.fromJson(Json.object(session, "limits"), "livy.session.limits");
            JsonObject defaults = Json.object(session, "defaults");
            List<String> overCaps = limits.violations(limits.applyPolicy(defaults));
            if (!overCaps.isEmpty()) {
                throw new ConfigException(where + ": livy.session.defaults ask for more than livy.session.limits"
                        + " allow:\n  - " + String.join("\n  - ", overCaps));
            }
            return new LivyBackendConfig(http.build(), Json.string(session, "kind", "pyspark"),
                    seconds(session, "startupTimeoutSeconds", 600, where), Json.bool(session, "createAtStart", false),
                    heartbeatTimeout, heartbeatInterval, defaults, locked,
                    Json.integer(output, "maxBytes", DEFAULT_MAX_OUTPUT_BYTES), limits,
                    Json.string(session, "tags", null), UsageReader.configuredResourceManager(config));
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
