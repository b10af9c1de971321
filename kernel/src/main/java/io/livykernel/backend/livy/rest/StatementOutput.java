package io.livykernel.backend.livy.rest;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a finished statement. With status "ok", {@code data} maps mime types to values:
 * "text/plain" (captured stdout/stderr and the last expression's repr), "application/json" (%json magic,
 * or {schema, data} for kind sql), "application/vnd.livy.table.v1+json" ({headers, data} from %table),
 * "image/png" (base64, from %matplot). With status "error", {@code ename}, {@code evalue} and
 * {@code traceback} describe the exception (a SyntaxError's traceback is only the caret lines).
 *
 * @param executionCount Livy's counter for the statement; null if the server did not send one
 */
public record StatementOutput(String status, Integer executionCount, Map<String, JsonElement> data,
                              String ename, String evalue, List<String> traceback) {

    public StatementOutput {
        Map<String, JsonElement> copy = new LinkedHashMap<>();
        if (data != null) {
            data.forEach((mime, value) -> copy.put(mime, value.deepCopy()));
        }
        data = Collections.unmodifiableMap(copy);
        traceback = traceback == null ? List.of() : List.copyOf(traceback);
    }

    /** The values by mime type, in Livy's order. Returns copies: JSON trees are mutable. */
    @Override
    public Map<String, JsonElement> data() {
        Map<String, JsonElement> copy = new LinkedHashMap<>();
        data.forEach((mime, value) -> copy.put(mime, value.deepCopy()));
        return Collections.unmodifiableMap(copy);
    }

    /** True when the code raised: the statement itself still ends "available". */
    public boolean isError() {
        return "error".equals(status);
    }

    static StatementOutput fromJson(JsonObject o) {
        Map<String, JsonElement> data = new LinkedHashMap<>();
        JsonFields.object(o, "data").entrySet().forEach(entry -> {
            if (!entry.getValue().isJsonNull()) {
                data.put(entry.getKey(), entry.getValue());
            }
        });
        // Lighter's Output is serialised with Java's field names: executionCount.
        Integer count = o.has("execution_count") ? JsonFields.optionalInt(o, "execution_count")
                : JsonFields.optionalInt(o, "executionCount");
        return new StatementOutput(JsonFields.string(o, "status"), count,
                data, JsonFields.string(o, "ename"), JsonFields.string(o, "evalue"),
                traceback(o));
    }

    /** Livy sends the traceback's lines; Lighter one text. */
    private static List<String> traceback(JsonObject o) {
        JsonElement e = o.get("traceback");
        return e != null && e.isJsonPrimitive() ? List.of(e.getAsString()) : JsonFields.strings(o, "traceback");
    }
}
