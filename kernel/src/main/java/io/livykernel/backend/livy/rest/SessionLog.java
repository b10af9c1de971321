package io.livykernel.backend.livy.rest;

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
        List<String> lines = lines(o);
        // Lighter sends the whole log, without from and total: read it as all of it.
        return new SessionLog(JsonFields.id(o, "id"), JsonFields.integer(o, "from", WHOLE),
                JsonFields.integer(o, "total", lines.size()), lines);
    }

    /** {@code from} of an answer that is the whole log whatever was asked (Lighter's). */
    private static final int WHOLE = -1;

    /** The slice asked for ({@code from}, {@code size}; null: Livy's default, the last 100 lines) of a whole log. */
    SessionLog slice(Integer from, Integer size) {
        if (this.from != WHOLE) {
            return this;
        }
        int count = size == null ? 100 : Math.max(0, size);
        int start = from == null ? Math.max(0, log.size() - count) : Math.min(Math.max(0, from), log.size());
        return new SessionLog(id, start, log.size(), log.subList(start, Math.min(log.size(), start + count)));
    }

    /**
     * Livy sends lines; Lighter a batch's log (and a session's, to non-sparkmagic clients) as one text, where a
     * final newline ends the last line rather than starting an empty one (a driver pod's log ends so).
     */
    private static List<String> lines(JsonObject o) {
        JsonElement e = o.get("log");
        if (e == null || !e.isJsonPrimitive()) {
            return JsonFields.strings(o, "log");
        }
        String text = e.getAsString();
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        return text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
    }
}
