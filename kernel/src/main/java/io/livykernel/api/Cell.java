package io.livykernel.api;

import java.util.Map;

/** A cell to execute, as the execute_request asked for it. */
public record Cell(String code, boolean silent, boolean storeHistory, boolean allowStdin, int executionCount,
                   Map<String, String> userExpressions) {

    public Cell {
        userExpressions = Map.copyOf(userExpressions);
    }

    /** The same cell with other code, e.g. a magic's body. */
    public Cell withCode(String otherCode) {
        return new Cell(otherCode, silent, storeHistory, allowStdin, executionCount, userExpressions);
    }
}
