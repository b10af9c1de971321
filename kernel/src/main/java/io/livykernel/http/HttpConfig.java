package io.livykernel.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.messages.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP keys of the configuration file's "livy" section, which every endpoint shares: username / password
 * (passwordEnv), auth (Kerberos), headers, connectTimeoutSeconds, requestTimeoutSeconds and tls. See the README.
 */
public final class HttpConfig {
    private HttpConfig() {
    }

    /** The checked HTTP settings of {@code config}; a ConfigException names the file and what is wrong. */
    public static HttpSettings from(KernelConfig config) throws ConfigException {
        JsonObject livy = config.section("livy");
        String where = config.source() == null ? "the configuration" : config.source().toString();
        try {
            String user = Json.string(livy, "username", null);
            String password = null;
            if (user != null) {
                password = Json.string(livy, "password", null);
                String passwordEnv = Json.string(livy, "passwordEnv", null);
                if (password == null && passwordEnv != null) {
                    password = System.getenv(passwordEnv);
                }
                password = password == null ? "" : password;
            }
            JsonObject tls = Json.object(livy, "tls");
            String trustStore = Json.string(tls, "trustStore", null);
            return new HttpSettings(strings(Json.object(livy, "headers"), where + ": livy.headers"),
                    seconds(livy, "connectTimeoutSeconds", 10, where),
                    seconds(livy, "requestTimeoutSeconds", 30, where),
                    trustStore == null ? null : new HttpSettings.TrustStore(Path.of(trustStore),
                            Json.string(tls, "trustStorePassword", null), Json.string(tls, "trustStoreType", "PKCS12")),
                    !Json.bool(tls, "verify", true), null, user, password, kerberos(Json.object(livy, "auth"), where));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
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
