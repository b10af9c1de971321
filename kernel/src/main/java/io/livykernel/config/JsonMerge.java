package io.livykernel.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;

/** Deep merge of JSON objects, the rule by which notebook settings go over platform defaults. */
public final class JsonMerge {
    private JsonMerge() {
    }

    /** Merges {@code overlay} into {@code base}: nested objects (such as conf) key by key, anything else replaces. */
    public static void deep(JsonObject base, JsonObject overlay) {
        for (Map.Entry<String, JsonElement> e : overlay.entrySet()) {
            JsonElement existing = base.get(e.getKey());
            if (existing != null && existing.isJsonObject() && e.getValue().isJsonObject()) {
                deep(existing.getAsJsonObject(), e.getValue().getAsJsonObject());
            } else {
                base.add(e.getKey(), e.getValue().deepCopy());
            }
        }
    }
}
