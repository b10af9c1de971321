package io.livykernel.backend.livy.rest;

import com.google.gson.JsonObject;
import java.util.List;

/**
 * One page of GET /sessions/{id}/statements. {@code totalStatements} counts the statements Livy still
 * keeps (by default the last 100: {@code livy.rsc.retained-statements}), not all ever run.
 */
public record StatementList(int totalStatements, List<LivyStatement> statements) {
    public StatementList {
        statements = statements == null ? List.of() : List.copyOf(statements);
    }

    static StatementList fromJson(JsonObject o) {
        // Lighter's StatementList has no total: unknown, so a page never counts as all of them.
        return new StatementList(JsonFields.integer(o, "total_statements", Integer.MAX_VALUE),
                JsonFields.objects(o, "statements", LivyStatement::fromJson));
    }
}
