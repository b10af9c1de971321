package io.livykernel.backend.livy.rest;

import com.google.gson.JsonObject;
import java.util.List;

/**
 * A slice of a session's or batch's log (GET .../log): lines {@code from} to {@code from + log.size()} of
 * {@code total}. The lines are spark-submit's stdout/stderr and, on YARN, the application's diagnostics.
 */
public record SessionLog(int id, int from, int total, List<String> log) {
    public SessionLog {
        log = log == null ? List.of() : List.copyOf(log);
    }

    static SessionLog fromJson(JsonObject o) {
        return new SessionLog(JsonFields.integer(o, "id", -1), JsonFields.integer(o, "from", 0),
                JsonFields.integer(o, "total", 0), JsonFields.strings(o, "log"));
    }
}
