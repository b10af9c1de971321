package io.livykernel.backend.livy.rest;

import com.google.gson.JsonObject;
import java.util.List;

/** One page of GET /sessions: {@code total} counts all sessions, {@code sessions} those from {@code from}. */
public record SessionList(int from, int total, List<LivySession> sessions) {
    public SessionList {
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
    }

    static SessionList fromJson(JsonObject o) {
        return new SessionList(JsonFields.integer(o, "from", 0), JsonFields.integer(o, "total", 0),
                JsonFields.objects(o, o.has("sessions") ? "sessions" : "applications", LivySession::fromJson));
    }
}
