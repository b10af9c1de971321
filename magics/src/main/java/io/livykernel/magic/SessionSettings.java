package io.livykernel.magic;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import io.livykernel.config.CondaEnvironment;
import io.livykernel.execution.UserFacingException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of %%configure, checked before anything is sent: JSON (errors with line and column), known
 * keys of Livy's POST /sessions (unknown ones with a did-you-mean), their types, memory sizes Spark
 * accepts, keys the administrator locked, and our {@code condaEnv} key, expanded into the archive and the
 * PYSPARK_PYTHON settings that make driver and executors run the packed environment.
 */
public final class SessionSettings {
    enum Type { STRING, INT, MEMORY, LIST, CONF, CONDA }

    static final Map<String, Type> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("driverMemory", Type.MEMORY);
        KEYS.put("driverCores", Type.INT);
        KEYS.put("executorMemory", Type.MEMORY);
        KEYS.put("executorCores", Type.INT);
        KEYS.put("numExecutors", Type.INT);
        KEYS.put("queue", Type.STRING);
        KEYS.put("name", Type.STRING);
        KEYS.put("conf", Type.CONF);
        KEYS.put("jars", Type.LIST);
        KEYS.put("pyFiles", Type.LIST);
        KEYS.put("files", Type.LIST);
        KEYS.put("archives", Type.LIST);
        KEYS.put("proxyUser", Type.STRING);
        KEYS.put("heartbeatTimeoutInSecond", Type.INT);
        KEYS.put("ttl", Type.STRING);
        KEYS.put("idleTimeout", Type.STRING);
        KEYS.put("condaEnv", Type.CONDA);
    }

    /** Sizes as Spark reads them: a number with an optional unit, no space (512m, 4g, 2048). */
    private static final Pattern MEMORY = Pattern.compile("[0-9]+([kmgtp]b?|b)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token|credential|key).*");

    private SessionSettings() {
    }

    /** Parses and checks the body; returns the settings to send, with condaEnv expanded. */
    public static JsonObject parse(String body, Set<String> locked) throws UserFacingException {
        JsonObject settings = readObject(body);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : settings.entrySet()) {
            Type type = KEYS.get(e.getKey());
            if (type == null) {
                problems.add(unknownKey(e.getKey()));
            } else if (locked.contains(e.getKey())) {
                problems.add("'" + e.getKey() + "' is set by your platform administrators and cannot be changed"
                        + " from a notebook");
            } else {
                String problem = check(e.getKey(), type, e.getValue());
                if (problem != null) {
                    problems.add(problem);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new UserFacingException("ConfigurationError", "%%configure was not applied; nothing changed:\n  - "
                    + String.join("\n  - ", problems));
        }
        return expandConda(settings);
    }

    private static JsonObject readObject(String body) throws UserFacingException {
        JsonReader reader = new JsonReader(new StringReader(body));
        reader.setStrictness(Strictness.STRICT);
        JsonElement parsed;
        try {
            parsed = com.google.gson.JsonParser.parseReader(reader);
            if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
                throw new JsonParseException("unexpected text after the JSON object at " + position(reader));
            }
        } catch (JsonParseException | IllegalStateException | IOException e) {
            String reason = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                    : e.getMessage();
            throw new UserFacingException("ConfigurationError", "The %%configure body is not valid JSON: "
                    + cleanGsonMessage(reason) + ". Nothing changed.\nExample:\n%%configure -f\n"
                    + "{\"executorMemory\": \"4g\", \"conf\": {\"spark.sql.shuffle.partitions\": \"64\"}}");
        }
        if (parsed == null || !parsed.isJsonObject()) {
            throw new UserFacingException("ConfigurationError", "The %%configure body must be a JSON object"
                    + " ({\"key\": value, ...}). Nothing changed.");
        }
        return parsed.getAsJsonObject();
    }

    private static String position(JsonReader reader) {
        String where = reader.toString();
        int at = where.indexOf(" at line ");
        return at < 0 ? "the end" : where.substring(at + 4);
    }

    /** Gson appends a troubleshooting link; the user needs the line and column only. */
    private static String cleanGsonMessage(String message) {
        String text = message == null ? "malformed JSON" : message;
        int see = text.indexOf("\nSee ");
        text = see < 0 ? text : text.substring(0, see);
        return text.replace("path $", "in $").trim();
    }

    private static String check(String key, Type type, JsonElement value) {
        return switch (type) {
            case STRING -> isString(value) ? null : key + " must be a string, e.g. \"" + key + "\": \"...\"";
            case INT -> isPositiveInt(value) ? null : key + " must be a whole number, e.g. \"" + key + "\": 2 (got "
                    + value + ")";
            case MEMORY -> isString(value) && MEMORY.matcher(value.getAsString()).matches() ? null
                    : key + " must be a size Spark understands, such as \"512m\" or \"4g\" (no space; got " + value + ")";
            case LIST -> isStringList(value) ? null : key + " must be a list of strings, e.g. [\"hdfs:///libs/a.zip\"]";
            case CONF -> checkConf(value);
            case CONDA -> checkConda(value);
        };
    }

    private static String checkConf(JsonElement value) {
        if (!value.isJsonObject()) {
            return "conf must be an object of Spark settings, e.g. {\"spark.sql.shuffle.partitions\": \"64\"}";
        }
        for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
            if (!e.getValue().isJsonPrimitive()) {
                return "conf." + e.getKey() + " must be a string, number or boolean (Spark settings are text)";
            }
        }
        return null;
    }

    private static String checkConda(JsonElement value) {
        if (isString(value) && !value.getAsString().isBlank()) {
            return null;
        }
        if (value.isJsonObject() && isString(value.getAsJsonObject().get("archive"))) {
            JsonElement python = value.getAsJsonObject().get("python");
            return python == null || isString(python) ? null : "condaEnv.python must be a path inside the archive,"
                    + " e.g. \"bin/python\"";
        }
        return "condaEnv must be the archive's URI, e.g. \"hdfs:///envs/team-ml.zip\", or"
                + " {\"archive\": URI, \"python\": \"bin/python\"}";
    }

    /** condaEnv becomes the archive and PYSPARK_PYTHON settings (shared with {@code submit --conda-env}). */
    static JsonObject expandConda(JsonObject settings) {
        return CondaEnvironment.expandInto(settings);
    }

    /** A copy fit for display: values of settings whose names suggest secrets are masked. */
    public static JsonObject redacted(JsonObject request) {
        JsonObject copy = request.deepCopy();
        if (copy.has("conf") && copy.get("conf").isJsonObject()) {
            JsonObject conf = copy.getAsJsonObject("conf");
            for (String key : new ArrayList<>(conf.keySet())) {
                if (SECRET.matcher(key).matches()) {
                    conf.add(key, new JsonPrimitive("***"));
                }
            }
        }
        return copy;
    }

    private static String unknownKey(String key) {
        List<String> close = KEYS.keySet().stream()
                .filter(k -> MagicRegistry.distance(k.toLowerCase(Locale.ROOT), key.toLowerCase(Locale.ROOT)) <= 3)
                .sorted(Comparator.comparingInt(k -> MagicRegistry.distance(k.toLowerCase(Locale.ROOT),
                        key.toLowerCase(Locale.ROOT))))
                .toList();
        return "unknown key '" + key + "'" + (close.isEmpty() ? "" : " (did you mean '" + close.get(0) + "'?)")
                + ". Valid keys: " + String.join(", ", KEYS.keySet());
    }

    private static boolean isString(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    private static boolean isPositiveInt(JsonElement e) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            return false;
        }
        double d = e.getAsDouble();
        return d >= 0 && d == Math.rint(d) && d <= Integer.MAX_VALUE;
    }

    private static boolean isStringList(JsonElement e) {
        if (e == null || !e.isJsonArray()) {
            return false;
        }
        for (JsonElement item : e.getAsJsonArray()) {
            if (!isString(item)) {
                return false;
            }
        }
        return true;
    }
}
