package io.livykernel.backend.livy;

import java.util.Objects;

/**
 * The body of POST /sessions/{id}/statements.
 *
 * @param kind the interpreter to run the code in (pyspark, spark, sql, sparkr); null for the session's
 *             own kind, which a session of kind "shared" refuses
 */
public record StatementRequest(String code, String kind) {
    public StatementRequest {
        Objects.requireNonNull(code, "code");
    }
}
