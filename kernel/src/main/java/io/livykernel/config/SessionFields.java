package io.livykernel.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of Livy's POST /sessions a notebook or the platform may set (plus our condaEnv), with the
 * checks each value must pass; used for %%configure and for the configuration file's session defaults.
 */
public final class SessionFields {
    enum Type { STRING, INT, MEMORY, DURATION, LIST, CONF, CONDA }

    private static final Map<String, Type> KEYS = new LinkedHashMap<>();

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
        KEYS.put("ttl", Type.DURATION);
        KEYS.put("idleTimeout", Type.DURATION);
        KEYS.put("condaEnv", Type.CONDA);
    }

    private SessionFields() {
    }

    public static Set<String> names() {
        return Collections.unmodifiableSet(KEYS.keySet());
    }

    /**
     * Every problem of {@code settings}, each a sentence beginning with {@code prefix} and the key; keys in
     * {@code locked} are refused as the administrator's.
     */
    public static List<String> problems(JsonObject settings, String prefix, Set<String> locked) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : settings.entrySet()) {
            Type type = KEYS.get(e.getKey());
            String problem;
            if (type == null) {
                problem = unknownKey(e.getKey());
            } else if (locked.contains(e.getKey())) {
                problem = "'" + e.getKey() + "' is set by your platform administrators and cannot be changed"
                        + " from a notebook";
            } else {
                problem = check(e.getKey(), type, e.getValue());
            }
            if (problem != null) {
                problems.add(prefix + problem);
            }
        }
        return problems;
    }

    private static String check(String key, Type type, JsonElement value) {
        return switch (type) {
            case STRING -> isString(value) ? null : key + " must be a string, e.g. \"" + key + "\": \"...\"";
            case INT -> isWholeNumber(value) ? null : key + " must be a whole number, e.g. \"" + key + "\": 2 (got "
                    + value + ")";
            case MEMORY -> checkMemory(key, value);
            case DURATION -> isString(value) && LivyDuration.parse(value.getAsString()).isPresent() ? null
                    : LivyDuration.problem(key, isString(value) ? "'" + value.getAsString() + "'" : value.toString());
            case LIST -> isStringList(value) ? null : key + " must be a list of strings, e.g. [\"hdfs:///libs/a.zip\"]";
            case CONF -> checkConf(value);
            case CONDA -> checkConda(value);
        };
    }

    private static String checkMemory(String key, JsonElement value) {
        String problem = isString(value) ? SparkSize.problem(value.getAsString()) : "not a string";
        return problem == null ? null : key + " must be a size Spark understands: " + SparkSize.ACCEPTED + " (got "
                + value + ": " + problem + ")";
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

    private static String unknownKey(String key) {
        return "unknown key '" + key + "'" + Spelling.closest(key, KEYS.keySet())
                .map(close -> " (did you mean '" + close + "'?)").orElse("")
                + ". Valid keys: " + String.join(", ", KEYS.keySet());
    }

    private static boolean isString(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    private static boolean isWholeNumber(JsonElement e) {
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
