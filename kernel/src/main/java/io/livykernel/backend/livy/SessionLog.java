package io.livykernel.backend.livy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * A slice of a session's or batch's log (GET .../log): lines {@code from} to {@code from + log.size()} of
 * {@code total}. The lines are spark-submit's stdout/stderr and, on YARN, the application's diagnostics.
 */
public record SessionLog(String id, int from, int total, List<String> log) {
    public SessionLog {
        log = log == null ? List.of() : List.copyOf(log);
    }

    static SessionLog fromJson(JsonObject o) {
        return new SessionLog(JsonFields.id(o, "id"), JsonFields.integer(o, "from", 0),
                JsonFields.integer(o, "total", 0), lines(o));
    }

    /** Livy sends lines; Lighter a batch's log (and a session's, to non-sparkmagic clients) as one text. */
    private static List<String> lines(JsonObject o) {
        JsonElement e = o.get("log");
        return e != null && e.isJsonPrimitive() ? List.of(e.getAsString().split("\n", -1)) : JsonFields.strings(o, "log");
    }
}
