package io.livykernel.messages;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The one Gson configuration used for every message and REST body: nulls kept, HTML not escaped. */
public final class Json {
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private Json() {
    }

    public static Gson gson() {
        return GSON;
    }

    /** Parses a JSON object; throws {@link com.google.gson.JsonParseException} or IllegalStateException otherwise. */
    public static JsonObject parseObject(String text) {
        JsonElement element = JsonParser.parseString(text);
        if (!element.isJsonObject()) {
            throw new IllegalStateException("expected a JSON object, got " + kind(element));
        }
        return element.getAsJsonObject();
    }

    public static String toJson(Object value) {
        return GSON.toJson(value);
    }

    public static String string(JsonObject object, String key, String fallback) {
        JsonElement e = object == null ? null : object.get(key);
        return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? fallback : e.getAsString();
    }

    public static boolean bool(JsonObject object, String key, boolean fallback) {
        JsonElement e = object == null ? null : object.get(key);
        if (e == null || e.isJsonNull() || !e.isJsonPrimitive()) {
            return fallback;
        }
        return e.getAsJsonPrimitive().isBoolean() ? e.getAsBoolean() : fallback;
    }

    public static int integer(JsonObject object, String key, int fallback) {
        JsonElement e = object == null ? null : object.get(key);
        if (e == null || e.isJsonNull() || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            return fallback;
        }
        return e.getAsInt();
    }

    public static JsonObject object(JsonObject object, String key) {
        JsonElement e = object == null ? null : object.get(key);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
    }

    private static String kind(JsonElement e) {
        if (e.isJsonArray()) {
            return "an array";
        }
        if (e.isJsonNull()) {
            return "null";
        }
        return "a " + (e.getAsJsonPrimitive().isString() ? "string" : "scalar");
    }
}
