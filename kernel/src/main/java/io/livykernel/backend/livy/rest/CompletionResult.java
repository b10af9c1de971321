package io.livykernel.backend.livy.rest;

import com.google.gson.JsonObject;
import java.util.List;

/** The answer of POST /sessions/{id}/completion: the words that may replace the one before the cursor. */
public record CompletionResult(List<String> candidates) {
    public CompletionResult {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }

    static CompletionResult fromJson(JsonObject o) {
        return new CompletionResult(JsonFields.strings(o, "candidates"));
    }
}
