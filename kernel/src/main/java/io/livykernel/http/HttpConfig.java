package io.livykernel.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.messages.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The HTTP keys of the configuration file's "livy" section, which every endpoint shares: username / password
 * (passwordEnv), auth (Kerberos or a bearer token), headers, connectTimeoutSeconds, requestTimeoutSeconds and tls.
 * See the README.
 */
public final class HttpConfig {
    private HttpConfig() {
    }

    /** The checked HTTP settings of {@code config}; a ConfigException names the file and what is wrong. */
    public static HttpSettings from(KernelConfig config) throws ConfigException {
        return from(config, System.getenv());
    }

    /** {@link #from(KernelConfig)} with the environment {@code env} (for livy.auth.tokenEnv). */
    static HttpSettings from(KernelConfig config, Map<String, String> env) throws ConfigException {
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
                    !Json.bool(tls, "verify", true), null, user, password, kerberos(Json.object(livy, "auth"), where),
                    bearer(Json.object(livy, "auth"), where, env));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    /** livy.auth: {"type": "kerberos", "principal", "keytab", "ticketCache", "service", "hostname"}; null for none. */
    private static KerberosSettings kerberos(JsonObject auth, String where) throws ConfigException {
        String type = Json.string(auth, "type", "none");
        if (type.equalsIgnoreCase("none") || type.equalsIgnoreCase("basic") || type.equalsIgnoreCase("bearer")) {
            return null;
        }
        if (!type.equalsIgnoreCase("kerberos")) {
            throw new ConfigException(where + ": livy.auth.type must be \"kerberos\" or \"bearer\" (or \"none\"), was"
                    + " \"" + type + "\"; Basic auth is livy.username and livy.password");
        }
        String keytab = Json.string(auth, "keytab", null);
        return new KerberosSettings(Json.string(auth, "principal", null),
                keytab == null || keytab.isBlank() ? null : Path.of(keytab), Json.string(auth, "ticketCache", null),
                Json.string(auth, "service", null), Json.string(auth, "hostname", null));
    }

    /**
     * livy.auth with "type": "bearer": exactly one of "tokenEnv", "tokenFile" or "tokenCommand" (with
     * "tokenCommandTimeoutSeconds"); null for another type.
     */
    private static TokenSource bearer(JsonObject auth, String where, Map<String, String> env) throws ConfigException {
        if (!Json.string(auth, "type", "none").equalsIgnoreCase("bearer")) {
            return null;
        }
        List<String> given = Stream.of("tokenEnv", "tokenFile", "tokenCommand").filter(auth::has).toList();
        if (given.size() != 1) {
            throw new ConfigException(where + ": livy.auth.type \"bearer\" needs exactly one of livy.auth.tokenEnv,"
                    + " livy.auth.tokenFile or livy.auth.tokenCommand" + (given.isEmpty() ? ""
                    : ", not " + given.stream().map(k -> "livy.auth." + k).collect(Collectors.joining(" and "))));
        }
        switch (given.get(0)) {
            case "tokenEnv" -> {
                String variable = Json.string(auth, "tokenEnv", "");
                String value = env.get(variable);
                if (variable.isBlank() || value == null || value.isBlank()) {
                    throw new ConfigException(where + ": livy.auth.tokenEnv names the environment variable "
                            + (variable.isBlank() ? "\"\"" : variable) + ", which is not set in the kernel's"
                            + " environment");
                }
                return new TokenSource.Env(variable);
            }
            case "tokenFile" -> {
                String file = Json.string(auth, "tokenFile", "");
                Path path = file.isBlank() ? null : Path.of(file);
                if (path == null || !Files.isRegularFile(path) || !Files.isReadable(path)) {
                    throw new ConfigException(where + ": livy.auth.tokenFile " + (path == null ? "is empty"
                            : path + " cannot be read (no such file, or no permission)"));
                }
                return new TokenSource.File(path);
            }
            default -> {
                JsonElement command = auth.get("tokenCommand");
                List<String> argv = new ArrayList<>();
                if (command.isJsonArray()) {
                    for (JsonElement arg : command.getAsJsonArray()) {
                        argv.add(arg.isJsonPrimitive() ? arg.getAsString() : null);
                    }
                }
                if (argv.isEmpty() || argv.contains(null) || argv.get(0).isBlank()) {
                    throw new ConfigException(where + ": livy.auth.tokenCommand must be a list of strings, the"
                            + " program first (it runs without a shell), e.g. [\"az\", \"account\","
                            + " \"get-access-token\", \"--resource\", \"https://api.fabric.microsoft.com\"]");
                }
                if (!runnable(argv.get(0), env.getOrDefault("PATH", ""))) {
                    throw new ConfigException(where + ": livy.auth.tokenCommand runs " + argv.get(0) + ", which is not"
                            + (argv.get(0).contains("/") ? " an executable file" : " on the kernel's PATH"));
                }
                return new TokenSource.Command(argv, seconds(auth, "tokenCommandTimeoutSeconds", 30, where));
            }
        }
    }

    /** True when {@code program} is an executable file, as given or (a bare name) in a directory of {@code path}. */
    private static boolean runnable(String program, String path) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        return Stream.of(path.split(java.io.File.pathSeparator)).filter(d -> !d.isEmpty())
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
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
