package io.livykernel.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every key the configuration file may hold (ours, and sparkmagic's config.json), each with its type,
 * range and meaning. {@link #problems} checks a whole file against it: unknown keys (with a did-you-mean),
 * wrong types and out-of-range values, each named by its path. Values of secret keys are never quoted.
 * A top-level object whose name is not close to any of ours is left alone: extensions read their own
 * sections through {@link KernelConfig#section}.
 */
public final class ConfigSchema {
    /** What a value must be; {@code describe} completes "must be ...". */
    enum Kind { SECTION, STRING, SECRET, URL, BOOLEAN, WHOLE, FRACTION, CHOICE, SECRET_MAP, STRING_LIST, SESSION, ANY,
        BASE64_SECRET }

    /**
     * One key: its dotted path, type, range (WHOLE), choices (CHOICE), meaning, and {@code detail}: the unit
     * of a WHOLE ("seconds"), the example of a SECTION.
     */
    record Key(String path, Kind kind, long min, long max, String detail, List<String> choices, String meaning) {
        String parent() {
            int dot = path.lastIndexOf('.');
            return dot < 0 ? "" : path.substring(0, dot);
        }

        String name() {
            return path.substring(path.lastIndexOf('.') + 1);
        }
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();
    private static final long NO_MAX = Long.MAX_VALUE;

    static {
        section("livy", "how to reach Livy and how this kernel's sessions are made", "{\"url\": \"http://livy:8998\"}");
        key("livy.url", Kind.URL, "Livy endpoint; none means the embedded local backend");
        choice("livy.flavor", "the server behind livy.url: Apache Livy or exacaster's Lighter", "livy", "lighter");
        key("livy.username", Kind.STRING, "HTTP Basic auth user");
        key("livy.password", Kind.SECRET, "HTTP Basic auth password");
        key("livy.passwordEnv", Kind.STRING, "environment variable holding the password");
        section("livy.auth", "authentication", "{\"type\": \"kerberos\"}");
        choice("livy.auth.type", "kerberos for SPNEGO, bearer for a token", "kerberos", "bearer", "none", "basic");
        key("livy.auth.tokenEnv", Kind.STRING, "bearer: the environment variable holding the token");
        key("livy.auth.tokenFile", Kind.STRING, "bearer: a file holding the token");
        key("livy.auth.tokenCommand", Kind.STRING_LIST, "bearer: argv printing the token");
        whole("livy.auth.tokenCommandTimeoutSeconds", 1, 3600, "seconds", "how long the token command may run");
        key("livy.auth.principal", Kind.STRING, "who logs in");
        key("livy.auth.keytab", Kind.STRING, "keytab to log in with");
        key("livy.auth.ticketCache", Kind.STRING, "the ticket cache to read");
        key("livy.auth.service", Kind.STRING, "service part of Livy's principal");
        key("livy.auth.hostname", Kind.STRING, "host part of Livy's principal");
        key("livy.headers", Kind.SECRET_MAP, "headers sent with every request");
        key("livy.requestedBy", Kind.STRING, "value of X-Requested-By");
        whole("livy.connectTimeoutSeconds", 1, 600, "seconds", "HTTP connect timeout");
        whole("livy.requestTimeoutSeconds", 1, 3600, "seconds", "HTTP request timeout");
        section("livy.tls", "TLS", "{\"trustStore\": \"/etc/pki/livy.p12\"}");
        key("livy.tls.verify", Kind.BOOLEAN, "false accepts any certificate");
        key("livy.tls.trustStore", Kind.STRING, "certificates to trust");
        key("livy.tls.trustStorePassword", Kind.SECRET, "the trust store's password");
        key("livy.tls.trustStoreType", Kind.STRING, "the trust store's type (PKCS12, JKS)");
        section("livy.session", "how sessions are made", "{\"startupTimeoutSeconds\": 600}");
        key("livy.session.defaults", Kind.SESSION, "the platform's defaults for every session");
        choice("livy.session.kind", "session kind", "pyspark", "spark", "sparkr", "sql", "shared");
        whole("livy.session.startupTimeoutSeconds", 1, 86_400, "seconds", "how long a session may take to start");
        key("livy.session.createAtStart", Kind.BOOLEAN, "start the session when the kernel starts");
        whole("livy.session.heartbeatTimeoutSeconds", 1, NO_MAX, "seconds", "sent as heartbeatTimeoutInSecond");
        whole("livy.session.heartbeatIntervalSeconds", 1, 3600, "seconds", "how often the kernel tells Livy it is alive");
        key("livy.session.locked", Kind.STRING_LIST, "session keys notebooks may not change");
        // checked in full by the policy that reads them (SessionLimits, AccountingTags)
        key("livy.session.limits", Kind.ANY, "caps on what a session may ask for");
        key("livy.session.tags", Kind.ANY, "the platform's YARN tag");
        section("livy.output", "output", "{\"maxBytes\": 2097152}");
        whole("livy.output.maxBytes", 1024, Integer.MAX_VALUE, "bytes", "larger text output is cut");
        section("livy.batch", "batch jobs", "{\"staging\": {...}}");
        section("livy.batch.staging", "WebHDFS staging of batch files", "{\"webhdfsUrl\": \"http://namenode:9870\"}");
        key("livy.batch.staging.webhdfsUrl", Kind.URL, "WebHDFS endpoint");
        key("livy.batch.staging.directory", Kind.STRING, "staging directory");
        key("livy.batch.staging.user", Kind.STRING, "WebHDFS user");
        key("livy.batch.staging.fileSystem", Kind.STRING, "prefix of the staged paths");
        whole("livy.batch.staging.timeoutSeconds", 1, 86_400, "seconds", "upload timeout");
        section("magics", "magic defaults", "{\"sql\": {\"maxRows\": 2500}}");
        section("magics.sql", "%%sql defaults", "{\"maxRows\": 2500}");
        whole("magics.sql.maxRows", -1, Integer.MAX_VALUE, "rows", "%%sql -n");
        choice("magics.sql.sampleMethod", "%%sql -m", "take", "sample");
        key("magics.sql.sampleFraction", Kind.FRACTION, "%%sql -r");
        section("magics.sendToSpark", "%%send_to_spark defaults", "{\"maxBytes\": 10485760}");
        whole("magics.sendToSpark.maxRows", -1, Integer.MAX_VALUE, "rows", "%%send_to_spark -m");
        whole("magics.sendToSpark.maxBytes", 1, Integer.MAX_VALUE, "bytes", "largest value sent");
        section("analyze", "%%analyze", "{\"historyServerUrl\": \"http://history:18080\"}");
        key("analyze.historyServerUrl", Kind.URL, "Spark History Server");
        section("analyze.hint", "the line under a slow cell", "{\"enabled\": false}");
        key("analyze.hint.enabled", Kind.BOOLEAN, "false: slow cells are not analysed");
        whole("analyze.hint.slowCellSeconds", 1, 86_400, "seconds", "a cell that runs this long is analysed");
        section("yarn", "the YARN cluster, for what applications use", "{\"resourceManagerUrl\": \"http://rm:8088\"}");
        key("yarn.resourceManagerUrl", Kind.URL, "ResourceManager REST API (default: from each application's"
                + " YARN proxy address)");
        section("local", "the embedded local Python", "{\"python\": \"/usr/bin/python3\"}");
        key("local.python", Kind.STRING, "interpreter for the local backend");
        whole("local.startupTimeoutSeconds", 1, 3600, "seconds", "how long the local Python may take to start");
        sparkmagic();
    }

    /** sparkmagic's config.json: the keys we read are checked; the others are accepted and ignored. */
    private static void sparkmagic() {
        for (String credentials : List.of("kernel_python_credentials", "kernel_python3_credentials")) {
            section(credentials, "sparkmagic's Livy credentials", "{\"url\": \"http://livy:8998\"}");
            key(credentials + ".url", Kind.URL, "Livy endpoint");
            key(credentials + ".username", Kind.STRING, "Basic auth user");
            key(credentials + ".password", Kind.SECRET, "Basic auth password");
            key(credentials + ".base64_password", Kind.BASE64_SECRET, "Basic auth password, base64");
            choice(credentials + ".auth", "authentication", "None", "Basic_Access", "Kerberos");
        }
        section("kerberos_auth_configuration", "requests-kerberos options", "{\"principal\": \"alice@EXAMPLE.COM\"}");
        key("kerberos_auth_configuration.principal", Kind.STRING, "who logs in");
        key("kerberos_auth_configuration.service", Kind.STRING, "service part of Livy's principal");
        key("kerberos_auth_configuration.hostname_override", Kind.STRING, "host part of Livy's principal");
        for (String ignored : List.of("mutual_authentication", "delegate", "force_preemptive",
                "sanitize_mutual_error_response", "send_cbt")) {
            key("kerberos_auth_configuration." + ignored, Kind.ANY, "not used");
        }
        key("custom_headers", Kind.SECRET_MAP, "headers sent with every request");
        key("ignore_ssl_errors", Kind.BOOLEAN, "true accepts any certificate");
        key("session_configs", Kind.SESSION, "the session request");
        key("session_configs_defaults", Kind.SESSION, "defaults under session_configs");
        whole("livy_session_startup_timeout_seconds", 1, 86_400, "seconds", "session start timeout");
        whole("heartbeat_refresh_seconds", 1, 3600, "seconds", "heartbeat interval");
        whole("livy_server_heartbeat_timeout_seconds", 0, NO_MAX, "seconds", "heartbeatTimeoutInSecond (0: ours)");
        for (String ignored : List.of("kernel_scala_credentials", "kernel_r_credentials", "authenticators",
                "http_session_config", "wait_for_idle_timeout_seconds", "heartbeat_retry_seconds", "retry_policy",
                "retry_seconds_to_sleep_list", "configurable_retry_policy_max_retries", "default_maxrows",
                "default_samplemethod", "default_samplefraction", "coerce_dataframe", "use_auto_viz",
                "pyspark_dataframe_encoding", "fatal_error_suggestion", "resource_limit_mitigation_suggestion",
                "shutdown_session_on_spark_statement_errors", "all_errors_are_fatal", "cleanup_all_sessions_on_exit",
                "server_extension_default_kernel_name", "logging_config", "events_handler_class", "max_results_sql",
                "livy_session_startup_timeout_seconds_override", "status_sleep_seconds", "statement_sleep_seconds")) {
            key(ignored, Kind.ANY, "sparkmagic's, not used by this kernel");
        }
    }

    private ConfigSchema() {
    }

    /** Every problem of the file's content, each naming its key path; empty when the file is fine. */
    public static List<String> problems(JsonObject root) {
        List<String> problems = new ArrayList<>();
        checkSection("", root, problems);
        return problems;
    }

    /** Our own keys (not sparkmagic's), in order: what the README's configuration table documents. */
    static List<Key> ours() {
        return KEYS.values().stream().filter(k -> Character.isLowerCase(k.path().charAt(0))
                && !k.path().contains("_") && k.kind() != Kind.ANY).toList();
    }

    private static void checkSection(String prefix, JsonObject section, List<String> problems) {
        for (Map.Entry<String, JsonElement> e : section.entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            Key key = KEYS.get(path);
            JsonElement value = e.getValue();
            if (key == null && prefix.isEmpty() && value.isJsonObject()
                    && Spelling.closest(e.getKey(), KEYS.keySet()).isEmpty()) {
                continue; // a section of an extension's own (KernelConfig.section), not a typo of one of ours
            } else if (key == null) {
                problems.add(unknown(prefix, e.getKey()));
            } else if (value.isJsonNull()) {
                continue; // null is "not set", as an absent key
            } else if (key.kind() == Kind.SECTION) {
                if (value.isJsonObject()) {
                    checkSection(path, value.getAsJsonObject(), problems);
                } else {
                    problems.add(path + " must be an object of settings such as " + key.detail() + ", got "
                            + shown(key, value));
                }
            } else if (key.kind() == Kind.SESSION && value.isJsonObject()) {
                problems.addAll(SessionFields.problems(value.getAsJsonObject(), path + ".", Set.of()));
            } else {
                String wanted = wanted(key, value);
                if (wanted != null) {
                    problems.add(path + " must be " + wanted + ", got " + shown(key, value));
                }
            }
        }
    }

    /** What the value should have been, or null when it is fine. */
    private static String wanted(Key key, JsonElement value) {
        JsonPrimitive p = value.isJsonPrimitive() ? value.getAsJsonPrimitive() : null;
        boolean isString = p != null && p.isString();
        return switch (key.kind()) {
            case ANY -> null;
            case STRING, SECRET -> isString ? null : "a string";
            case URL -> isString && Urls.problem(p.getAsString()) == null ? null
                    : "an http(s) URL such as \"http://host:8998\"" + (isString ? " (" + Urls.problem(p.getAsString()) + ")" : "");
            case BOOLEAN -> p != null && p.isBoolean() ? null : "true or false";
            case CHOICE -> isString && key.choices().stream().anyMatch(c -> c.equalsIgnoreCase(p.getAsString())) ? null
                    : "\"" + key.choices().get(0) + "\" (or " + String.join(", ", key.choices().stream().skip(1)
                    .map(c -> "\"" + c + "\"").toList()) + ")";
            case FRACTION -> p != null && p.isNumber() && p.getAsDouble() > 0 && p.getAsDouble() <= 1 ? null
                    : "a number greater than 0 and at most 1";
            case WHOLE -> inRange(key, p) ? null : "a whole number of " + key.detail() + range(key);
            case SECRET_MAP -> stringMap(value) ? null : "an object of names and string values, {\"Name\": \"value\"}";
            case STRING_LIST -> stringList(value) ? null : "a list of strings, [\"...\"]";
            case SESSION -> "an object of session settings such as {\"executorMemory\": \"4g\"}";
            case BASE64_SECRET -> isString && base64(p.getAsString()) ? null : "base64 text";
            case SECTION -> throw new IllegalStateException("sections are checked by checkSection");
        };
    }

    private static boolean inRange(Key key, JsonPrimitive p) {
        if (p == null || !p.isNumber()) {
            return false;
        }
        BigDecimal number = p.getAsBigDecimal();
        if (number.stripTrailingZeros().scale() > 0) {
            return false;
        }
        return number.compareTo(BigDecimal.valueOf(key.min())) >= 0 && number.compareTo(BigDecimal.valueOf(key.max())) <= 0;
    }

    private static String range(Key key) {
        return key.max() == NO_MAX ? " >= " + key.min() : " from " + key.min() + " to " + key.max();
    }

    private static boolean stringMap(JsonElement value) {
        return value.isJsonObject() && value.getAsJsonObject().entrySet().stream()
                .allMatch(e -> e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isString());
    }

    private static boolean stringList(JsonElement value) {
        if (!value.isJsonArray()) {
            return false;
        }
        for (JsonElement item : value.getAsJsonArray()) {
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                return false;
            }
        }
        return true;
    }

    private static boolean base64(String text) {
        try {
            new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The value as the message quotes it: secrets only by their kind, URLs without credentials. */
    private static String shown(Key key, JsonElement value) {
        boolean secret = key.kind() == Kind.SECRET || key.kind() == Kind.SECRET_MAP || key.kind() == Kind.BASE64_SECRET;
        if (secret || value.isJsonObject() || value.isJsonArray()) {
            return kindOf(value) + (secret ? " (not shown: it may be a secret)" : "");
        }
        // a URL in the wrong place ("livy": "http://user:pw@host") keeps its credentials hidden too
        return value.getAsJsonPrimitive().isString() ? new JsonPrimitive(Urls.redacted(value.getAsString())).toString()
                : value.toString();
    }

    private static String kindOf(JsonElement value) {
        if (value.isJsonObject()) {
            return "an object";
        }
        if (value.isJsonArray()) {
            return "a list";
        }
        JsonPrimitive p = value.getAsJsonPrimitive();
        return p.isString() ? "a string" : p.isNumber() ? "a number" : "true/false";
    }

    private static String unknown(String prefix, String name) {
        String path = prefix.isEmpty() ? name : prefix + "." + name;
        List<String> siblings = KEYS.values().stream().filter(k -> k.parent().equals(prefix)).map(Key::name).toList();
        Optional<String> close = Spelling.closest(name, siblings);
        if (close.isPresent()) {
            return path + " is not a setting; did you mean " + (prefix.isEmpty() ? "" : prefix + ".") + close.get() + "?";
        }
        Optional<String> elsewhere = KEYS.keySet().stream()
                .filter(p -> p.toLowerCase(Locale.ROOT).endsWith("." + name.toLowerCase(Locale.ROOT))).findFirst();
        return path + " is not a setting" + elsewhere.map(p -> "; did you mean " + p + "?")
                .orElse(siblings.isEmpty() ? "" : " (" + (prefix.isEmpty() ? "top-level keys" : prefix + " has")
                        + ": " + String.join(", ", siblings.stream().filter(s -> !s.contains("_")).toList()) + ")");
    }

    private static void section(String path, String meaning, String example) {
        KEYS.put(path, new Key(path, Kind.SECTION, 0, 0, example, List.of(), meaning));
    }

    private static void key(String path, Kind kind, String meaning) {
        KEYS.put(path, new Key(path, kind, 0, 0, "", List.of(), meaning));
    }

    private static void whole(String path, long min, long max, String unit, String meaning) {
        KEYS.put(path, new Key(path, Kind.WHOLE, min, max, unit, List.of(), meaning));
    }

    private static void choice(String path, String meaning, String... choices) {
        KEYS.put(path, new Key(path, Kind.CHOICE, 0, 0, "", List.of(choices), meaning));
    }
}
