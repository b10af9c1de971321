package io.livykernel.backend.livy.rest;

import com.google.gson.JsonObject;

/** The answer of GET /sessions/{id}/state and GET /batches/{id}/state: the cheapest way to poll a state. */
public record SessionStateInfo(String id, SessionState state, String rawState) {
    public SessionStateInfo {
        state = state == null ? SessionState.UNKNOWN : state;
    }

    static SessionStateInfo fromJson(JsonObject o) {
        String rawState = JsonFields.string(o, "state");
        return new SessionStateInfo(JsonFields.id(o, "id"), SessionState.fromWire(rawState), rawState);
    }
}
