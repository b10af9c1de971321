package io.livykernel.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.messages.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * Reads an existing sparkmagic {@code config.json} as our own "livy" section, so that a team can switch
 * kernels without rewriting its set-up: credentials, custom headers, TLS, session configs (defaults
 * deep-merged under the configs, as sparkmagic does), start-up timeout and heartbeat settings.
 */
final class SparkmagicConfig {
    private static final Logger LOG = Logger.getLogger(SparkmagicConfig.class.getName());

    private SparkmagicConfig() {
    }

    static boolean looksLikeSparkmagic(JsonObject root) {
        return root.has("kernel_python_credentials") || root.has("kernel_python3_credentials")
                || root.has("session_configs");
    }

    /** Our "livy" section for a sparkmagic configuration. */
    static JsonObject toLivySection(JsonObject root) {
        JsonObject livy = new JsonObject();
        JsonObject credentials = root.has("kernel_python_credentials") ? Json.object(root, "kernel_python_credentials")
                : Json.object(root, "kernel_python3_credentials");
        copyString(credentials, "url", livy, "url");
        String user = Json.string(credentials, "username", "");
        if (!user.isEmpty()) {
            livy.addProperty("username", user);
            String password = Json.string(credentials, "password", "");
            String encoded = Json.string(credentials, "base64_password", "");
            if (password.isEmpty() && !encoded.isEmpty()) {
                password = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            }
            livy.addProperty("password", password);
        }
        String auth = Json.string(credentials, "auth", "None");
        if (auth.equalsIgnoreCase("Kerberos")) {
            LOG.warning("the sparkmagic configuration asks for Kerberos authentication, which livy-kernel does not"
                    + " support yet; requests go without it");
        }
        if (root.has("custom_headers")) {
            livy.add("headers", Json.object(root, "custom_headers"));
        }
        if (Json.bool(root, "ignore_ssl_errors", false)) {
            JsonObject tls = new JsonObject();
            tls.addProperty("verify", false);
            livy.add("tls", tls);
        }
        JsonObject session = new JsonObject();
        JsonObject defaults = Json.object(root, "session_configs_defaults");
        JsonMerge.deep(defaults, Json.object(root, "session_configs"));
        session.add("defaults", defaults);
        copyNumber(root, "livy_session_startup_timeout_seconds", session, "startupTimeoutSeconds");
        copyNumber(root, "heartbeat_refresh_seconds", session, "heartbeatIntervalSeconds");
        copyNumber(root, "livy_server_heartbeat_timeout_seconds", session, "heartbeatTimeoutSeconds");
        livy.add("session", session);
        return livy;
    }

    private static void copyString(JsonObject from, String key, JsonObject to, String as) {
        String value = Json.string(from, key, "");
        if (!value.isEmpty()) {
            to.addProperty(as, value);
        }
    }

    private static void copyNumber(JsonObject from, String key, JsonObject to, String as) {
        JsonElement e = from.get(key);
        if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            to.add(as, e);
        }
    }
}
