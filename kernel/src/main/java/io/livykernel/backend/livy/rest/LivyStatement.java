package io.livykernel.backend.livy.rest;

import com.google.gson.JsonObject;

/**
 * A statement of an interactive session (GET /sessions/{id}/statements/{sid}). Livy does not echo the
 * statement's kind.
 *
 * @param output    null until the statement finished (and possibly after a cancel)
 * @param progress  0..1: finished tasks over all tasks of the Spark jobs the statement started; stays 0 for
 *                  code that runs no Spark job
 * @param started   epoch milliseconds, 0 while waiting
 * @param completed epoch milliseconds, 0 until finished
 */
public record LivyStatement(String id, String code, StatementState state, String rawState, StatementOutput output,
                            double progress, long started, long completed) {

    public LivyStatement {
        state = state == null ? StatementState.UNKNOWN : state;
    }

    public static LivyStatement fromJson(JsonObject o) {
        String rawState = JsonFields.string(o, "state");
        JsonObject output = JsonFields.optionalObject(o, "output");
        return new LivyStatement(
                JsonFields.id(o, "id"),
                JsonFields.string(o, "code"),
                StatementState.fromWire(rawState),
                rawState,
                output == null ? null : StatementOutput.fromJson(output),
                JsonFields.doubleValue(o, "progress", 0.0),
                JsonFields.longValue(o, "started", 0L),
                JsonFields.longValue(o, "completed", 0L));
    }
}
