package io.livykernel.backend.livy.rest;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Lenient readers for Livy's JSON. Livy versions differ in which fields they send and send null for
 * "not known yet", so a missing field, a JSON null or an unexpected type reads as the fallback instead
 * of failing: the client must keep working against servers newer or older than the samples.
 */
final class JsonFields {
    /** Request bodies: null fields are left out, which is how Livy tells "not set" from a value. */
    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    /** Livy's answers nest a few levels (an output's table, a session's conf); anything deeper is not Livy. */
    static final int MAX_DEPTH = 200;

    private JsonFields() {
    }

    /**
     * Parses a response body that must be a JSON object; throws JsonParseException with a short reason
     * otherwise (no parser internals, no advice meant for Gson's users).
     */
    static JsonObject parseObject(String text) {
        checkDepth(text);
        JsonElement element;
        try {
            element = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            String detail = String.valueOf(e.getMessage());
            throw new JsonParseException(detail.contains("End of input") ? "cut short (truncated JSON)"
                    : "not valid JSON", e);
        }
        if (!element.isJsonObject()) {
            throw new JsonParseException("expected a JSON object");
        }
        return element.getAsJsonObject();
    }

    /** Refuses nesting deeper than {@link #MAX_DEPTH} before anything recursive walks the tree. */
    private static void checkDepth(String text) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                if (++depth > MAX_DEPTH) {
                    throw new JsonParseException("nested deeper than " + MAX_DEPTH + " levels");
                }
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
    }

    /** A scalar as text; a nested object or array as its JSON text; null when absent or null. */
    static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        return e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }

    /**
     * An id (session, statement, batch) as opaque text: Livy sends numbers, Lighter UUID strings. A number
     * keeps the digits the server sent ("0", never "0.0"); null when absent or not a scalar.
     */
    static String id(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    static Integer optionalInt(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        return e.getAsInt();
    }

    static int integer(JsonObject o, String key, int fallback) {
        Integer value = optionalInt(o, key);
        return value == null ? fallback : value;
    }

    static long longValue(JsonObject o, String key, long fallback) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsLong() : fallback;
    }

    static double doubleValue(JsonObject o, String key, double fallback) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsDouble() : fallback;
    }

    /** The object under {@code key}, or an empty object, so nested readers need no null checks. */
    static JsonObject object(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
    }

    /** The object under {@code key}, or null when absent, null or not an object. */
    static JsonObject optionalObject(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    /** A list of strings; null elements are dropped and other scalars are read as text. */
    static List<String> strings(JsonObject o, String key) {
        return list(o, key, e -> e.isJsonPrimitive() ? e.getAsString() : null);
    }

    /** A list of objects read by {@code reader}; elements that are not objects are skipped. */
    static <T> List<T> objects(JsonObject o, String key, Function<JsonObject, T> reader) {
        return list(o, key, e -> e.isJsonObject() ? reader.apply(e.getAsJsonObject()) : null);
    }

    /** A string-to-string map such as Spark conf; non-scalar values are kept as their JSON text. */
    static Map<String, String> stringMap(JsonObject o, String key) {
        Map<String, String> map = new LinkedHashMap<>();
        object(o, key).entrySet().forEach(entry -> {
            JsonElement v = entry.getValue();
            if (!v.isJsonNull()) {
                map.put(entry.getKey(), v.isJsonPrimitive() ? v.getAsString() : v.toString());
            }
        });
        return map;
    }

    private static <T> List<T> list(JsonObject o, String key, Function<JsonElement, T> reader) {
        JsonElement e = o.get(key);
        List<T> values = new ArrayList<>();
        if (e != null && e.isJsonArray()) {
            for (JsonElement item : e.getAsJsonArray()) {
                T value = item.isJsonNull() ? null : reader.apply(item);
                if (value != null) {
                    values.add(value);
                }
            }
        }
        return values;
    }
}
