package io.livykernel.backend.livy.rest;

import com.google.gson.JsonObject;
import java.util.List;

/**
 * A batch job (GET /batches/{id}). Batches use the session states: starting, running, then success or dead.
 * {@code log} holds the last lines of spark-submit's output.
 */
public record LivyBatch(String id, String name, String owner, String proxyUser, SessionState state, String rawState,
                        String appId, AppInfo appInfo, List<String> log) {

    public LivyBatch {
        state = state == null ? SessionState.UNKNOWN : state;
        appInfo = appInfo == null ? AppInfo.NONE : appInfo;
        log = log == null ? List.of() : List.copyOf(log);
    }

    static LivyBatch fromJson(JsonObject o) {
        String rawState = JsonFields.string(o, "state");
        return new LivyBatch(
                JsonFields.id(o, "id"),
                // Lighter keeps the name with what the batch was submitted with
                o.has("name") ? JsonFields.string(o, "name")
                        : JsonFields.string(JsonFields.object(o, "submitParams"), "name"),
                JsonFields.string(o, "owner"),
                JsonFields.string(o, "proxyUser"),
                SessionState.fromWire(rawState),
                rawState,
                JsonFields.string(o, "appId"),
                AppInfo.fromJson(JsonFields.object(o, "appInfo")),
                JsonFields.strings(o, "log"));
    }
}
