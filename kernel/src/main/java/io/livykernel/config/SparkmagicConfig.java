package io.livykernel.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.messages.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads an existing sparkmagic {@code config.json} as our own "livy" section, so that a team can switch
 * kernels without rewriting its set-up: credentials, custom headers, TLS, session configs (defaults
 * deep-merged under the configs, as sparkmagic does), start-up timeout and heartbeat settings.
 */
final class SparkmagicConfig {

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
        String auth = Json.string(credentials, "auth", "None");
        String user = Json.string(credentials, "username", "");
        if (auth.equalsIgnoreCase("Kerberos")) {
            livy.add("auth", kerberos(Json.object(root, "kerberos_auth_configuration")));
        } else if (!user.isEmpty()) {
            livy.addProperty("username", user);
            String password = Json.string(credentials, "password", "");
            String encoded = Json.string(credentials, "base64_password", "");
            if (password.isEmpty() && !encoded.isEmpty()) {
                password = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            }
            livy.addProperty("password", password);
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
        if (Json.integer(root, "livy_server_heartbeat_timeout_seconds", 0) > 0) { // sparkmagic's 0: no timeout sent; we keep ours
            copyNumber(root, "livy_server_heartbeat_timeout_seconds", session, "heartbeatTimeoutSeconds");
        }
        livy.add("session", session);
        return livy;
    }

    /**
     * Our livy.auth for sparkmagic's Kerberos, whose requests-kerberos options (kerberos_auth_configuration)
     * map as: principal, service, hostname_override. sparkmagic reads the kinit ticket cache only, so do we.
     */
    private static JsonObject kerberos(JsonObject options) {
        JsonObject auth = new JsonObject();
        auth.addProperty("type", "kerberos");
        copyString(options, "principal", auth, "principal");
        copyString(options, "service", auth, "service");
        copyString(options, "hostname_override", auth, "hostname");
        return auth;
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
