package io.livykernel.backend.livy.rest;

import java.util.Objects;

/**
 * The body of POST /sessions/{id}/completion. Only Livy's Scala interpreter completes; pyspark and sql
 * answer with no candidates. Livy fails with HTTP 500 when {@code kind} is missing, so it is required.
 *
 * @param cursor offset in {@code code} where completion is wanted
 */
public record CompletionRequest(String code, String kind, int cursor) {
    public CompletionRequest {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(kind, "kind");
    }
}
