package io.livykernel.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Output data keyed by mime type, e.g. text/plain and text/html. Immutable. */
public final class MimeBundle {
    private final Map<String, JsonElement> data;

    private MimeBundle(Map<String, JsonElement> data) {
        this.data = Collections.unmodifiableMap(data);
    }

    public static MimeBundle text(String text) {
        return builder().text(text).build();
    }

    public static MimeBundle textAndHtml(String text, String html) {
        return builder().text(text).html(html).build();
    }

    public static MimeBundle fromJson(JsonObject data) {
        Builder b = builder();
        data.entrySet().forEach(e -> b.put(e.getKey(), e.getValue()));
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The values by mime type; copies, since JSON trees are mutable. */
    public Map<String, JsonElement> data() {
        Map<String, JsonElement> copy = new LinkedHashMap<>();
        data.forEach((mime, value) -> copy.put(mime, value.deepCopy()));
        return Collections.unmodifiableMap(copy);
    }

    /** The text/plain representation, or null. */
    public String plainText() {
        JsonElement e = data.get("text/plain");
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    public boolean isEmpty() {
        return data.isEmpty();
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        data.forEach((k, v) -> o.add(k, v.deepCopy()));
        return o;
    }

    public static final class Builder {
        private final Map<String, JsonElement> data = new LinkedHashMap<>();

        public Builder text(String text) {
            return put("text/plain", new JsonPrimitive(text));
        }

        public Builder html(String html) {
            return put("text/html", new JsonPrimitive(html));
        }

        public Builder put(String mimeType, JsonElement value) {
            data.put(mimeType, value.deepCopy());
            return this;
        }

        public Builder put(String mimeType, String value) {
            return put(mimeType, new JsonPrimitive(value));
        }

        public MimeBundle build() {
            return new MimeBundle(new LinkedHashMap<>(data));
        }
    }
}
