package io.livykernel.backend;

import io.livykernel.api.Cell;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.ErrorReporter;

/**
 * Stands in when no backend can be built (for example the configuration file is broken): the kernel stays
 * up and answers every cell with the reason and what to do, instead of dying where the user cannot see why.
 */
public final class UnavailableBackend implements Backend {
    private final String errorName;
    private final String reason;

    public UnavailableBackend(String errorName, String reason) {
        this.errorName = errorName;
        this.reason = reason;
    }

    @Override
    public String description() {
        return "unavailable: " + reason;
    }

    @Override
    public CellResult execute(Cell cell, CellOutput out) {
        return ErrorReporter.describe(errorName, reason);
    }

    @Override
    public void interrupt() {
        // nothing runs
    }

    @Override
    public void close() {
        // nothing held
    }
}
